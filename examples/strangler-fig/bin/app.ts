#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { Audit } from 'serverless-api-constructs';
import { addStranglerFigStages } from '../lib/strangler-fig-stages';

// The shop API in Dev and Prod:  npx cdk deploy 'Dev/*' -c dev:legacyUrl=https://shop-dev.internal.example.com
const app = new App();
addStranglerFigStages(app);
Audit.enable(app); // cdk-nag AwsSolutions + the library's checks on every stack of every stage
app.synth();
