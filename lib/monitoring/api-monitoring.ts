import { Duration, Fn, NestedStack, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AlarmProfile, AlarmThresholds, PROFILE_EVALUATION, ResolvedThresholds, resolveThresholds } from './alarm-thresholds';
import { functionSearchExpressions, MAX_METRICS_PER_ALARM } from './metric-queries';
import type { ServerlessApi } from '../api/serverless-api';
import { propError } from '../core/errors';
import { CrudResource } from '../data/crud-resource';
import { GradualDeployments } from '../operations/gradual-deployment';
import { findConfig } from '../stages/stage-config';
import { ApiWebAcl } from '../traffic/api-web-acl';

/** Options of `ServerlessApi.addMonitoring()`. */
export interface ApiMonitoringOptions {
  /**
   * How eagerly the alarms fire.
   * @default - STRICT for a stage named 'prod' (the stage's name, or its EnvironmentConfig's), QUIET otherwise
   */
  readonly profile?: AlarmProfile;
  /**
   * Thresholds that differ from the profile's.
   * @default - the profile's thresholds
   */
  readonly thresholds?: AlarmThresholds;
  /**
   * The topic alarms notify. Excludes nothing: `alarmEmails` subscribe to it either way.
   * @default - a new topic (SSL-only)
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Email addresses subscribed to the alarm topic (each confirms by email once).
   * @default - none
   */
  readonly alarmEmails?: string[];
  /**
   * Tables to watch besides those of the API's CRUD resources (found on their own).
   * @default - the API's CRUD resources' tables
   */
  readonly tables?: dynamodb.ITable[];
  /**
   * State machines to alarm on failed executions, besides those of the API's Step Functions routes
   * (found on their own).
   * @default - those of the API's Step Functions routes
   */
  readonly stateMachines?: sfn.IStateMachine[];
  /**
   * Dead-letter queues to alarm on messages waiting, besides those of the queues of the API's SQS
   * routes (found on their own when the queue is an `sqs.Queue` with a dead-letter queue).
   * @default - the dead-letter queues of the API's SQS routes' queues
   */
  readonly deadLetterQueues?: sqs.IQueue[];
  /**
   * Create the stage's CloudWatch dashboard.
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * How many of the busiest routes the dashboard breaks down (needs `stage.detailedMetrics`).
   * @default 10
   */
  readonly busiestRoutes?: number;
  /**
   * Put the alarms and the dashboard into a nested stack, so that they do not count against the API
   * stack's 500 resources and 1 MB. The nested stack is then `ApiMonitoring.nestedStack`.
   * @default - true when the API has more than 50 functions
   */
  readonly useNestedStack?: boolean;
  /**
   * Put the alarms and the dashboard into a nested stack.
   * @deprecated use `useNestedStack` (the same setting; this name clashed with `ApiMonitoring.nestedStack`, the nested stack itself)
   * @default - true when the API has more than 50 functions
   */
  readonly nestedStack?: boolean;
}

/** Props of {@link ApiMonitoring}. */
export interface ApiMonitoringProps extends ApiMonitoringOptions {
  /** The API to watch. Add it after the API's routes: functions of routes added later are not watched (synth fails). */
  readonly api: ServerlessApi;
}

const PERIOD = Duration.minutes(5);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** CloudWatch's alarm status widget shows at most 100 alarms. */
const ALARMS_PER_STATUS_WIDGET = 100;

/**
 * Alarms, notifications and a dashboard for one API stage.
 *
 * Alarms: 5XX and 4XX rates, p99 latency and integration latency, 429s (counted from the access logs:
 * API Gateway has no throttling metric), per function errors, throttles and p99 duration near its
 * timeout (ten functions per alarm, by metric math: an alarm per function would cost a resource per
 * function), the region's concurrent executions, per table throttled requests and system errors, the
 * web ACL's blocked rate, state machine failures and dead-letter queue depth. Thresholds come from the
 * profile (STRICT in prod, QUIET elsewhere) with overrides. Every alarm notifies one SNS topic.
 *
 * The dashboard: traffic and errors, latency percentiles, the busiest routes (a Metrics Insights
 * query, so it stays one widget whatever the number of routes), functions (SEARCH expressions, not a
 * metric per function), tables, and the alarms' states.
 */
