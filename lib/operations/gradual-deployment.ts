import { Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import type { ServerlessApi } from '../api/serverless-api';
import { propError } from '../core/errors';

/**
 * Gradual deployment of a route function: every change publishes a version behind an alias the API
 * integrates with, and CodeDeploy shifts traffic to it (10% for 5 minutes, then all, by default),
 * rolling back when one of the alarms fires. `ApiMonitoring` adds the function's alarms (errors,
 * throttles, duration, the stage's 5XX rate) to it.
 */
export interface GradualDeploymentOptions {
  /**
   * How traffic shifts to a new version: canary or linear.
   * @default codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES
   */
  readonly deploymentConfig?: codedeploy.ILambdaDeploymentConfig;
  /**
   * Alarms that roll the deployment back, besides those `ApiMonitoring` adds (CodeDeploy takes 10).
   * @default - none beyond the monitoring's
   */
  readonly alarms?: cloudwatch.IAlarm[];
  /**
   * A function CodeDeploy runs before shifting traffic (it reports back with
   * `codedeploy:PutLifecycleEventHookExecutionStatus`, which it is granted).
   * @default - none
   */
  readonly preTrafficHook?: lambda.IFunction;
  /**
   * A function CodeDeploy runs after shifting traffic.
   * @default - none
   */
  readonly postTrafficHook?: lambda.IFunction;
  /**
   * The alias the API integrates with.
   * @default 'live'
   */
  readonly aliasName?: string;
}

/** A function published behind an alias, deployed by CodeDeploy. @internal */
export interface GradualTarget {
  readonly alias: lambda.Alias;
  readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;
}

const REGISTRY = new WeakMap<ServerlessApi, GradualDeployments>();
const ALIAS = /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/;
/** CodeDeploy's limit of alarms per deployment group. */
export const MAX_DEPLOYMENT_ALARMS = 10;

/**
 * The gradual deployments of one API: one CodeDeploy application and one service role shared by its
 * deployment groups, one alias and one deployment group per function (three resources per function:
 * version, alias, group).
 * @internal
 */
export class GradualDeployments {
  public static of(api: ServerlessApi): GradualDeployments {
    let registry = REGISTRY.get(api);
    if (!registry) {
      registry = new GradualDeployments(api);
      REGISTRY.set(api, registry);
    }
    return registry;
  }

  /**
   * Adds rollback alarms to the deployment group of `fn`, if it is deployed gradually, within CodeDeploy's
   * 10 per group (`scope` is who adds them, for the error).
   */
  public static addAlarms(scope: IConstruct, api: ServerlessApi, fn: lambda.IFunction, alarms: cloudwatch.IAlarm[]): void {
    const registry = REGISTRY.get(api);
    const target = registry?.targets.get(fn);
    if (!registry || !target) { return; }
    const count = (registry.alarmCounts.get(fn) ?? 0) + alarms.length;
    if (count > MAX_DEPLOYMENT_ALARMS) {
      throw propError(scope, 'api', api.node.path, `would give the deployment group of ${fn.node.path} ${count} rollback alarms`,
        `CodeDeploy takes ${MAX_DEPLOYMENT_ALARMS} per deployment group: monitor the API once, or combine alarms with a CompositeAlarm.`);
    }
    registry.alarmCounts.set(fn, count);
    alarms.forEach(alarm => target.deploymentGroup.addAlarm(alarm));
  }

  /** The alias of a function `api` created, if it is deployed gradually. */
  public static aliasFor(api: ServerlessApi, fn: lambda.IFunction): lambda.Alias | undefined {
    return REGISTRY.get(api)?.targets.get(fn)?.alias;
  }

  private application?: codedeploy.LambdaApplication;
  private role?: iam.Role;
  private readonly targets = new Map<lambda.IFunction, GradualTarget>();
  /** The rollback alarms of each function's deployment group so far (CodeDeploy takes 10). */
  private readonly alarmCounts = new Map<lambda.IFunction, number>();

  private constructor(private readonly api: ServerlessApi) {}

  /** Publishes `fn` behind an alias in `scope` (the function's own stack) with its deployment group. */
  public deploy(scope: Construct, id: string, fn: lambda.Function, options: GradualDeploymentOptions, subject: string): GradualTarget {
    const aliasName = options.aliasName ?? 'live';
    if (typeof aliasName !== 'string' || !ALIAS.test(aliasName)) {
      throw propError(this.api, `${subject} gradualDeployment.aliasName`, aliasName, 'is not a Lambda alias name',
        'Use 1-128 letters, digits, \'-\' or \'_\', not only digits, e.g. \'live\'.');
    }
    if ((options.alarms ?? []).length > MAX_DEPLOYMENT_ALARMS - 4) {
      throw propError(this.api, `${subject} gradualDeployment.alarms`, `${options.alarms!.length} alarms`, `is more than ${MAX_DEPLOYMENT_ALARMS - 4}`,
        `CodeDeploy takes ${MAX_DEPLOYMENT_ALARMS} alarms per deployment group and the API's monitoring adds up to 4; combine alarms with a CompositeAlarm.`);
    }
    const alias = new lambda.Alias(scope, `${id}Alias`, { aliasName, version: fn.currentVersion });
    const deploymentGroup = new codedeploy.LambdaDeploymentGroup(scope, `${id}Deployment`, {
      application: this.sharedApplication(),
      role: this.sharedRole(),
      alias,
      deploymentConfig: options.deploymentConfig ?? codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
      alarms: options.alarms,
      preHook: options.preTrafficHook,
      postHook: options.postTrafficHook,
      // Rolled back on alarms too once it has some (the monitoring adds them).
      autoRollback: { failedDeployment: true, stoppedDeployment: true },
    });
    const target = { alias, deploymentGroup };
    this.targets.set(fn, target);
    this.alarmCounts.set(fn, options.alarms?.length ?? 0);
    return target;
  }

  private sharedApplication(): codedeploy.LambdaApplication {
    this.application ??= new codedeploy.LambdaApplication(this.api, 'DeploymentApplication');
    return this.application;
  }

  private sharedRole(): iam.Role {
    if (!this.role) {
      this.role = new iam.Role(this.api, 'DeploymentRole', {
        assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
        description: 'Shared by the CodeDeploy deployment groups that shift traffic between versions of the API\'s functions',
      });
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
        reason: 'AWSCodeDeployRoleForLambdaLimited is the policy AWS documents for CodeDeploy Lambda deployments (aws-cdk-lib attaches it): '
          + 'alias updates, alarm reads, and invoking hooks named CodeDeployHook_*; AWS keeps it current.',
      });
    }
    return this.role;
  }
}
