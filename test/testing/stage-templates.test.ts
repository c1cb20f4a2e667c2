import { App, CfnResource, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { stageTemplates, testApp } from '../../lib/testing';

const ENV = { account: '123456789012', region: 'eu-west-1' };

/** A stage with two stacks, one holding a nested stack, and a stage nested inside it. */
function stageWithNestedStack(app: App = testApp()): Stage {
  const stage = new Stage(app, 'Prod', { env: ENV });
  const api = new Stack(stage, 'Api');
  new CfnResource(api, 'Topic', { type: 'AWS::SNS::Topic' });
  const nested = new NestedStack(api, 'Routes1');
  new CfnResource(nested, 'Queue', { type: 'AWS::SQS::Queue' });
  new CfnResource(new Stack(stage, 'Certificate', { env: { ...ENV, region: 'us-east-1' } }), 'Bucket', { type: 'AWS::S3::Bucket' });
  const inner = new Stage(stage, 'Inner');
  new CfnResource(new Stack(inner, 'Other'), 'Topic', { type: 'AWS::SNS::Topic' });
  return stage;
}

function resourceTypes(template: { [key: string]: any }): string[] {
  return Object.values<any>(template.Resources ?? {}).map(r => r.Type).filter(t => t !== 'AWS::CDK::Metadata');
}

describe('stageTemplates', () => {
  test('GIVEN a stage THEN templates are keyed by their assembly file, nested stacks included, nested stages left out', () => {
    const templates = stageTemplates(stageWithNestedStack());
    expect(Object.keys(templates)).toEqual([
      'ProdApi2466CF1F.template.json',
      'ProdApiRoutes10CF8A93B.nested.template.json',
      'ProdCertificate667D55C9.template.json',
    ]);
    expect(resourceTypes(templates['ProdApiRoutes10CF8A93B.nested.template.json'])).toEqual(['AWS::SQS::Queue']);
  });

  test('GIVEN keys \'path\' THEN templates are keyed by stack path', () => {
    const templates = stageTemplates(stageWithNestedStack(), { keys: 'path' });
    expect(Object.keys(templates).sort()).toEqual(['Prod/Api', 'Prod/Api/Routes1', 'Prod/Certificate']);
    expect(resourceTypes(templates['Prod/Api'])).toEqual(['AWS::SNS::Topic', 'AWS::CloudFormation::Stack']);
    expect(resourceTypes(templates['Prod/Certificate'])).toEqual(['AWS::S3::Bucket']);
  });

  test('GIVEN an App THEN the stacks directly in it are its templates', () => {
    const app = testApp({ builtinCloudFormationValidation: false }); // only the keys matter here
    new CfnResource(new Stack(app, 'Direct'), 'Topic', { type: 'AWS::SNS::Topic' });
    stageWithNestedStack(app);
    expect(Object.keys(stageTemplates(app, { keys: 'path' }))).toEqual(['Direct']);
  });

  test('GIVEN the templates THEN they are what the assembly holds (aspects and construct validations have run)', () => {
    const stage = stageWithNestedStack();
    const templates = stageTemplates(stage);
    const artifact = stage.synth().getStackByName('Prod-Api');
    expect(templates['ProdApi2466CF1F.template.json']).toEqual(artifact.template);
  });

  test('fails if the stage holds no stack', () => {
    const app = testApp();
    expect(() => stageTemplates(new Stage(app, 'Empty'))).toThrow(
      "stageTemplates: 'Empty' holds no stack. Add a Stack to it, or pass the Stage that holds your stacks.");
  });

  test('fails if keys is neither file nor path', () => {
    expect(() => stageTemplates(stageWithNestedStack(), { keys: 'id' as 'path' })).toThrow(
      'stageTemplates: keys must be \'file\' or \'path\' (received "id").');
  });
});

describe('testApp', () => {
  test('GIVEN no props THEN bundling is skipped for every stack', () => {
    expect(testApp().node.tryGetContext('aws:cdk:bundling-stacks')).toEqual([]);
  });

  test('GIVEN bundling THEN stacks bundle as under cdk synth', () => {
    expect(testApp({ bundling: true }).node.tryGetContext('aws:cdk:bundling-stacks')).toBeUndefined();
  });

  test('GIVEN context THEN it is kept, and wins', () => {
    const app = testApp({ context: { 'aws:cdk:bundling-stacks': ['Prod/*'], flag: true } });
    expect(app.node.tryGetContext('aws:cdk:bundling-stacks')).toEqual(['Prod/*']);
    expect(app.node.tryGetContext('flag')).toBe(true);
  });
});
