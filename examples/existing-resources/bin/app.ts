#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { Audit } from 'serverless-api-constructs';
import { addOrdersStages } from '../lib/orders-stages';

// An API in front of resources another team owns:  npx cdk deploy 'Dev/*'   npx cdk deploy 'Prod/*'
const app = new App();
addOrdersStages(app);
Audit.enable(app);
app.synth();
