import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AlarmProfile, Integration, RouteAuthorization, ServerlessApi, ServerlessApiProps } from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';

function api(props: ServerlessApiProps = {}, routes = 2, stack: Stack = testStack()) {
  const created = new ServerlessApi(stack, 'Api', { apiName: 'items', ...props });
  for (let i = 0; i < routes; i++) {
    created.addRoute({ method: 'GET', path: `/r${i}`, handler: inlineHandler(), authorization: RouteAuthorization.none() });
  }
  return { stack, api: created };
}

function alarms(stack: Stack): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties);
}

function alarmNamed(stack: Stack, fragment: string): any {
  const found = alarms(stack).filter(a => JSON.stringify(a.AlarmDescription).includes(fragment));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('ApiMonitoring', () => {
  test('GIVEN a dev stage THEN the QUIET profile: 5% 5XX over 3 of 3 five-minute periods, notifying a new SSL-only topic', () => {
    const { stack, api: created } = api();
    const monitoring = created.addMonitoring();

    expect(monitoring.profile).toBe(AlarmProfile.QUIET);
    const serverErrors = alarmNamed(stack, '5XX responses in percent');
    expect(serverErrors).toMatchObject({ Threshold: 5, EvaluationPeriods: 3, DatapointsToAlarm: 3, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
    expect(serverErrors.Metrics[0].Expression).toBe('IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)');
    expect(serverErrors.AlarmActions).toHaveLength(1);
    expect(serverErrors.AlarmActions[0].Ref).toMatch(/^ApiMonitoringAlarmTopic/);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('GIVEN a prod stage THEN the STRICT profile: 1% 5XX over 2 of 3 periods, 2 s p99 latency', () => {
    const { stack, api: created } = api({ stageName: 'prod' });
    created.addMonitoring();

    expect(alarmNamed(stack, '5XX responses in percent')).toMatchObject({ Threshold: 1, DatapointsToAlarm: 2, EvaluationPeriods: 3 });
    expect(alarmNamed(stack, 'p99 latency (ms)')).toMatchObject({ Threshold: 2000, ExtendedStatistic: 'p99', MetricName: 'Latency' });
    expect(alarmNamed(stack, 'p99 integration latency')).toMatchObject({ Threshold: 1500, MetricName: 'IntegrationLatency' });
  });

  test('GIVEN overrides THEN they replace the profile\'s thresholds and keep the others', () => {
    const { stack, api: created } = api({ stageName: 'prod' });
    created.addMonitoring('Monitoring', { thresholds: { serverErrorRatePercent: 0.5, latencyP99: Duration.millis(800) } });

    expect(alarmNamed(stack, '5XX responses in percent').Threshold).toBe(0.5);
    expect(alarmNamed(stack, 'p99 latency (ms)').Threshold).toBe(800);
    expect(alarmNamed(stack, '4XX responses in percent').Threshold).toBe(10);
  });

  test('GIVEN an explicit profile THEN it wins over the stage name', () => {
    const { stack, api: created } = api({ stageName: 'prod' });
    created.addMonitoring('Monitoring', { profile: AlarmProfile.QUIET });

    expect(alarmNamed(stack, '5XX responses in percent').Threshold).toBe(5);
  });

  test('GIVEN the access logs THEN 429s are counted by a metric filter on the JSON status and alarmed on', () => {
    const { stack, api: created } = api({ stageName: 'prod' });
    created.addMonitoring();

    Template.fromStack(stack).hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [{ MetricNamespace: 'ServerlessApi', MetricName: 'Throttled-items-prod', MetricValue: '1', DefaultValue: 0 }],
    });
    expect(alarmNamed(stack, 'Requests answered 429')).toMatchObject({ Threshold: 10, MetricName: 'Throttled-items-prod', Namespace: 'ServerlessApi' });
  });

  test('GIVEN 12 functions THEN function alarms group ten functions per alarm (CloudWatch\'s metric limit), duration in percent of each timeout', () => {
    const { stack, api: created } = api({}, 12);
    const monitoring = created.addMonitoring();

    const errors = alarms(stack).filter(a => a.AlarmDescription.includes('Errors of any one of'));
    expect(errors).toHaveLength(2);
    expect(errors.map(a => a.Metrics.filter((m: any) => m.MetricStat).length).sort()).toEqual([10, 2]);
    const duration = alarms(stack).find(a => a.AlarmDescription.includes('p99 duration in percent of the timeout'));
    expect(duration.Metrics[0].Expression).toContain('FILL(m0, 0) * 10'); // 10 s timeout → 100/10
    expect(duration.Threshold).toBe(95);
    const fn = created.routes[11].function!;
    expect(monitoring.alarmsFor(fn)).toHaveLength(4); // errors, throttles, duration of its group, and the stage's 5XX
  });

  test('GIVEN a CRUD resource THEN its table gets throttle and system-error alarms', () => {
    const { stack, api: created } = api({ stageName: 'prod' }, 0);
    created.addCrudResource('items', { readAuthorization: RouteAuthorization.none() });
    created.addMonitoring();

    expect(alarmNamed(stack, 'Throttled reads and writes of a table').Metrics[0].Expression).toBe('FILL(r, 0) + FILL(w, 0)');
    expect(alarmNamed(stack, 'DynamoDB system errors of a table').Threshold).toBe(1);
  });

  test('GIVEN a web ACL THEN the blocked rate is alarmed on with the web ACL\'s name from its ARN', () => {
    const { stack, api: created } = api({ stageName: 'prod' });
    created.addWebAcl();
    created.addMonitoring();

    const waf = alarmNamed(stack, 'Requests the web ACL blocked');
    const blocked = waf.Metrics.find((m: any) => m.Id === 'b').MetricStat.Metric;
    expect(blocked.Namespace).toBe('AWS/WAFV2');
    expect(blocked.Dimensions).toContainEqual({ Name: 'WebACL', Value: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [expect.stringMatching(/^ApiWebAcl/), 'Arn'] }] }] } });
    expect(blocked.Dimensions).toContainEqual({ Name: 'Rule', Value: 'ALL' });
  });

  test('GIVEN state machines and dead-letter queues THEN their failures and depth are alarmed on', () => {
    const { stack, api: created } = api({ stageName: 'prod' });
    const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) });
    const dlq = new sqs.Queue(stack, 'Dlq');
    created.addMonitoring('Monitoring', { stateMachines: [machine], deadLetterQueues: [dlq] });

    expect(alarmNamed(stack, 'Failed, timed-out or aborted executions').Metrics[0].Expression).toBe('FILL(f, 0) + FILL(t, 0) + FILL(a, 0)');
    expect(alarmNamed(stack, 'Messages waiting in a dead-letter queue')).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
  });

  test('GIVEN Step Functions and SQS routes THEN their state machine and the queue\'s dead-letter queue are alarmed on without being listed', () => {
    const { stack, api: created } = api({ stageName: 'prod' });
    const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) });
    const dlq = new sqs.Queue(stack, 'Dlq');
    const queue = new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    created.addRoute({ method: 'POST', path: '/runs', integration: Integration.stepFunctions(machine), authorization: RouteAuthorization.none() });
    created.addRoute({ method: 'POST', path: '/orders', integration: Integration.sqs(queue), authorization: RouteAuthorization.none() });
    created.addMonitoring();

    const failures = alarmNamed(stack, 'Failed, timed-out or aborted executions');
    expect(JSON.stringify(failures.Metrics)).toContain('Machine');
    const depth = alarmNamed(stack, 'Messages waiting in a dead-letter queue');
    expect(depth.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.stringMatching(/^Dlq/), 'QueueName'] } }]);
  });

  test('GIVEN an existing topic and emails THEN alarms notify it and the emails subscribe to it', () => {
    const { stack, api: created } = api();
    const topic = new sns.Topic(stack, 'Pager');
    created.addMonitoring('Monitoring', { alarmTopic: topic, alarmEmails: ['oncall@example.com'] });

    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: Match.stringLikeRegexp('^Pager') } });
    expect(alarmNamed(stack, '5XX responses in percent').AlarmActions[0].Ref).toMatch(/^Pager/);
  });

  test('GIVEN the dashboard THEN it has traffic, latency, busiest routes by Metrics Insights, function SEARCH graphs and alarm states', () => {
    const { stack, api: created } = api({ stageName: 'prod' });
    created.addMonitoring();

    const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const text = JSON.stringify(Object.values<any>(dashboards)[0].Properties.DashboardBody);
    expect(text).toContain('Requests and errors');
    expect(text).toContain('SELECT SUM(Count) FROM SCHEMA(\\\\\\"AWS/ApiGateway\\\\\\", ApiName, Method, Resource, Stage) WHERE ApiName = \'items\' AND Stage = \'prod\' GROUP BY Method, Resource ORDER BY SUM() DESC LIMIT 10');
    expect(text).toContain('SEARCH(\'{AWS/Lambda,FunctionName} MetricName=\\\\\\"Errors\\\\\\" (FunctionName=\\\\\\"');
    expect(text).toContain('"type\\":\\"alarm\\"');
  });

  test('GIVEN dashboard false THEN no dashboard', () => {
    const { stack, api: created } = api();
    created.addMonitoring('Monitoring', { dashboard: false });

    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('GIVEN many functions THEN alarms and dashboard move into a nested stack, and each function SEARCH stays under 1,024 characters', () => {
    const app = testApp();
    const { stack, api: created } = api({ stageName: 'prod' }, 60, testStack(app));
    const monitoring = created.addMonitoring();

    expect(monitoring.nestedStack).toBeDefined();
    // Function alarms stay beside their functions (here the API's stack), the others move.
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 3 * 6);
    const nested = Template.fromStack(monitoring.nestedStack!);
    nested.resourceCountIs('AWS::CloudWatch::Alarm', 5 + 1);
    expect(Object.keys(nested.toJSON().Parameters ?? {}).length).toBeLessThan(10);
    const body = JSON.stringify(Object.values<any>(nested.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    const searches = body.match(/SEARCH\(.*?\)', '\w+', 300\)/g) ?? [];
    expect(searches.length).toBeGreaterThan(3);
    searches.forEach(s => expect(s.replace(/\\+"/g, '"').length).toBeLessThanOrEqual(1024));
  });

  test('GIVEN useNestedStack true and two functions THEN the alarms and the dashboard are in the nested stack', () => {
    const { stack, api: created } = api();
    const monitoring = created.addMonitoring('Monitoring', { useNestedStack: true });

    expect(monitoring.nestedStack).toBeDefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudFormation::Stack', 1);
    Template.fromStack(monitoring.nestedStack!).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('GIVEN useNestedStack false and many functions THEN no nested stack', () => {
    const { stack, api: created } = api({}, 60);
    const monitoring = created.addMonitoring('Monitoring', { useNestedStack: false });

    expect(monitoring.nestedStack).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudFormation::Stack', 0);
  });

  test('GIVEN the deprecated nestedStack true THEN it still moves the alarms and the dashboard into the nested stack', () => {
    const { stack, api: created } = api();
    const monitoring = created.addMonitoring('Monitoring', { nestedStack: true });

    expect(monitoring.nestedStack).toBeDefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudFormation::Stack', 1);
    Template.fromStack(monitoring.nestedStack!).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('fails if the deprecated nestedStack contradicts useNestedStack', () => {
    const { api: created } = api();
    expect(() => created.addMonitoring('Monitoring', { useNestedStack: true, nestedStack: false }))
      .toThrow('TestStack/Api/Monitoring: nestedStack is deprecated and contradicts useNestedStack (true) (received false). Set useNestedStack only.');
  });

  test('fails if a threshold is below zero', () => {
    const { api: created } = api();
    expect(() => created.addMonitoring('Monitoring', { thresholds: { functionErrors: -1 } }))
      .toThrow('TestStack/Api/Monitoring: thresholds.functionErrors must be a number >= 0 (received -1). Give a count per five minutes, e.g. 1, or leave it out for the QUIET default (10).');
  });

  test('fails if a percentage is above 100', () => {
    const { api: created } = api();
    expect(() => created.addMonitoring('Monitoring', { thresholds: { serverErrorRatePercent: 150 } }))
      .toThrow('TestStack/Api/Monitoring: thresholds.serverErrorRatePercent is a percentage above 100 (received 150). Give a percentage from 0 to 100.');
  });

  test('fails if a latency is zero', () => {
    const { api: created } = api();
    expect(() => created.addMonitoring('Monitoring', { thresholds: { latencyP99: Duration.seconds(0) } }))
      .toThrow("TestStack/Api/Monitoring: thresholds.latencyP99 must be above 0 (received '0 seconds'). Give a latency, e.g. Duration.seconds(2).");
  });

  test('fails if an email is not an address', () => {
    const { api: created } = api();
    expect(() => created.addMonitoring('Monitoring', { alarmEmails: ['oncall'] }))
      .toThrow("TestStack/Api/Monitoring: alarmEmails is not an email address (received 'oncall'). Give addresses like 'oncall@example.com'.");
  });

  test('fails at synth if a function is added after the monitoring', () => {
    const app = testApp();
    const { api: created } = api({}, 1, testStack(app));
    created.addMonitoring();
    created.addRoute({ method: 'GET', path: '/late', handler: inlineHandler(), authorization: RouteAuthorization.none() });

    expect(() => app.synth()).toThrow("TestStack/Api/Monitoring: api has 1 function(s) added after its monitoring (TestStack/Api/GetLateFunction) (received 'TestStack/Api'). "
      + 'Add the monitoring after the last route (api.addMonitoring() last), so that every function is watched.');
  });
});
