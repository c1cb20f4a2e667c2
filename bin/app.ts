#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ItemsApiStage } from './items-api-stage';
import { EnvironmentConfigs } from '../lib';

/**
 * The example app: the items service in three stages.
 *   npx cdk deploy 'Dev/*'   npx cdk deploy 'Test/*'   npx cdk deploy 'Prod/*'
 */
const app = new App();
for (const name of ['dev', 'test', 'prod']) {
  const stageId = name[0].toUpperCase() + name.slice(1);
  new ItemsApiStage(app, stageId, { config: EnvironmentConfigs.of(app, name) });
}
app.synth();
