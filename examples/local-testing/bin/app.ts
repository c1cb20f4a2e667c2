#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { NotesStage } from '../lib/notes-stage';

// `npx cdk synth '**'` writes cdk.out; `npm start` serves its Dev stage on http://127.0.0.1:3000.
const app = new App();
new NotesStage(app, 'Dev', { env: { account: '111111111111', region: 'eu-west-1' } });
app.synth();
