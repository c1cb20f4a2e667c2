import { Template } from 'aws-cdk-lib/assertions';
import { Audit } from 'serverless-api-constructs';
import { assetHashSerializer, stageTemplates, testApp } from 'serverless-api-constructs/testing';
import { addOrdersStages } from '../lib/orders-stages';

expect.addSnapshotSerializer(assetHashSerializer);

const app = testApp();
const stages = addOrdersStages(app);
Audit.enable(app);

describe.each(['Dev', 'Prod'] as const)('the %s stage', (id) => {
  test('matches its snapshot', () => {
    expect(stageTemplates(stages[id])).toMatchSnapshot();
  });
});

test('nothing that already exists is created: no table, user pool, certificate or companion stack', () => {
  const template = Template.fromStack(stages.Prod.api);
  for (const type of ['AWS::DynamoDB::Table', 'AWS::Cognito::UserPool', 'AWS::CertificateManager::Certificate']) {
    template.resourceCountIs(type, 0);
  }
  expect(Object.keys(stageTemplates(stages.Prod))).toEqual(['ProdOrders525171E2.template.json']);
  template.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: 'arn:aws:lambda:eu-west-1:333333333333:function:orders-report' });
  template.hasResourceProperties('AWS::ApiGateway::DomainName', {
    CertificateArn: 'arn:aws:acm:us-east-1:333333333333:certificate/0a1b2c3d-0000-4000-8000-0000000prod0',
  });
});
