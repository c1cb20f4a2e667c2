import * as fs from 'fs';
import * as path from 'path';
import { App, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ItemsApiStage } from '../../bin/items-api-stage';
import { Audit, EnvironmentConfigs } from '../../lib';
import { maskAssetHashes, testApp } from '../util';

/** The example app exactly as bin/app.ts builds it (bundling skipped; asset hashes are masked anyway). */
function exampleApp(): { app: App; stages: Record<string, ItemsApiStage> } {
  const app = testApp();
  const stages: Record<string, ItemsApiStage> = {};
  for (const name of ['dev', 'test', 'prod']) {
    stages[name] = new ItemsApiStage(app, name[0].toUpperCase() + name.slice(1), { config: EnvironmentConfigs.of(app, name) });
  }
  Audit.enable(app);
  return { app, stages };
}

/** Every template of a stage (stacks and nested stacks), by artifact id / template file. */
function stageTemplates(stage: Stage): Record<string, unknown> {
  const assembly = stage.synth();
  const out: Record<string, unknown> = {};
  for (const file of fs.readdirSync(assembly.directory).filter(f => f.endsWith('.template.json')).sort()) {
    out[file] = JSON.parse(fs.readFileSync(path.join(assembly.directory, file), 'utf8'));
  }
  return out;
}

const { stages } = exampleApp();

describe.each(['dev', 'test', 'prod'])('the %s stage', (name) => {
  test('matches its snapshot (drift check; asset hashes masked)', () => {
    expect(maskAssetHashes(stageTemplates(stages[name]))).toMatchSnapshot();
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
