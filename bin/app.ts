#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ItemsApiStage } from './items-api-stage';
import { Audit, EnvironmentConfigs } from '../lib';

/**
 * The example app: the items service in three stages, each in its own account with its own hosted
 * zone (see the README's "Deploy per stage"):
 *   npx cdk deploy 'Dev/*' --profile dev -c dev:account=111122223333 -c dev:hostedZoneId=Z... -c dev:zoneName=dev.example.com
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
