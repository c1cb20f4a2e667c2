import { Template } from 'aws-cdk-lib/assertions';
import { Audit } from 'serverless-api-constructs';
import { assetHashSerializer, stageTemplates, testApp } from 'serverless-api-constructs/testing';
import { addNotesStages } from '../lib/notes-stages';

expect.addSnapshotSerializer(assetHashSerializer);

const app = testApp();
const stages = addNotesStages(app);
Audit.enable(app);

describe.each(['Dev', 'Prod'] as const)('the %s stage', (id) => {
  test('matches its snapshot', () => {
    expect(stageTemplates(stages[id])).toMatchSnapshot();
  });
});

test('v1 and v2 are mapped under one domain', () => {
  const template = Template.fromStack(stages.Prod.api);
  template.resourceCountIs('AWS::ApiGateway::DomainName', 1);
  template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'v1' });
  template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'v2' });
});
