import { Match, Template } from 'aws-cdk-lib/assertions';
import { Audit } from 'serverless-api-constructs';
import { assetHashSerializer, stageTemplates, testApp } from 'serverless-api-constructs/testing';
import { addAsyncOrdersStages } from '../lib/async-orders-stages';

expect.addSnapshotSerializer(assetHashSerializer);

const app = testApp();
const stages = addAsyncOrdersStages(app);
Audit.enable(app);

function body(template: Template): any {
  return Object.values<any>(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

describe.each(['Dev', 'Prod'] as const)('the %s stage', (id) => {
  test('matches its snapshot', () => {
    expect(stageTemplates(stages[id])).toMatchSnapshot();
  });
});

test('no Lambda on the request path: the API invokes no function, only the queue\'s consumer exists', () => {
  const template = Template.fromStack(stages.Prod.orders);
  template.resourceCountIs('AWS::Lambda::Function', 1);
  template.resourceCountIs('AWS::Lambda::Permission', 0);
  const types = Object.values<any>(body(template).paths).flatMap(item => Object.values<any>(item)
    .map(operation => operation['x-amazon-apigateway-integration'].type));
  expect(types.sort()).toEqual(['aws', 'aws', 'aws', 'mock']);
});

test('a poison order ends on the dead-letter queue after 3 receives, and failed records are retried one by one', () => {
  const template = Template.fromStack(stages.Prod.orders);
  template.hasResourceProperties('AWS::SQS::Queue', {
    RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersDeadLetters'), 'Arn'] }, maxReceiveCount: 3 },
  });
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
});

test('prod keeps its orders: the table is retained and deletion-protected', () => {
  Template.fromStack(stages.Prod.orders).hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: { DeletionProtectionEnabled: true } });
});

test('the audit passes: cdk-nag AwsSolutions and the library\'s checks, every finding fixed or acknowledged with a reason', () => {
  expect(() => app.synth()).not.toThrow();
});
