import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ItemsApiStage } from '../../bin/items-api-stage';
import { Audit, EnvironmentConfigs } from '../../lib';
import { CDK_CONTEXT } from '../util';

/**
 * A consumer's cdk.json has none of this project's feature flags. The library must not need them:
 * with an empty context, the example app's prod stage (API stack with an edge domain, and the
 * us-east-1 certificate stack the library creates) has the same resources, by logical ID and type,
 * as with our cdk.json.
 */
function resourcesOfProd(context: Record<string, unknown>): Record<string, Record<string, string>> {
  // Bundling of the example's own handlers is skipped (CLI context, not a feature flag); the
  // library's handlers are prebuilt assets either way.
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stage = new ItemsApiStage(app, 'Prod', { config: EnvironmentConfigs.of(app, 'prod') });
  Audit.enable(app);
  const assembly = stage.synth();
  const out: Record<string, Record<string, string>> = {};
  for (const file of fs.readdirSync(assembly.directory).filter(f => f.endsWith('.template.json')).sort()) {
    const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, file), 'utf8'));
    out[file] = Object.fromEntries(Object.entries<{ Type: string }>(template.Resources ?? {}).map(([id, r]) => [deploymentId(id), r.Type]));
  }
  return out;
}

/**
 * A Deployment's logical ID ends in a hash of the whole API definition, which differs where flags
 * only change how the same value is written (partition literals: 'arn:aws:...' or
 * '{"Fn::Sub": "arn:${AWS::Partition}:..."}'); compare the ID without that hash.
 */
function deploymentId(logicalId: string): string {
  // Likewise a Lambda Version's ID (gradual deployment) hashes the function's configuration, whose
  // rendering flags change: it is new on every change of the function by design.
  return logicalId.replace(/(Deployment[0-9A-F]{8})[0-9a-f]{32}$/, '$1[definition hash]')
    .replace(/(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}$/, '$1[configuration hash]');
}

describe('GIVEN a consumer app whose cdk.json has no context', () => {
  const withOurFlags = resourcesOfProd(CDK_CONTEXT);
  const withoutFlags = resourcesOfProd({});

  test('THEN the stage has the same templates (API stack, nested stacks, us-east-1 certificate stack)', () => {
    expect(Object.keys(withoutFlags)).toEqual(Object.keys(withOurFlags));
    expect(Object.keys(withOurFlags).some(f => /Certificate/.test(f))).toBe(true);
  });

  test.each(Object.keys(withOurFlags))('THEN %s has the same resources, by logical ID and type', (file) => {
    expect(withoutFlags[file]).toEqual(withOurFlags[file]);
  });

  test('THEN the certificate ARN crosses regions as a weak reference (no export writer/reader custom resources)', () => {
    const all = Object.values(withoutFlags).flatMap(r => Object.values(r));
    expect(all.filter(t => /CrossRegion|ExportWriter|ExportReader/.test(t))).toEqual([]);
  });

  test('THEN each stage writes its access logs to the log group ARN without the trailing \':*\'', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stage = new ItemsApiStage(app, 'Prod', { config: EnvironmentConfigs.of(app, 'prod') });
    const stages = Template.fromStack(stage.apiStack).findResources('AWS::ApiGateway::Stage');
    const arns = Object.values(stages).map(s => JSON.stringify(s.Properties.AccessLogSetting.DestinationArn));
    expect(arns).toHaveLength(2);
    for (const arn of arns) {
      expect(arn).toContain(':log-group:');
      expect(arn).not.toContain('GetAtt');
    }
  });
});
