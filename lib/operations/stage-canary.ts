import { Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { ServerlessApi } from '../api/serverless-api';
import { propError } from '../core/errors';
import { acknowledgeCustomResourceProvider } from './custom-resource-nag';

/**
 * An API Gateway canary on the stage: a share of the requests goes to the canary, with its own stage
 * variables. Promote or remove it by changing or dropping this prop: dropping it clears the canary on
 * the deployed stage (CloudFormation alone leaves it in place, aws/aws-cdk#33901).
 */
export interface StageCanaryOptions {
  /** Percent of the stage's requests the canary serves (0 to 100; fractions allowed, e.g. 0.5). */
  readonly percentTraffic: number;
  /**
   * The deployment the other requests keep (the stage's deployment before this change, e.g. from
   * `aws apigateway get-stage --rest-api-id <id> --stage-name <stage> --query deploymentId`). The canary
   * then serves the new deployment. Without it, the canary serves the same deployment and differs by
   * its stage variables only (for example a stage variable naming the Lambda alias it calls).
   * @default - the canary and the stage serve the latest deployment
   */
  readonly stableDeploymentId?: string;
  /**
   * Stage variables that differ on the canary.
   * @default - none
   */
  readonly stageVariableOverrides?: { [name: string]: string };
  /**
   * Whether the canary answers from the stage's cache.
   * @default false
   */
  readonly useStageCache?: boolean;
}

const DEPLOYMENT_ID = /^[a-z0-9]{6,12}$/;
const VARIABLE = /^[A-Za-z0-9_]+$/;
const VARIABLE_VALUE = /^[A-Za-z0-9-._~:/?#&=,]+$/;

/**
 * Sets the stage's canary, and adds a companion custom resource whose only job is its Delete:
 * `remove /canarySettings` on the stage. When the prop is dropped, CloudFormation drops the
 * `CanarySetting` (which the Stage resource does not act on) and deletes the companion, which clears
 * the canary. Nothing is added when there is no canary.
 * @internal
 */
export function applyStageCanary(api: ServerlessApi, canary: StageCanaryOptions | undefined): void {
  if (canary === undefined) { return; }
  const percent = canary.percentTraffic;
  if (!Token.isUnresolved(percent) && (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100)) {
    throw propError(api, 'stage.canary.percentTraffic', percent, 'is outside 0-100',
      'Give the percent of requests the canary serves, e.g. 10; drop stage.canary to remove the canary.');
  }
  const stable = canary.stableDeploymentId;
  if (stable !== undefined && !Token.isUnresolved(stable) && !DEPLOYMENT_ID.test(stable)) {
    throw propError(api, 'stage.canary.stableDeploymentId', stable, 'is not an API Gateway deployment id',
      'Give the id `aws apigateway get-stage ... --query deploymentId` prints, e.g. \'a1b2c3\'.');
  }
  for (const [name, value] of Object.entries(canary.stageVariableOverrides ?? {})) {
    if (!VARIABLE.test(name) || typeof value !== 'string' || (!Token.isUnresolved(value) && !VARIABLE_VALUE.test(value))) {
      throw propError(api, 'stage.canary.stageVariableOverrides', { [name]: value }, 'is not a stage variable',
        'Names are letters, digits and \'_\'; values letters, digits and -._~:/?#&=,');
    }
  }
  const cfnStage = api.stage.node.defaultChild as apigateway.CfnStage;
  const latest = api.restApi.latestDeployment?.deploymentId;
  cfnStage.canarySetting = {
    deploymentId: latest,
    percentTraffic: percent,
    stageVariableOverrides: canary.stageVariableOverrides,
    useStageCache: canary.useStageCache ?? false,
  };
  if (stable !== undefined) {
    // The stage keeps the stable deployment; the canary gets the new one.
    cfnStage.deploymentId = stable;
  }

  const stack = Stack.of(api);
  const clear = new cr.AwsCustomResource(api, 'CanaryRemoval', {
    onDelete: {
      service: 'APIGateway',
      action: 'updateStage',
      parameters: {
        restApiId: api.restApi.restApiId,
        stageName: api.stage.stageName,
        patchOperations: [{ op: 'remove', path: '/canarySettings' }],
      },
      // Deleting the stack deletes the stage too; a stage without a canary is fine as well.
      ignoreErrorCodesMatching: 'NotFoundException|BadRequestException',
    },
    installLatestAwsSdk: false,
    // The provider (one per stack) logs to the API's function log group (see response-cache.ts).
    logGroup: api.functionLogGroup,
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
      actions: ['apigateway:PATCH'],
      resources: [`arn:${stack.partition}:apigateway:${stack.region}::/restapis/${api.restApi.restApiId}/stages/${api.stage.stageName}`],
    })]),
  });
  clear.node.addDependency(api.stage);
  acknowledgeCustomResourceProvider(stack);
}
