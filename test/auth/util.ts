import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** The deployed OpenAPI body of the stack's one RestApi, with CloudFormation tokens resolved to intrinsics. */
export function body(stack: Stack): any {
  const apis = Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi');
  return Object.values(apis)[0].Properties.Body;
}

/** The resource policy of the stack's one RestApi: the `x-amazon-apigateway-policy` of its OpenAPI body. */
export function resourcePolicy(stack: Stack): any {
  return body(stack)['x-amazon-apigateway-policy'];
}

/** A small inline function to act as a Lambda authorizer. */
export function authorizerFunction(scope: Construct, id: string): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ principalId: "x" });'),
  });
}
