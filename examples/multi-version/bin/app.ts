#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { Audit } from 'serverless-api-constructs';
import { addNotesStages } from '../lib/notes-stages';

// v1 and v2 of the notes API behind https://notes.<env>.example.com/v1 and /v2:
//   npx cdk deploy 'Dev/*'   npx cdk deploy 'Prod/*'
const app = new App();
addNotesStages(app);
Audit.enable(app);
app.synth();
