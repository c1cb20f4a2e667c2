#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { Audit } from 'serverless-api-constructs';
import { addBookshopStages } from '../lib/bookshop-stages';

// The bookshop in Dev and Prod:  npx cdk deploy 'Dev/*'
// Its client:                    npm run client   (writes generated/ from openapi/bookshop.yaml)
const app = new App();
addBookshopStages(app);
Audit.enable(app); // cdk-nag AwsSolutions + the library's checks on every stack of every stage
app.synth();
