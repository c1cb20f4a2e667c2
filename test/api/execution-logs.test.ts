import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ServerlessApi, ServerlessApiProps } from '../../lib';
import { inlineHandler, testStack } from '../util';

/**
 * API Gateway writes execution logs to `API-Gateway-Execution-Logs_{restApiId}/{stageName}`, a group
 * it creates itself on first use, outside the stack, with no expiry. The library creates that group
 * first, with the stage's retention and removal policy.
 */
function build(props: ServerlessApiProps = {}): { template: Template; api: ServerlessApi; stack: ReturnType<typeof testStack> } {
  const stack = testStack();
  const api = new ServerlessApi(stack, 'Api', { stageName: 'prod', ...props });
  api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });
  return { template: Template.fromStack(stack), api, stack };
}

function executionLogGroups(template: Template): Record<string, any> {
  return Object.fromEntries(Object.entries(template.findResources('AWS::Logs::LogGroup'))
    .filter(([, r]) => JSON.stringify(r.Properties?.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_')));
}

describe('execution log group', () => {
  test('GIVEN an API THEN API Gateway\'s execution log group is created with the stage\'s retention, retained, before the stage', () => {
    const { template, api, stack } = build();
    const restApiId = stack.getLogicalId(api.restApi.node.defaultChild as apigateway.CfnRestApi);
    const groups = executionLogGroups(template);

    expect(Object.values(groups)).toEqual([{
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: restApiId }, '/prod']] }, RetentionInDays: 30 },
      UpdateReplacePolicy: 'Retain',
      DeletionPolicy: 'Retain',
    }]);
    const stageResource = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0];
    expect(stageResource.DependsOn).toEqual(expect.arrayContaining(Object.keys(groups)));
    expect(api.executionLogGroup).toBeDefined();
  });

  test('GIVEN a stage retention and removal policy THEN the execution log group follows them', () => {
    const { template } = build({ stage: { logRetention: logs.RetentionDays.ONE_WEEK, logRemovalPolicy: RemovalPolicy.DESTROY } });
    const group = Object.values(executionLogGroups(template))[0];
    expect(group.Properties.RetentionInDays).toBe(7);
    expect(group.DeletionPolicy).toBe('Delete');
  });

  test('GIVEN execution logging OFF THEN no execution log group is created', () => {
    const { template, api } = build({ stage: { executionLogLevel: apigateway.MethodLoggingLevel.OFF } });
    expect(executionLogGroups(template)).toEqual({});
    expect(api.executionLogGroup).toBeUndefined();
  });

  test('GIVEN manageExecutionLogGroup false (the group exists already) THEN none is created', () => {
    const { template } = build({ stage: { manageExecutionLogGroup: false } });
    expect(executionLogGroups(template)).toEqual({});
  });
});
