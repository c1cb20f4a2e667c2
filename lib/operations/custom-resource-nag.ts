import { Stack, Validations } from 'aws-cdk-lib';

/** The construct ID aws-cdk-lib gives the singleton function behind every `AwsCustomResource` of a stack. */
const PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
const ACKNOWLEDGED = Symbol.for('serverless-api-constructs.acknowledgedCustomResourceProvider');

/**
 * Acknowledges the cdk-nag findings of aws-cdk-lib's `AwsCustomResource` provider function, once per
 * stack: its runtime and its role are chosen by aws-cdk-lib, not by this library.
 * @internal
 */
export function acknowledgeCustomResourceProvider(stack: Stack): void {
  const provider = stack.node.tryFindChild(PROVIDER_ID);
  if (!provider || (provider as any)[ACKNOWLEDGED]) { return; }
  Object.defineProperty(provider, ACKNOWLEDGED, { value: true });
  const reason = 'aws-cdk-lib\'s AwsCustomResource provider (one per stack) writes what CloudFormation cannot set on the API stage; '
    + 'aws-cdk-lib picks its runtime and gives its role AWSLambdaBasicExecutionRole (logs only); its API permissions are scoped to this API\'s stage.';
  for (const id of ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'AwsSolutions-L1']) {
    Validations.of(provider).acknowledge({ id, reason });
  }
}