export class ApiMonitoring extends Construct {
  /** The topic every alarm notifies. */
  public readonly alarmTopic: sns.ITopic;
  /** Every alarm created. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The stage's dashboard, unless `dashboard` is false. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The alarm on the stage's 5XX rate. */
  public readonly serverErrorAlarm: cloudwatch.Alarm;
  /** The profile the thresholds come from. */
  public readonly profile: AlarmProfile;
  /** The nested stack holding the alarms and the dashboard, when `useNestedStack`. */
  public readonly nestedStack?: NestedStack;

  private readonly api: ServerlessApi;
  private readonly thresholds: ResolvedThresholds;
  private readonly scope: Construct;
  private readonly functionAlarms = new Map<lambda.IFunction, cloudwatch.Alarm[]>();
  private readonly watchedFunctions: lambda.IFunction[];

  constructor(scope: Construct, id: string, props: ApiMonitoringProps) {
    super(scope, id);
    const api = props.api;
    this.api = api;
    this.profile = props.profile ?? defaultProfile(api);
    this.thresholds = resolveThresholds(this, this.profile, props.thresholds);
    const busiest = props.busiestRoutes ?? 10;
    if (!Number.isInteger(busiest) || busiest < 1 || busiest > 50) {
      throw propError(this, 'busiestRoutes', busiest, 'must be an integer from 1 to 50', 'A Metrics Insights query returns at most 500 series; 10 keeps the graph readable.');
    }
    for (const email of props.alarmEmails ?? []) {
      if (typeof email !== 'string' || (!Token.isUnresolved(email) && !EMAIL.test(email))) {
        throw propError(this, 'alarmEmails', email, 'is not an email address', 'Give addresses like \'oncall@example.com\'.');
      }
    }
    this.watchedFunctions = uniqueFunctions(api);
    if (props.useNestedStack !== undefined && props.nestedStack !== undefined && props.useNestedStack !== props.nestedStack) {
      throw propError(this, 'nestedStack', props.nestedStack, `is deprecated and contradicts useNestedStack (${props.useNestedStack})`,
        'Set useNestedStack only.');
    }
    const nested = props.useNestedStack ?? props.nestedStack ?? this.watchedFunctions.length > 50;
    this.nestedStack = nested ? new NestedStack(this, 'Stack', { description: `Alarms and dashboard of ${api.node.path}` }) : undefined;
    this.scope = this.nestedStack ?? this;

    if (props.alarmTopic) {
      this.alarmTopic = props.alarmTopic;
    } else {
      const topic = new sns.Topic(this, 'AlarmTopic', { displayName: `Alarms of ${api.restApi.restApiName} (${api.stageName})`.slice(0, 100), enforceSSL: true });
      Validations.of(topic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason: 'CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed aws/sns key, and alarm notifications carry only alarm names, '
          + 'states and metric values; pass alarmTopic to use a topic encrypted with your own KMS key.',
      });
      this.alarmTopic = topic;
    }
    (props.alarmEmails ?? []).forEach(email => this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(email)));

    this.serverErrorAlarm = this.stageAlarms();
    if (this.watchedFunctions.length > 0) {
      this.functionAlarmGroups();
    }
    this.alarm('ConcurrentExecutions', 'Concurrent executions of the region\'s functions', new cloudwatch.Metric({
      namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', statistic: 'Maximum', period: PERIOD,
    }), this.thresholds.concurrentExecutions);
    const tables = uniqueTables([...crudTables(api), ...(props.tables ?? [])]);
    tables.forEach((table, i) => this.tableAlarms(table, i));
    const webAcl = api.node.children.find((c): c is ApiWebAcl => c instanceof ApiWebAcl);
    if (webAcl) { this.wafAlarm(webAcl.webAclArn); }
    const behind = api._monitoredResources();
    const stateMachines = [...new Set([...behind.flatMap(m => m.stateMachines ?? []), ...(props.stateMachines ?? [])])];
    const deadLetterQueues = [...new Set([...behind.flatMap(m => m.deadLetterQueues ?? []), ...(props.deadLetterQueues ?? [])])];
    stateMachines.forEach((machine, i) => this.alarm(`StateMachine${i + 1}Failures`, 'Failed, timed-out or aborted executions',
      new cloudwatch.MathExpression({
        expression: 'FILL(f, 0) + FILL(t, 0) + FILL(a, 0)',
        usingMetrics: { f: machine.metricFailed(), t: machine.metricTimedOut(), a: machine.metricAborted() },
        period: PERIOD,
      }), this.thresholds.stateMachineFailures));
    deadLetterQueues.forEach((queue, i) => this.alarm(`DeadLetterQueue${i + 1}Messages`, 'Messages waiting in a dead-letter queue',
      queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: PERIOD }), this.thresholds.deadLetterMessages));

    if (props.dashboard ?? true) {
      this.dashboard = this.createDashboard(busiest, tables);
    }
    api.node.addValidation({
      validate: () => {
        const watched = new Set(this.watchedFunctions);
        const missed = uniqueFunctions(api).filter(fn => !watched.has(fn));
        return missed.length === 0 ? [] : [propError(this, 'api', api.node.path, `has ${missed.length} function(s) added after its monitoring (${missed.map(f => f.node.path).slice(0, 3).join(', ')})`,
          'Add the monitoring after the last route (api.addMonitoring() last), so that every function is watched.').message];
      },
    });
  }

  /**
   * The alarms that should roll back a deployment of `fn`: its function alarms (errors, throttles,
   * duration) and the stage's 5XX rate.
   */
  public alarmsFor(fn: lambda.IFunction): cloudwatch.IAlarm[] {
    return [...(this.functionAlarms.get(fn) ?? []), this.serverErrorAlarm];
  }

  private stageAlarms(): cloudwatch.Alarm {
    const t = this.thresholds;
    const count = this.apiMetric('Count', 'Sum');
    const rate = (errors: cloudwatch.IMetric) => new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)', usingMetrics: { requests: count, errors }, period: PERIOD,
    });
    const serverErrors = this.alarm('ServerErrorRate', '5XX responses in percent of requests', rate(this.apiMetric('5XXError', 'Sum')),
      t.serverErrorRatePercent);
    this.alarm('ClientErrorRate', '4XX responses in percent of requests', rate(this.apiMetric('4XXError', 'Sum')), t.clientErrorRatePercent);
    this.alarm('LatencyP99', 'p99 latency (ms)', this.apiMetric('Latency', 'p99'), t.latencyP99.toMilliseconds());
    this.alarm('IntegrationLatencyP99', 'p99 integration latency (ms)', this.apiMetric('IntegrationLatency', 'p99'),
      t.integrationLatencyP99.toMilliseconds());
    this.alarm('Throttled', 'Requests answered 429', this.throttledMetric(), t.throttledRequests);
    return serverErrors;
  }

  /** 429s counted from the access logs' JSON `status` field (API Gateway publishes no throttling metric). */
  private throttledMetric(): cloudwatch.Metric {
    const filter = new logs.MetricFilter(this.scope, 'ThrottledFilter', {
      logGroup: this.api.accessLogGroup,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: 'ServerlessApi',
      metricName: `Throttled-${this.api.restApi.restApiName}-${this.api.stageName}`,
      metricValue: '1',
      defaultValue: 0,
    });
    return filter.metric({ statistic: 'Sum', period: PERIOD });
  }

  /**
   * Ten functions per alarm and metric (CloudWatch's limit of metrics per alarm), each group's alarms in
   * the stack of its functions: a deployment group then uses alarms of its own template, and the alarms
   * of a thousand functions spread over the route stacks instead of filling one template.
   */
  private functionAlarmGroups(): void {
    const t = this.thresholds;
    const byStack = new Map<Stack, lambda.IFunction[]>();
    for (const fn of this.watchedFunctions) {
      const stack = Stack.of(fn);
      byStack.set(stack, [...(byStack.get(stack) ?? []), fn]);
    }
    let group = 0;
    const many = this.watchedFunctions.length > MAX_METRICS_PER_ALARM;
    for (const [stack, functions] of byStack) {
      const scope = stack === Stack.of(this.scope) ? this.scope : new Construct(stack, `${this.node.id}FunctionAlarms`);
      for (let start = 0; start < functions.length; start += MAX_METRICS_PER_ALARM) {
        group++;
        const members = functions.slice(start, start + MAX_METRICS_PER_ALARM);
        const suffix = many ? String(group) : '';
        const names = members.map(fn => fn.node.id).join(', ');
        const maxOf = (metric: (fn: lambda.IFunction) => cloudwatch.IMetric, scale: (fn: lambda.IFunction) => string = () => '') => {
          const usingMetrics: Record<string, cloudwatch.IMetric> = {};
          const terms = members.map((fn, i) => { usingMetrics[`m${i}`] = metric(fn); return `FILL(m${i}, 0)${scale(fn)}`; });
          return new cloudwatch.MathExpression({ expression: `MAX([${terms.join(', ')}])`, usingMetrics, period: PERIOD });
        };
        const alarms = [
          this.alarm(`FunctionErrors${suffix}`, `Errors of any one of: ${names}`, maxOf(fn => functionMetric(fn, 'Errors', 'Sum')), t.functionErrors, scope),
          this.alarm(`FunctionThrottles${suffix}`, `Throttles of any one of: ${names}`, maxOf(fn => functionMetric(fn, 'Throttles', 'Sum')), t.functionThrottles, scope),
        ];
        if (members.every(fn => timeoutOf(fn) !== undefined)) {
          alarms.push(this.alarm(`FunctionDuration${suffix}`, `p99 duration in percent of the timeout, any one of: ${names}`,
            maxOf(fn => functionMetric(fn, 'Duration', 'p99'), fn => ` * ${100 / timeoutOf(fn)!}`), t.functionDurationPercentOfTimeout, scope));
        }
        for (const fn of members) {
          this.functionAlarms.set(fn, alarms);
          // A gradually deployed function rolls back on its alarms and the stage's 5XX rate.
          GradualDeployments.addAlarms(this, this.api, fn, [...alarms, this.serverErrorAlarm]);
        }
      }
    }
  }

  private tableAlarms(table: dynamodb.ITable, index: number): void {
    const name = `Table${index + 1}`;
    this.alarm(`${name}Throttles`, 'Throttled reads and writes of a table', new cloudwatch.MathExpression({
      expression: 'FILL(r, 0) + FILL(w, 0)',
      usingMetrics: {
        r: table.metric('ReadThrottleEvents', { statistic: 'Sum', period: PERIOD }),
        w: table.metric('WriteThrottleEvents', { statistic: 'Sum', period: PERIOD }),
      },
      period: PERIOD,
    }), this.thresholds.tableThrottledRequests);
    this.alarm(`${name}SystemErrors`, 'DynamoDB system errors of a table', table.metricSystemErrorsForOperations({
      operations: [dynamodb.Operation.GET_ITEM, dynamodb.Operation.PUT_ITEM, dynamodb.Operation.UPDATE_ITEM, dynamodb.Operation.DELETE_ITEM,
        dynamodb.Operation.QUERY, dynamodb.Operation.SCAN],
      period: PERIOD,
    }), this.thresholds.tableSystemErrors);
  }

  /** BlockedRequests of the web ACL (all rules) in percent of the requests it saw. */
  private wafAlarm(webAclArn: string): void {
    const stack = Stack.of(this.api);
    // arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>
    const dimensionsMap = { WebACL: Fn.select(2, Fn.split('/', webAclArn)), Region: stack.region, Rule: 'ALL' };
    const metric = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/WAFV2', metricName, dimensionsMap, statistic: 'Sum', period: PERIOD });
    this.alarm('WafBlockedRate', 'Requests the web ACL blocked, in percent', new cloudwatch.MathExpression({
      expression: 'IF((FILL(b, 0) + FILL(a, 0)) > 0, 100 * FILL(b, 0) / (FILL(b, 0) + FILL(a, 0)), 0)',
      usingMetrics: { b: metric('BlockedRequests'), a: metric('AllowedRequests') },
      period: PERIOD,
    }), this.thresholds.wafBlockedRatePercent);
  }

  /**
   * A stage metric with the API's name and the stage's name as literal dimensions: the stage's own
   * metric helpers reference the Stage resource, which would make alarms in a nested stack depend on the
   * stage, and the stage (through its deployment) on the nested stacks of functions whose deployment
   * groups use those alarms: a cycle.
   */
  private apiMetric(metricName: string, statistic: string, label?: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway', metricName, statistic, period: PERIOD, label,
      dimensionsMap: { ApiName: this.api.restApi.restApiName, Stage: this.api.stageName },
    });
  }

  private alarm(id: string, description: string, metric: cloudwatch.IMetric, threshold: number, scope: Construct = this.scope): cloudwatch.Alarm {
    const evaluation = PROFILE_EVALUATION[this.profile];
    const alarm = new cloudwatch.Alarm(scope, id, {
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: evaluation.evaluationPeriods,
      datapointsToAlarm: evaluation.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${this.api.restApi.restApiName} ${this.api.stageName}: ${description} above ${threshold} (${this.profile})`.slice(0, 1024),
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
    return alarm;
  }

  private createDashboard(busiest: number, tables: dynamodb.ITable[]): cloudwatch.Dashboard {
    const api = this.api;
    const apiName = api.restApi.restApiName;
    const dashboard = new cloudwatch.Dashboard(this.scope, 'Dashboard', { defaultInterval: Duration.hours(3) });
    const wide = { width: 12, height: 6 };
    dashboard.addWidgets(new cloudwatch.TextWidget({
      markdown: `# ${apiName} · ${api.stageName}\nProfile ${this.profile}; ${this.alarms.length} alarms notify the alarm topic.`, width: 24, height: 2,
    }));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        ...wide, title: 'Requests and errors',
        left: [this.apiMetric('Count', 'Sum', 'Requests')],
        right: [this.apiMetric('4XXError', 'Sum', '4XX'), this.apiMetric('5XXError', 'Sum', '5XX')],
      }),
      new cloudwatch.GraphWidget({
        ...wide, title: 'Latency (ms)',
        left: ['p50', 'p90', 'p99'].map(statistic => this.apiMetric('Latency', statistic, `Latency ${statistic}`))
          .concat(this.apiMetric('IntegrationLatency', 'p99', 'Integration p99')),
      }),
    );
    const insights = (select: string, label: string) => new cloudwatch.MathExpression({
      expression: `SELECT ${select} FROM SCHEMA("AWS/ApiGateway", ApiName, Method, Resource, Stage) WHERE ApiName = '${apiName}' AND Stage = '${api.stageName}' `
        + `GROUP BY Method, Resource ORDER BY ${select.replace(/\(.*\)/, '()')} DESC LIMIT ${busiest}`,
      label, period: PERIOD, usingMetrics: {},
    });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ ...wide, title: `Busiest ${busiest} routes: requests (needs detailed metrics)`, left: [insights('SUM(Count)', 'Requests')] }),
      new cloudwatch.GraphWidget({ ...wide, title: `Slowest ${busiest} routes: average latency (ms)`, left: [insights('AVG(Latency)', 'Latency')] }),
    );
    if (this.watchedFunctions.length > 0) {
      const names = this.watchedFunctions.map(functionNameOf);
      const search = (metricName: string, statistic: string) => functionSearchExpressions(names, metricName, statistic, PERIOD);
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({ width: 8, height: 6, title: 'Function errors', left: search('Errors', 'Sum'), legendPosition: cloudwatch.LegendPosition.HIDDEN }),
        new cloudwatch.GraphWidget({ width: 8, height: 6, title: 'Function throttles', left: search('Throttles', 'Sum'), legendPosition: cloudwatch.LegendPosition.HIDDEN }),
        new cloudwatch.GraphWidget({ width: 8, height: 6, title: 'Function duration p99 (ms)', left: search('Duration', 'p99'), legendPosition: cloudwatch.LegendPosition.HIDDEN }),
      );
    }
    if (tables.length > 0) {
      const shown = tables.slice(0, 20);
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          ...wide, title: `Tables: throttle events${tables.length > shown.length ? ` (first ${shown.length})` : ''}`,
          left: shown.flatMap(table => [table.metric('ReadThrottleEvents', { statistic: 'Sum' }), table.metric('WriteThrottleEvents', { statistic: 'Sum' })]),
        }),
        new cloudwatch.GraphWidget({
          ...wide, title: 'Tables: consumed capacity',
          left: shown.flatMap(table => [table.metricConsumedReadCapacityUnits(), table.metricConsumedWriteCapacityUnits()]),
        }),
      );
    }
    // The alarms of the dashboard's own template (function alarms in route stacks would each cost a parameter).
    const local = this.alarms.filter(a => Stack.of(a) === Stack.of(dashboard));
    for (let start = 0; start < local.length; start += ALARMS_PER_STATUS_WIDGET) {
      dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({
        title: 'Alarms', width: 24, height: 4, alarms: local.slice(start, start + ALARMS_PER_STATUS_WIDGET),
      }));
    }
    return dashboard;
  }
}

