/**
 * examples/chat's Dev stage served locally: users of the stage's Cognito pool connect to the
 * WebSocket API with a local access token in ?token= (the library's Cognito authorizer verifies it
 * against the local JWKS), the library's $connect handler keeps the room and nickname in the
 * connections table, and API Gateway's own answers (the ping mock, the $default error) come back.
 * The app's own handlers (src/*.ts) import `serverless-api-constructs/runtime/websocket`, which only
 * resolves where the package is installed (`npm run examples`), so this synth skips their bundling:
 * their routes answer API Gateway's 'Internal server error' message here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { WebSocket } from 'ws';
import { addChatStages } from '../../examples/chat/lib/chat-stages';
import { LocalApi } from '../../lib/local';
import { CDK_CONTEXT } from '../util';

let local: LocalApi;
let outdir: string;

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-api-chat-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  addChatStages(app);
  app.synth();
  local = await LocalApi.start({ assembly: outdir, stage: 'Dev' });
}, 120_000);
afterAll(async () => {
  await local?.stop();
  if (outdir) { fs.rmSync(outdir, { recursive: true, force: true }); }
});

function open(query: string, at = '/dev'): Promise<{ ws: WebSocket; next: () => Promise<any> } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${local.url.replace(/^http/, 'ws')}${at}${query}`);
    const queue: string[] = [];
    const waiting: Array<(text: string) => void> = [];
    ws.on('message', (data: Buffer) => { const w = waiting.shift(); if (w) { w(data.toString()); } else { queue.push(data.toString()); } });
    ws.on('unexpected-response', (_req, res) => { res.resume(); resolve({ status: res.statusCode ?? 0 }); });
    ws.on('error', reject);
    ws.on('open', () => resolve({
      ws,
      next: () => new Promise(done => {
        const take = (text: string) => done(JSON.parse(text));
        const q = queue.shift();
        if (q !== undefined) { take(q); } else { waiting.push(take); }
      }),
    }));
  });
}

test('the chat socket is served at /dev next to the history API, and listed with its routes', () => {
  const socket = local.info().webSocketApis.find(w => w.name === 'chat-socket-dev');
  expect(socket?.url).toBe(`${local.url.replace('http', 'ws')}/dev`);
  expect(socket?.routes.map(r => r.routeKey).sort()).toEqual(['$connect', '$default', '$disconnect', 'joinRoom', 'ping', 'sendMessage']);
});

test('without a token the handshake is refused 401', async () => {
  expect(await open('?room=lobby')).toEqual({ status: 401 });
});

test('a signed-in user connects with the room and nickname kept, ping is answered by the mock, unknown actions by $default', async () => {
  const { accessToken } = local.token({ username: 'ann@example.com' });
  const client = await open(`?token=${accessToken}&room=lobby&nickname=Ann`);
  if ('status' in client) { throw new Error(`refused ${client.status}`); }
  client.ws.send('{"action":"ping"}');
  expect(await client.next()).toEqual({ type: 'pong' });
  client.ws.send('{"action":"dance"}');
  expect(await client.next()).toEqual({ type: 'error', message: 'Unknown action: use sendMessage, joinRoom or ping.' });

  const ddb = new DynamoDBClient({ endpoint: local.dynamodbEndpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const table = local.info().tables.find(t => /ChatSocketConnections/.test(t.path) || /ChatSocketConnections/.test(t.name))!.name;
  const { Items } = await ddb.send(new ScanCommand({ TableName: table }));
  ddb.destroy();
  const sub = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).sub;
  expect(Items).toEqual([expect.objectContaining({ principal: { S: sub }, topic: { S: 'lobby' }, attributes: { M: { nickname: { S: 'Ann' } } } })]);
  await new Promise<void>(resolve => { client.ws.once('close', () => resolve()); client.ws.close(); });
});

test('the socket\'s custom domain mapping (ws.api.dev.example.com, root) is served at / too, and the mapping\'s connections are the stage\'s', async () => {
  const socket = local.info().webSocketApis.find(w => w.name === 'chat-socket-dev');
  expect(socket?.domainUrls).toEqual([`${local.url.replace('http', 'ws')}/   (ws.api.dev.example.com)`]);
  const { accessToken } = local.token({ username: 'bob@example.com' });
  const client = await open(`?token=${accessToken}&room=lobby`, '/');
  if ('status' in client) { throw new Error(`refused ${client.status}`); }
  client.ws.send('{"action":"ping"}');
  expect(await client.next()).toEqual({ type: 'pong' });
  // The earlier test's connection may still be closing on the server side.
  const count = () => local.info().webSocketApis.find(w => w.name === 'chat-socket-dev')?.connections;
  for (let i = 0; i < 200 && count() !== 1; i++) { await new Promise(r => setTimeout(r, 25)); }
  expect(count()).toBe(1);
  await new Promise<void>(resolve => { client.ws.once('close', () => resolve()); client.ws.close(); });
});
