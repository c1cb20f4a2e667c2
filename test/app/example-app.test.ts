import * as fs from 'fs';
import * as path from 'path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { App, CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ItemsApiStage } from '../../bin/items-api-stage';
import { Audit, EnvironmentConfigs } from '../../lib';
import { assetHashSerializer, maskAssetHashes, stageTemplates, testApp as consumerTestApp } from '../../lib/testing';
import { acknowledgements, resourcesOf, templateOf } from '../nag/trail';
import { testApp } from '../util';

expect.addSnapshotSerializer(assetHashSerializer);

/**
 * The example app exactly as bin/app.ts builds it (bundling skipped; asset hashes are masked anyway),
 * audited, with CDK's CloudFormation validation on as under `cdk synth`. Synthesized once, as
 * `cdk synth '**'` does (every stage, then the audit and the validation over all templates); every test
 * reads that one assembly.
 */
function exampleApp(): { app: App; stages: Record<string, ItemsApiStage> } {
  const app = testApp({ validate: true });
  const stages: Record<string, ItemsApiStage> = {};
  for (const name of ['dev', 'test', 'prod']) {
    stages[name] = new ItemsApiStage(app, name[0].toUpperCase() + name.slice(1), { config: EnvironmentConfigs.of(app, name) });
  }
  Audit.enable(app);
  return { app, stages };
}

const { app, stages } = exampleApp();
let synthError: unknown;

beforeAll(() => {
  try {
    app.synth();
  } catch (e) {
    synthError = e;
  }
});

describe('the example app under audit', () => {
  test('GIVEN Dev, Test and Prod WHEN synthesized THEN there is no unacknowledged AwsSolutions finding and CloudFormation validation passes', () => {
    // (the same Audit.enable does report a non-compliant table: see 'fails naming AwsSolutions-DDB3' in test/nag)
    expect(synthError).toBeUndefined();
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]); // no finding of any plugin (cdk-nag, CloudFormation Validate), warnings included
  });

  test('THEN every acknowledged resource carries Metadata.cdk_nag.rules_to_suppress with its reasons', () => {
    const acknowledged = resourcesOf(app).filter(r => acknowledgements(r).size > 0);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const resource of acknowledged) {
      const logicalId = Stack.of(resource).resolve(resource.logicalId);
      const rules = templateOf(resource).Resources[logicalId]?.Metadata?.cdk_nag?.rules_to_suppress;
      expect({ path: resource.node.path, ids: (rules ?? []).map((r: any) => r.id).sort() })
        .toEqual({ path: resource.node.path, ids: [...acknowledgements(resource).keys()].sort() });
      for (const rule of rules) {
        expect(typeof rule.reason === 'string' && rule.reason.trim().length >= 20).toBe(true);
      }
    }
  });

  test('THEN no acknowledgement sits on an App, a Stage or a Stack', () => {
    const blanket = app.node.findAll()
      .filter(c => Stage.isStage(c) || Stack.isStack(c))
      .filter(c => c.node.metadata.some(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .map(c => c.node.path);
    expect(blanket).toEqual([]);
  });
});

describe.each(['dev', 'test', 'prod'])('the %s stage', (name) => {
  test('matches its snapshot (drift check; asset hashes masked)', () => {
    expect(stageTemplates(stages[name])).toMatchSnapshot();
  });
});

describe('stateful resources keep their logical IDs', () => {
  // Changing one of these replaces the resource on deploy and loses its data: a refactor that moves
  // them must fail here first.
  test.each(['dev', 'test', 'prod'])('GIVEN the %s stage THEN the items table and the user pool have their pinned logical IDs', (name) => {
    const template = Template.fromStack(stages[name].apiStack);
    expect(Object.keys(template.findResources('AWS::DynamoDB::Table'))).toEqual(['ItemsTableB7160AE2']);
    expect(Object.keys(template.findResources('AWS::Cognito::UserPool'))).toEqual(['ItemsApiUserPoolC87E7BE8']);
  });

  test('GIVEN prod THEN the table and the user pool are retained and deletion-protected', () => {
    const template = Template.fromStack(stages.prod.apiStack);
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: { DeletionProtectionEnabled: true } });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: { DeletionProtection: 'ACTIVE' } });
  });

  test('GIVEN the snapshots THEN no asset hash is left unmasked', () => {
    expect(JSON.stringify(maskAssetHashes(stageTemplates(stages.dev)))).not.toMatch(/[0-9a-f]{64}/);
    expect(JSON.stringify(stageTemplates(stages.dev))).toMatch(/[0-9a-f]{64}/); // there were hashes to mask
  });

  test('GIVEN dev THEN the table may be destroyed', () => {
    Template.fromStack(stages.dev.apiStack).hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: { DeletionProtectionEnabled: false } });
  });
});

describe('the exported OpenAPI documents', () => {
  test.each(['Dev', 'Prod'])('GIVEN the %s stage THEN both items APIs have a complete document, valid per swagger-parser', async (stage) => {
    const dir = path.join(app.synth().directory, `assembly-${stage}`, 'openapi');
    expect(fs.readdirSync(dir).sort()).toEqual(['Api-ItemsApi.json', 'Api-ItemsApiV2.json']);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'Api-ItemsApi.json'), 'utf8'));
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    expect(doc.components.schemas.Item.properties.name).toEqual({ type: 'string', minLength: 1, maxLength: 200 });
    // Every operation declares the shape of its success response.
    for (const [p, item] of Object.entries<any>(doc.paths)) {
      for (const [m, op] of Object.entries<any>(item)) {
        const success = Object.keys(op.responses).filter(s => s.startsWith('2'));
        expect({ op: `${m} ${p}`, success: success.length > 0 || op.responses['204'] !== undefined || m === 'delete' }).toEqual({ op: `${m} ${p}`, success: true });
      }
    }
  });
});

describe('@aws-cdk/core:validateAgainstDefaultRules (cdk.json)', () => {
  // Here, next to the example app, because CDK's validation engine is built once per process for a set
  // of resource types: a log group is one of the example app's, so these reuse its engine.
  function invalidTemplate(context?: Record<string, unknown>): App {
    const invalid = testApp({ validate: true, context });
    const stack = new Stack(invalid, 'Invalid', { env: { account: '123456789012', region: 'eu-west-1' } });
    new CfnResource(stack, 'Logs', { type: 'AWS::Logs::LogGroup', properties: { RetentionInDays: 'soon' } });
    return invalid;
  }

  test('GIVEN the flag of cdk.json WHEN a template is invalid THEN synth fails', () => {
    expect(() => invalidTemplate().synth()).toThrow(/RetentionInDays: 'soon' is not of type 'integer'/);
  });

  test('GIVEN the flag off WHEN a template is invalid THEN synth only warns (why cdk.json turns it on)', () => {
    expect(() => invalidTemplate({ '@aws-cdk/core:validateAgainstDefaultRules': false }).synth()).not.toThrow();
  });

  test("GIVEN the consumers' testApp with builtinCloudFormationValidation: true THEN synth validates as cdk synth does", () => {
    const app = consumerTestApp({ builtinCloudFormationValidation: true, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    const stack = new Stack(app, 'Invalid', { env: { account: '123456789012', region: 'eu-west-1' } });
    new CfnResource(stack, 'Logs', { type: 'AWS::Logs::LogGroup', properties: { RetentionInDays: 'soon' } });
    expect(() => app.synth()).toThrow(/RetentionInDays: 'soon' is not of type 'integer'/);
  });
});
