#!/usr/bin/env node
// A brand-new consumer app, as a user writes it from the README: it imports the library by its
// package name only. scripts/consumer-check.sh installs the packed tarball next to a given
// aws-cdk-lib, without esbuild, and synthesizes every stage with an EMPTY cdk.json context.
import { App } from 'aws-cdk-lib';
import { Audit, EnvironmentConfigs } from 'serverless-api-constructs';
import { TodoStage } from '../lib/todo-stage';

const app = new App();
for (const name of ['dev', 'prod']) {
  const stageId = name[0].toUpperCase() + name.slice(1);
  const config = EnvironmentConfigs.of(app, name);
  new TodoStage(app, stageId, { env: config.env, config });
}
Audit.enable(app);
app.synth();
