import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The URI by which API Gateway invokes a Lambda function (a proxy integration or an authorizer):
 * `arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`,
 * with the partition and region of `scope`'s stack (literals when the stack has an explicit environment).
 * @internal
 */
export function lambdaInvocationUri(scope: IConstruct, functionArn: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:apigateway:${stack.region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}
