#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { Audit } from 'serverless-api-constructs';
import { addIngestPipelineStages } from '../lib/ingest-pipeline-stages';

// The ingest pipeline in Dev and Prod:  npx cdk deploy 'Dev/*'   npx cdk deploy 'Prod/*'
const app = new App();
addIngestPipelineStages(app);
Audit.enable(app); // cdk-nag AwsSolutions + the library's checks on every stack of every stage
app.synth();
