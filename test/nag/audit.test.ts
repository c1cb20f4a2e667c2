import { App, CfnOutput, CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { resourcesOf, templateOf } from './trail';
import { Audit, ServerlessApi } from '../../lib';
import { inlineHandler, testApp } from '../util';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function auditedStack(): { app: App; stack: Stack } {
  const app = testApp();
  const stack = new Stack(app, 'Audited', { env: ENV });
  Audit.enable(app);
  return { app, stack };
}

describe('Audit', () => {
  test('GIVEN a table without point-in-time recovery WHEN synthesized THEN synth fails naming AwsSolutions-DDB3', () => {
    const { app, stack } = auditedStack();
    new dynamodb.Table(stack, 'NoPitr', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    expect(() => app.synth()).toThrow(/Audited\/NoPitr\/Resource[\s\S]*AwsSolutions-DDB3/);
  });

  test('GIVEN the same table acknowledged on the construct WHEN synthesized THEN synth passes and the template records it', () => {
    const { app, stack } = auditedStack();
    const table = new dynamodb.Table(stack, 'NoPitr', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    Validations.of(table).acknowledge({ id: 'AwsSolutions-DDB3', reason: 'Scratch table rebuilt from the event log on every deploy.' });
    app.synth();
    const resource = table.node.defaultChild as CfnResource;
    expect(templateOf(resource).Resources[stack.resolve(resource.logicalId)].Metadata.cdk_nag).toEqual({
      rules_to_suppress: [{ id: 'AwsSolutions-DDB3', reason: 'Scratch table rebuilt from the event log on every deploy.' }],
    });
  });

  test('fails if an acknowledgement gives no real reason', () => {
    const { app, stack } = auditedStack();
    const table = new dynamodb.Table(stack, 'NoPitr', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    Validations.of(table).acknowledge({ id: 'AwsSolutions-DDB3', reason: 'ok' });
    expect(() => app.synth()).toThrow(/acknowledges AwsSolutions-DDB3 with the reason "ok"/);
  });

  test('fails if an AwsSolutions rule is acknowledged for a whole stage', () => {
    const app = testApp();
    const stage = new Stage(app, 'Dev', { env: ENV });
    new Stack(stage, 'S');
    Validations.of(stage).acknowledge({ id: 'AwsSolutions-DDB3', reason: 'No table in this stage needs backups at all.' });
    Audit.enable(app);
    expect(() => app.synth()).toThrow(/acknowledges AwsSolutions-DDB3 for a whole stage/);
  });

  test('fails if a stage is created after Audit.enable without Audit.applyTo', () => {
    const app = testApp();
    Audit.enable(app);
    new Stack(new Stage(app, 'Late', { env: ENV }), 'S');
    expect(() => app.synth()).toThrow(/Stage 'Late' was created after Audit.enable/);
  });

  test('GIVEN a stage with Audit.applyTo WHEN created after Audit.enable THEN synth passes', () => {
    const app = testApp();
    Audit.enable(app);
    const stage = new Stage(app, 'Late', { env: ENV });
    Audit.applyTo(stage);
    new CfnResource(new Stack(stage, 'S'), 'Topic', { type: 'AWS::SNS::Topic', properties: { KmsMasterKeyId: 'alias/aws/sns' } });
    expect(() => app.synth()).not.toThrow();
  });

  test('GIVEN resources CDK adds during prepare (strong cross-region references) THEN their Metadata carries the trail too', () => {
    // GIVEN strong references: CDK creates ExportWriter/ExportReader custom resources, their
    // provider roles and functions, after every aspect has run.
    const app = testApp({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
    const stage = new Stage(app, 'Dev', { env: ENV });
    const producer = new Stack(stage, 'Certificate', { env: { ...ENV, region: 'us-east-1' }, crossRegionReferences: true });
    const value = new CfnResource(producer, 'Thing', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x' } });
    const consumer = new Stack(stage, 'Api', { env: ENV, crossRegionReferences: true });
    new CfnOutput(consumer, 'Out', { value: value.ref });
    Validations.of(consumer).acknowledge({ id: 'AwsSolutions-L1', reason: 'Runtime of CDK-provided custom resource providers is chosen by aws-cdk-lib.' });
    Audit.enable(app);

    // WHEN
    app.synth();

    // THEN
    const late = resourcesOf(consumer).filter(r => /ExportsReader|CrossRegionExportReader/.test(r.node.path));
    expect(late.length).toBeGreaterThanOrEqual(3); // the reader, its provider's role and function
    for (const resource of late) {
      expect(templateOf(resource).Resources[consumer.resolve(resource.logicalId)].Metadata?.cdk_nag?.rules_to_suppress)
        .toEqual([{ id: 'AwsSolutions-L1', reason: expect.stringContaining('aws-cdk-lib') }]);
    }
  });
});

describe('ServerlessApi X-Ray acknowledgement', () => {
  test('GIVEN a function role granted another action on "*" WHEN synthesized THEN synth fails instead of the acknowledgement hiding it', () => {
    const { app, stack } = auditedStack();
    const api = new ServerlessApi(stack, 'Api');
    const route = api.addRoute({ method: 'GET', path: '/r', handler: inlineHandler() });
    route.function!.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    expect(() => app.synth()).toThrow(/grants s3:GetObject on resource "\*", but the role acknowledges AwsSolutions-IAM5\[Resource::\*\]/);
  });
});
