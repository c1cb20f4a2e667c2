#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { Audit } from 'serverless-api-constructs';
import { addChatStages } from '../lib/chat-stages';

// Dev, Test and Prod of the chat:  npx cdk deploy 'Dev/*'   npx cdk deploy 'Prod/*'
const app = new App();
addChatStages(app);
Audit.enable(app); // cdk-nag AwsSolutions + the library's checks on every stack of every stage
app.synth();
