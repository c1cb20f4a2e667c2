import { Template } from 'aws-cdk-lib/assertions';
import { Audit } from 'serverless-api-constructs';
import { assetHashSerializer, stageTemplates, testApp } from 'serverless-api-constructs/testing';
import { addChatStages } from '../lib/chat-stages';

expect.addSnapshotSerializer(assetHashSerializer);

// The app as bin/app.ts builds it; bundling of our own handlers is skipped (asset hashes are masked).
const app = testApp();
const stages = addChatStages(app);
Audit.enable(app);

describe.each(['Dev', 'Test', 'Prod'] as const)('the %s stage', (id) => {
  test('matches its snapshot', () => {
    expect(stageTemplates(stages[id])).toMatchSnapshot();
  });
});

test('the app passes the audit (cdk-nag AwsSolutions and the library\'s checks)', () => {
  expect(() => app.synth()).not.toThrow();
});

describe('stateful resources keep their logical IDs', () => {
  test.each(['Dev', 'Test', 'Prod'] as const)('%s: the messages table, the connections table and the user pool', (id) => {
    const template = Template.fromStack(stages[id].chat);
    expect(Object.keys(template.findResources('AWS::DynamoDB::Table')).sort()).toEqual(['ChatSocketConnections8905DF38', 'MessagesF4740DAE']);
    expect(Object.keys(template.findResources('AWS::Cognito::UserPool'))).toEqual(['ChatApiUserPoolA199CB46']);
  });
});

test('prod keeps the history and the users; connections are transient in every stage', () => {
  const template = Template.fromStack(stages.Prod.chat);
  template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: { KeySchema: [{ AttributeName: 'room', KeyType: 'HASH' }, { AttributeName: 'sentAt', KeyType: 'RANGE' }] } });
  template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: { KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }] } });
  template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
});

test('the WebSocket API has its own domain next to the REST API\'s, in the same zone', () => {
  const template = Template.fromStack(stages.Dev.chat);
  template.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api.dev.example.com' });
  template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'ws.api.dev.example.com' });
  template.resourceCountIs('AWS::Route53::RecordSet', 4);
});

test('the chat is one construct plus three handlers: the library made $connect, $disconnect and the authorizer', () => {
  const template = Template.fromStack(stages.Dev.chat);
  const descriptions = Object.values(template.findResources('AWS::Lambda::Function')).map((f: any) => String(f.Properties.Description));
  expect(descriptions.filter(d => /\$connect: records|\$disconnect: deletes|\$connect authorizer: Cognito/.test(d))).toHaveLength(3);
  template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect', AuthorizationType: 'CUSTOM' });
  template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { IdentitySource: ['route.request.querystring.token'] });
});