/** STRICT for prod (by stage name, or by the stage's EnvironmentConfig name), QUIET otherwise. */
function defaultProfile(api: ServerlessApi): AlarmProfile {
  const names = [api.stageName, findConfig(api)?.name].filter((n): n is string => typeof n === 'string' && !Token.isUnresolved(n));
  return names.some(n => n.toLowerCase() === 'prod' || n.toLowerCase() === 'production') ? AlarmProfile.STRICT : AlarmProfile.QUIET;
}

function uniqueFunctions(api: ServerlessApi): lambda.IFunction[] {
  return [...new Set(api.routes.map(r => r.function).filter((fn): fn is lambda.IFunction => fn !== undefined))];
}

function crudTables(api: ServerlessApi): dynamodb.ITable[] {
  return api.node.children.filter((c): c is CrudResource => c instanceof CrudResource).map(c => c.table);
}

function uniqueTables(tables: dynamodb.ITable[]): dynamodb.ITable[] {
  return [...new Set(tables)];
}

/**
 * A function's physical name as a literal when it has one (every function the API creates does): its
 * `functionName` attribute would be a reference, a parameter in every other template that graphs it.
 */
function functionNameOf(fn: lambda.IFunction): string {
  const name = (fn.node.defaultChild as lambda.CfnFunction | undefined)?.functionName;
  return typeof name === 'string' && !Token.isUnresolved(name) ? name : fn.functionName;
}

function functionMetric(fn: lambda.IFunction, metricName: string, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName, statistic, period: PERIOD, dimensionsMap: { FunctionName: functionNameOf(fn) } });
}

/** The timeout of a function the library (or the app) created, in seconds; undefined for imported ones. */
function timeoutOf(fn: lambda.IFunction): number | undefined {
  const timeout = fn instanceof lambda.Function ? (fn.timeout ?? Duration.seconds(3)) : undefined;
  return timeout && !timeout.isUnresolved() ? timeout.toSeconds() : undefined;
}
