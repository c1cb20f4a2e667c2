/**
 * An integration test of the notes API against the local server: synthesize the Dev stage (with the
 * handler bundled), serve it with LocalApi, call it over HTTP with tokens of the stage's user pool.
 * No AWS account, no Docker: the Cognito authorizer, the function and DynamoDB all run locally.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { LocalApi } from 'serverless-api-constructs/local';
import { NotesStage } from '../lib/notes-stage';

let api: LocalApi;
let assembly: string;
let notes: string;

beforeAll(async () => {
  assembly = fs.mkdtempSync(path.join(os.tmpdir(), 'notes-'));
  // The built-in CloudFormation rule check adds seconds to every synth; the deploy pipeline runs it.
  const app = new App({ outdir: assembly, builtinCloudFormationValidation: false });
  new NotesStage(app, 'Dev', { env: { account: '111111111111', region: 'eu-west-1' } });
  app.synth();
  api = await LocalApi.start({ assembly, stage: 'Dev' }); // 127.0.0.1, a free port, nothing persisted
  notes = `${api.urlOf('notes')}/notes`;
}, 120_000); // synth bundles the handler with esbuild

afterAll(async () => {
  await api?.stop();
  fs.rmSync(assembly, { recursive: true, force: true });
});

const as = (user: string) => ({ authorization: api.token({ username: user }).idToken, 'content-type': 'application/json' });

test('a signed-in user writes a note and lists it; another user sees none', async () => {
  const created = await fetch(notes, { method: 'POST', headers: as('alice@example.com'), body: JSON.stringify({ text: 'buy milk' }) });
  expect(created.status).toBe(201);

  const mine = await fetch(notes, { headers: as('alice@example.com') });
  expect(await mine.json()).toEqual([expect.objectContaining({ text: 'buy milk' })]);

  const theirs = await fetch(notes, { headers: as('bob@example.com') });
  expect(await theirs.json()).toEqual([]);
});

test('without a token the API answers 401, as API Gateway does', async () => {
  const res = await fetch(notes);
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
});
