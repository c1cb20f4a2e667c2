/**
 * The example app's Dev stage (bin/items-api-stage.ts), bundled with esbuild and served locally, as
 * `npm start` serves it: API keys and usage plans on reads, Cognito on writes, the partner
 * authorizer, IAM on /admin/stats, DynamoDB behind the CRUD handlers, and v2 at its base path.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ItemsApiStage } from '../../bin/items-api-stage';
import { EnvironmentConfigs } from '../../lib';
import { LocalApi } from '../../lib/local';
import { CDK_CONTEXT } from '../util';
import { jsonOf, signedFetch } from './fixture';

let local: LocalApi;
let outdir: string;
let v1: string;
let v2: string;

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-api-example-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_CONTEXT, 'dev:partnerIds': 'acme,globex' } });
  new ItemsApiStage(app, 'Dev', { config: EnvironmentConfigs.of(app, 'dev') });
  app.synth();
  local = await LocalApi.start({ assembly: outdir, stage: 'Dev' });
  v1 = local.urlOf('items-dev');
  v2 = local.urlOf('items-v2-dev');
}, 120_000);
afterAll(async () => {
  await local?.stop();
  if (outdir) { fs.rmSync(outdir, { recursive: true, force: true }); }
});

test('v1 and v2 are served at the domain\'s base paths', async () => {
  expect(v1).toBe(`${local.url}/v1`);
  expect((await jsonOf(await fetch(`${v2}/version`))).body).toEqual({ version: 'v2' });
});

test('reads need a key of a usage plan; writes need a Cognito token; the item round-trips through DynamoDB', async () => {
  const key = local.apiKey('demo-free-dev');
  const { idToken } = local.token({ username: 'dana@example.com' });
  expect((await fetch(`${v1}/items`)).status).toBe(403);
  const unauthenticated = await fetch(`${v1}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"lamp-1","name":"Lamp"}' });
  expect(unauthenticated.status).toBe(401);

  const created = await jsonOf(await fetch(`${v1}/items`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'authorization': idToken }, body: '{"id":"lamp-1","name":"Lamp"}',
  }));
  expect(created).toMatchObject({ status: 201, body: { id: 'lamp-1', name: 'Lamp', version: 1 } });
  const read = await jsonOf(await fetch(`${v1}/items/lamp-1`, { headers: { 'x-api-key': key } }));
  expect(read).toMatchObject({ status: 200, body: { id: 'lamp-1', version: 1 } });
  // v2 shares the table and reads without a key.
  expect((await jsonOf(await fetch(`${v2}/items/lamp-1`))).body.name).toBe('Lamp');
});

test('the CRUD handlers\' own errors come through: a duplicate id is 409', async () => {
  const { idToken } = local.token({ username: 'dana@example.com' });
  const post = () => fetch(`${v1}/items`, { method: 'POST', headers: { 'content-type': 'application/json', 'authorization': idToken }, body: '{"id":"dup-1","name":"Duplicate"}' });
  expect((await post()).status).toBe(201);
  expect((await post()).status).toBe(409);
});

test('the items API validates bodies against its item schema (bin/schemas/item.json) before any function runs', async () => {
  const { idToken } = local.token({ username: 'dana@example.com' });
  const res = await jsonOf(await fetch(`${v1}/items`, { method: 'POST', headers: { 'content-type': 'application/json', 'authorization': idToken }, body: '{"id":"no-name"}' }));
  expect(res).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST_BODY', message: '[object has missing required properties (["name"])]' } } });
});

test('the partner authorizer admits configured partners only', async () => {
  const admitted = await jsonOf(await fetch(`${v1}/partner/items`, { headers: { 'x-partner-id': 'acme' } }));
  expect(admitted).toMatchObject({ status: 200, body: { partnerId: 'acme' } });
  expect((await fetch(`${v1}/partner/items`, { headers: { 'x-partner-id': 'initech' } })).status).toBe(403);
});

test('/admin/stats is IAM-only, and the stage grants it to nobody', async () => {
  expect((await fetch(`${v1}/admin/stats`)).status).toBe(403);
  const res = await jsonOf(await signedFetch(`${v1}/admin/stats`, { credentials: local.credentials() }));
  expect(res.status).toBe(403);
  expect(res.body.error.code).toBe('ACCESS_DENIED');
});
