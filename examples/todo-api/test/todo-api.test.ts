import { Template } from 'aws-cdk-lib/assertions';
import { Audit } from 'serverless-api-constructs';
import { assetHashSerializer, stageTemplates, testApp } from 'serverless-api-constructs/testing';
import { addTodoStages } from '../lib/todo-stages';

expect.addSnapshotSerializer(assetHashSerializer);

// The app as bin/app.ts builds it; bundling of our own handlers is skipped (asset hashes are masked).
const app = testApp();
const stages = addTodoStages(app);
Audit.enable(app);

describe.each(['Dev', 'Test', 'Prod'] as const)('the %s stage', (id) => {
  test('matches its snapshot', () => {
    expect(stageTemplates(stages[id])).toMatchSnapshot();
  });
});

test('prod keeps its todos and users: retained and deletion-protected without any data props', () => {
  const template = Template.fromStack(stages.Prod.api);
  template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: { DeletionProtectionEnabled: true } });
  template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: { DeletionProtection: 'ACTIVE' } });
});

test('dev may be torn down', () => {
  Template.fromStack(stages.Dev.api).hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
});
