#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ItemsApiStage } from './items-api-stage';
import { Audit, EnvironmentConfigs } from '../lib';

/**
 * The example app: the items service in three stages.
 *   npx cdk deploy 'Dev/*'   npx cdk deploy 'Test/*'   npx cdk deploy 'Prod/*'
 */
const app = new App();
for (const name of ['dev', 'test', 'prod']) {
  const stageId = name[0].toUpperCase() + name.slice(1);
  new ItemsApiStage(app, stageId, { config: EnvironmentConfigs.of(app, name) });
}
// cdk-nag AwsSolutions over every stack of every stage: synth fails on any unacknowledged error,
// and every acknowledgement is written into its resource's Metadata (cdk_nag.rules_to_suppress).
Audit.enable(app);
app.synth();
