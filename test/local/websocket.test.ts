/**
 * WebSocket APIs on the local server, with real WebSocket clients (the `ws` package) on loopback:
 * $connect per authorization kind (none, IAM SigV4 on the upgrade, Lambda authorizer, the library's
 * Cognito authorizer against the server's own JWKS), routing by the route selection expression,
 * two-way replies, the library's connect/disconnect handlers writing the connections table in the
 * local DynamoDB, the `@connections` API (SigV4, 410 for gone ids) used by the library's send helper
 * from a locally run function, and SQS targets recorded by the stand-in.
 *
 * Expected answers: API Gateway developer guide, "Control access to WebSocket APIs" (a refused
 * $connect is answered with the HTTP status of the handshake: 401 Unauthorized, 403 Forbidden), "Use
 * @connections commands in your backend service" (410 GoneException for a connection that is gone),
 * "WebSocket API route selection" (no matching route and no $default: `{"message": "Forbidden", ...}`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DynamoDBClient, ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { buildSync } from 'esbuild';
import { WebSocket } from 'ws';
import { inline, presignedUrl, signedFetch, signedHeaders, startLocal, stopLocal, synthesizeStage } from './fixture';
import { RouteHandler, ServerlessWebSocketApi, WebSocketAuthorization, WebSocketTarget } from '../../lib';
import type { LocalApi } from '../../lib/local';

const ECHO = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({
  routeKey: event.requestContext.routeKey, eventType: event.requestContext.eventType, connectionId: event.requestContext.connectionId,
  domainName: event.requestContext.domainName, stage: event.requestContext.stage, apiId: event.requestContext.apiId,
  authorizer: event.requestContext.authorizer || null, identity: event.requestContext.identity, body: event.body, isBase64Encoded: event.isBase64Encoded }) });`;

const AUTHORIZER = `exports.handler = async (event) => {
  const token = event.queryStringParameters.token;
  if (token === 'bad') { throw new Error('Unauthorized'); }
  return { principalId: 'user-' + token, context: { tier: 'gold' },
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: token === 'deny' ? 'Deny' : 'Allow', Resource: event.methodArn }] } };
};`;

const bundleDirs: string[] = [];

/** The broadcast function, bundled with the library's send helper (the AWS SDK left to the runtime, as in Lambda). */
function broadcastCode(): lambda.Code {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-ws-broadcast-'));
  bundleDirs.push(dir);
  buildSync({
    entryPoints: [path.join(__dirname, 'websocket-functions', 'broadcast.ts')], bundle: true, platform: 'node', target: 'node20',
    outfile: path.join(dir, 'index.js'), external: ['@aws-sdk/*'], logLevel: 'silent',
  });
  return lambda.Code.fromAsset(dir);
}

let api: LocalApi;
let ddb: DynamoDBClient;
let tables: string[];

beforeAll(async () => {
  const assembly = synthesizeStage(stack => {
    const pool = new cognito.UserPool(stack, 'Users');
    const client = pool.addClient('Web');
    const open = new ServerlessWebSocketApi(stack, 'Open', {
      stageName: 'open',
      connectAuthorization: WebSocketAuthorization.none(),
      connections: { topicParameter: 'room' },
    });
    open.addRoute({ routeKey: 'echo', handler: inline(ECHO), returnResponse: true });
    open.addRoute({ routeKey: 'broadcast', handler: RouteHandler.fromCode(broadcastCode(), { dataAccess: [open.manageConnections] }), returnResponse: true });
    open.addRoute({ routeKey: 'ping', target: WebSocketTarget.mock({ response: '{"type":"pong","connection":"$context.connectionId"}' }), returnResponse: true });
    open.addRoute({ routeKey: 'telemetry', target: WebSocketTarget.sqs(new sqs.Queue(stack, 'Telemetry', { enforceSSL: true })) });
    open.addRoute({ routeKey: '$default', target: WebSocketTarget.mock({ response: '{"type":"error","message":"unknown action"}' }), returnResponse: true });

    const strict = new ServerlessWebSocketApi(stack, 'Strict', { stageName: 'strict', connectAuthorization: WebSocketAuthorization.none() });
    strict.addRoute({ routeKey: 'echo', handler: inline(ECHO), returnResponse: true });
    strict.addRoute({ routeKey: 'limited', target: WebSocketTarget.mock({ response: '{"ok":true}' }), returnResponse: true, throttle: { rateLimit: 1, burstLimit: 1 } });

    const keyed = new ServerlessWebSocketApi(stack, 'Keyed', { stageName: 'keyed', connectAuthorization: WebSocketAuthorization.none(), apiKeyRequired: true });
    keyed.addRoute({ routeKey: 'echo', handler: inline(ECHO), returnResponse: true });
    keyed.addApiKey('Key', keyed.addUsagePlan('Basic', { quota: { limit: 3, period: apigateway.Period.DAY } }), 'basic');

    const signed = new ServerlessWebSocketApi(stack, 'Signed', { stageName: 'iam' });
    signed.addRoute({ routeKey: 'echo', handler: inline(ECHO), returnResponse: true });
    signed.grantConnect(new iam.Role(stack, 'Device', { assumedBy: new iam.AccountRootPrincipal(), roleName: 'device' }));
    open.grantManageConnections(new iam.Role(stack, 'Notifier', { assumedBy: new iam.AccountRootPrincipal(), roleName: 'notifier' }));

    const custom = new ServerlessWebSocketApi(stack, 'Custom', {
      stageName: 'custom',
      connectAuthorization: WebSocketAuthorization.lambda({ handlerCode: inline(AUTHORIZER), identitySources: ['route.request.querystring.token'] }),
    });
    custom.addRoute({ routeKey: 'echo', handler: inline(ECHO), returnResponse: true });

    const users = new ServerlessWebSocketApi(stack, 'Members', {
      stageName: 'cognito',
      connectAuthorization: WebSocketAuthorization.cognito({ userPool: pool, userPoolClients: [client] }),
    });
    users.addRoute({ routeKey: 'echo', handler: inline(ECHO), returnResponse: true });
  });
  api = await startLocal(assembly);
  ddb = new DynamoDBClient({ endpoint: api.dynamodbEndpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  tables = (await ddb.send(new ListTablesCommand({}))).TableNames ?? [];
}, 120_000);

afterAll(async () => {
  ddb?.destroy();
  await stopLocal(api);
  for (const dir of bundleDirs) { fs.rmSync(dir, { recursive: true, force: true }); }
});

/** A connected client with a queue of received messages. */
interface Client {
  readonly ws: WebSocket;
  next(): Promise<any>;
  close(): Promise<void>;
}

/** Connects, or rejects with `{ status, body }` when the handshake is refused. */
function connect(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Client> {
  const url = `${api.url.replace(/^http/, 'ws')}${pathAndQuery}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const received: string[] = [];
    const waiting: Array<(text: string) => void> = [];
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      const waiter = waiting.shift();
      if (waiter) { waiter(text); } else { received.push(text); }
    });
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body: Buffer.concat(chunks).toString() })));
    });
    ws.on('error', err => reject(err));
    ws.on('open', () => resolve({
      ws,
      next: () => new Promise<any>((done, fail) => {
        const timer = setTimeout(() => fail(new Error('no message within 10 s')), 10_000);
        const take = (text: string) => { clearTimeout(timer); try { done(JSON.parse(text)); } catch { done(text); } };
        const queued = received.shift();
        if (queued !== undefined) { take(queued); } else { waiting.push(take); }
      }),
      close: () => new Promise<void>(done => {
        if (ws.readyState === ws.CLOSED) { done(); return; }
        ws.once('close', () => done());
        ws.close();
      }),
    }));
  });
}

async function refusal(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  try {
    const client = await connect(pathAndQuery, headers);
    await client.close();
  } catch (err) {
    const e = err as { status?: number; body?: string };
    if (e.status !== undefined) { return { status: e.status, body: e.body ?? '' }; }
    throw err;
  }
  throw new Error(`${pathAndQuery} connected`);
}

async function rows(tablePart: string): Promise<Array<Record<string, any>>> {
  const table = tables.find(t => t.includes(tablePart));
  if (!table) { throw new Error(`no table with ${tablePart} in ${tables.join(', ')}`); }
  const { Items } = await ddb.send(new ScanCommand({ TableName: table }));
  return Items ?? [];
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) { return value; }
    await new Promise(r => setTimeout(r, 25));
  }
}

describe('$connect and routing (authorization none)', () => {
  test('GIVEN a client WHEN it sends {"action":"echo"} THEN the Lambda gets the WebSocket event and its answer comes back (two-way route)', async () => {
    const client = await connect('/open?room=lobby');
    client.ws.send(JSON.stringify({ action: 'echo', text: 'hi' }));
    const reply = await client.next();
    await client.close();
    expect(reply).toEqual({
      routeKey: 'echo', eventType: 'MESSAGE', connectionId: expect.stringMatching(/^[A-Za-z0-9_-]{15}=$/),
      domainName: expect.stringMatching(/\.execute-api\.localhost$/), stage: 'open', apiId: expect.any(String), authorizer: null,
      identity: expect.objectContaining({ sourceIp: '127.0.0.1' }), body: '{"action":"echo","text":"hi"}', isBase64Encoded: false,
    });
  });

  test('GIVEN a client WHEN it connects and closes THEN the library\'s $connect writes its row (topic from ?room=) and $disconnect deletes it', async () => {
    const client = await connect('/open?room=games');
    client.ws.send(JSON.stringify({ action: 'echo' }));
    const { connectionId } = await client.next();
    const row = (await rows('OpenConnections')).find(r => r.connectionId.S === connectionId);
    expect(row).toMatchObject({ principal: { S: 'anonymous' }, topic: { S: 'games' }, connectedAt: { S: expect.any(String) }, expiresAt: { N: expect.any(String) } });
    await client.close();
    const after = await until(() => rows('OpenConnections'), items => !items.some(r => r.connectionId.S === connectionId));
    expect(after.some(r => r.connectionId.S === connectionId)).toBe(false);
  });

  test('GIVEN an action no route has, or a body that is not JSON THEN the $default route answers', async () => {
    const client = await connect('/open');
    client.ws.send(JSON.stringify({ action: 'nothing' }));
    client.ws.send('not json');
    const replies = [await client.next(), await client.next()];
    await client.close();
    expect(replies).toEqual([{ type: 'error', message: 'unknown action' }, { type: 'error', message: 'unknown action' }]);
  });

  test('GIVEN a mock route with a response template THEN the rendered response comes back with $context filled', async () => {
    const client = await connect('/open');
    client.ws.send('{"action":"ping"}');
    const reply = await client.next();
    await client.close();
    expect(reply).toEqual({ type: 'pong', connection: expect.stringMatching(/=$/) });
  });

  test('GIVEN an API without $default WHEN the action matches no route THEN API Gateway\'s Forbidden message comes back', async () => {
    const client = await connect('/strict');
    client.ws.send('{"action":"other"}');
    const reply = await client.next();
    await client.close();
    expect(reply).toEqual({ message: 'Forbidden', connectionId: expect.any(String), requestId: expect.any(String) });
  });

  test('GIVEN a route throttle of 1 message/s, burst 1 WHEN two messages arrive at once THEN the second gets Too Many Requests', async () => {
    const client = await connect('/strict');
    client.ws.send('{"action":"limited"}');
    client.ws.send('{"action":"limited"}');
    const replies = [await client.next(), await client.next()];
    await client.close();
    // The refusal is sent at once, the mock's answer after its template: any order.
    expect(replies).toHaveLength(2);
    expect(replies).toEqual(expect.arrayContaining([{ ok: true }, { message: 'Too Many Requests', connectionId: expect.any(String), requestId: expect.any(String) }]));
  });

  test('GIVEN an SQS target THEN the message is recorded by the SQS stand-in with the connection id attribute', async () => {
    api.clearMessages('sqs');
    const client = await connect('/open');
    client.ws.send('{"action":"telemetry","cpu":3}');
    const recorded = await until(async () => api.messages('sqs'), m => m.length > 0);
    await client.close();
    expect(recorded).toHaveLength(1);
    expect(recorded[0].body).toBe('{"action":"telemetry","cpu":3}');
    expect(recorded[0].details).toMatchObject({ attributes: { connectionId: expect.stringMatching(/=$/) } });
  });

  test('GIVEN a $connect integration answering 400 (the library\'s handler refusing a room with a control character) THEN the handshake is refused 400', async () => {
    const refused = await refusal(`/open?room=${encodeURIComponent('a\u0007b')}`);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'BadRequest' } });
  });

  test('GIVEN a binary frame THEN it goes to $default (the selection expression reads JSON text only)', async () => {
    const client = await connect('/open');
    client.ws.send(Buffer.from('{"action":"echo"}'), { binary: true });
    const reply = await client.next();
    await client.close();
    expect(reply).toEqual({ type: 'error', message: 'unknown action' });
  });

  test('GIVEN a message over API Gateway\'s 128 KB frame limit THEN the connection is closed with 1009', async () => {
    const client = await connect('/open');
    const code = new Promise<number>(resolve => client.ws.once('close', (c: number) => resolve(c)));
    client.ws.send(JSON.stringify({ action: 'echo', text: 'x'.repeat(130 * 1024) }));
    expect(await code).toBe(1009);
  });

  test('GIVEN a path no WebSocket API is served at THEN the upgrade is refused 403', async () => {
    expect((await refusal('/nowhere')).status).toBe(403);
  });
});

describe('$connect authorization', () => {
  test('IAM: an unsigned upgrade is refused 403', async () => {
    expect((await refusal('/iam')).status).toBe(403);
  });

  test('IAM: an upgrade signed by a principal without execute-api:Invoke on $connect is refused 403', async () => {
    const headers = await signedHeaders(`${api.url}/iam`, api.credentials());
    const refused = await refusal('/iam', headers);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).message).toMatch(/is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:111111111111:[a-z0-9]+\/iam\/\$connect/);
  });

  test('IAM: an upgrade signed with a wrong secret is refused 403', async () => {
    const headers = await signedHeaders(`${api.url}/iam`, { ...api.credentials('device'), secretAccessKey: 'wrong' });
    expect((await refusal('/iam', headers)).status).toBe(403);
  });

  test('IAM: an upgrade signed by the granted role connects, and its row names the caller', async () => {
    const headers = await signedHeaders(`${api.url}/iam`, api.credentials('device'));
    const client = await connect('/iam', headers);
    client.ws.send('{"action":"echo"}');
    const reply = await client.next();
    const row = (await rows('SignedConnections')).find(r => r.connectionId.S === reply.connectionId);
    await client.close();
    expect(reply.identity.userArn).toBe('arn:aws:sts::111111111111:assumed-role/device/local');
    expect(row?.principal).toEqual({ S: 'arn:aws:sts::111111111111:assumed-role/device/local' });
  });

  test('IAM: a presigned URL (SigV4 in the query string, as browsers sign it) of the granted role connects', async () => {
    const signed = new URL(await presignedUrl(`${api.url}/iam?room=lobby`, api.credentials('device')));
    const client = await connect(`${signed.pathname}${signed.search}`);
    client.ws.send('{"action":"echo"}');
    const reply = await client.next();
    await client.close();
    expect(reply.identity.userArn).toBe('arn:aws:sts::111111111111:assumed-role/device/local');
  });

  test('IAM: a presigned URL is refused 403 when expired, when its query was changed after signing, or signed by a principal without the grant', async () => {
    const expired = new URL(await presignedUrl(`${api.url}/iam`, api.credentials('device'), { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) }));
    const changed = new URL(await presignedUrl(`${api.url}/iam?room=lobby`, api.credentials('device')));
    changed.searchParams.set('room', 'admins');
    const ungranted = new URL(await presignedUrl(`${api.url}/iam`, api.credentials()));
    const refused = await Promise.all([expired, changed, ungranted].map(u => refusal(`${u.pathname}${u.search}`)));
    expect(refused.map(r => r.status)).toEqual([403, 403, 403]);
    expect(JSON.parse(refused[0].body).message).toMatch(/^Signature expired/);
    expect(JSON.parse(refused[1].body).message).toMatch(/^The request signature we calculated does not match/);
    expect(JSON.parse(refused[2].body).message).toMatch(/is not authorized to perform: execute-api:Invoke/);
  });

  test('Lambda: without the identity source the authorizer is not called and the upgrade is refused 401', async () => {
    expect((await refusal('/custom')).status).toBe(401);
  });

  test('Lambda: an authorizer that throws Unauthorized refuses 401, a Deny policy 403', async () => {
    expect((await refusal('/custom?token=bad')).status).toBe(401);
    expect((await refusal('/custom?token=deny')).status).toBe(403);
  });

  test('Lambda: an Allow connects, and every route event carries principalId and the context', async () => {
    const client = await connect('/custom?token=ann');
    client.ws.send('{"action":"echo"}');
    const reply = await client.next();
    const row = (await rows('CustomConnections')).find(r => r.connectionId.S === reply.connectionId);
    await client.close();
    expect(reply.authorizer).toEqual({ principalId: 'user-ann', tier: 'gold', integrationLatency: expect.any(Number) });
    expect(row?.principal).toEqual({ S: 'user-ann' });
  });

  test('Cognito: no token 401, a tampered token 401, an expired token 401', async () => {
    const { accessToken } = api.token({ username: 'ann@example.com' });
    const expired = api.token({ username: 'ann@example.com', expiresInSeconds: -60 }).accessToken;
    const [head, payload, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claims, username: 'admin' })).toString('base64url')}.${signature}`;
    expect((await refusal('/cognito')).status).toBe(401);
    expect((await refusal(`/cognito?token=${tampered}`)).status).toBe(401);
    expect((await refusal(`/cognito?token=${expired}`)).status).toBe(401);
  });

  test('Cognito: an access token the local server minted connects; the library\'s authorizer verified it against the local JWKS', async () => {
    const { accessToken } = api.token({ username: 'ann@example.com' });
    const client = await connect(`/cognito?token=${accessToken}`);
    client.ws.send('{"action":"echo"}');
    const reply = await client.next();
    const row = (await rows('MembersConnections')).find(r => r.connectionId.S === reply.connectionId);
    await client.close();
    const sub = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).sub;
    expect(reply.authorizer).toMatchObject({ principalId: sub, username: 'ann@example.com', tokenUse: 'access' });
    expect(row?.principal).toEqual({ S: sub });
  });

  test('Cognito: an id token is refused 401 (the authorizer takes access tokens)', async () => {
    const { idToken } = api.token({ username: 'ann@example.com' });
    expect((await refusal(`/cognito?token=${idToken}`)).status).toBe(401);
  });
});

describe('API keys and usage plans', () => {
  test('GIVEN apiKeyRequired WHEN the $connect has no key or an unknown one THEN it is refused 403', async () => {
    expect((await refusal('/keyed')).status).toBe(403);
    expect((await refusal('/keyed', { 'x-api-key': 'not-a-key-of-the-stage' })).status).toBe(403);
  });

  test('GIVEN a key of the plan THEN it connects, and its quota (3 a day) counts the $connect and every message', async () => {
    const client = await connect('/keyed', { 'x-api-key': api.apiKey('basic-keyed') });
    for (let i = 0; i < 3; i++) { client.ws.send('{"action":"echo"}'); }
    const replies = [await client.next(), await client.next(), await client.next()];
    await client.close();
    // The refusal is immediate, the echoes wait for the function: compare regardless of order.
    expect(replies.map(r => r.routeKey ?? r.message).sort()).toEqual(['Limit Exceeded', 'echo', 'echo']);
    expect((await refusal('/keyed', { 'x-api-key': api.apiKey('basic-keyed') })).status).toBe(429);
  });
});

describe('@connections management API', () => {
  test('GIVEN two clients WHEN one broadcasts THEN the send helper in the function reaches both, and a gone row is deleted', async () => {
    const a = await connect('/open?room=r1');
    const b = await connect('/open?room=r2');
    const table = tables.find(t => t.includes('OpenConnections'))!;
    const expiresAt = String(Math.floor(Date.now() / 1000) + 3600);
    await ddb.send(new PutItemCommand({
      TableName: table,
      Item: { connectionId: { S: 'GoneGoneGone00A=' }, principal: { S: 'anonymous' }, connectedAt: { S: new Date().toISOString() }, expiresAt: { N: expiresAt } },
    }));
    a.ws.send(JSON.stringify({ action: 'broadcast', text: 'hello all' }));
    const received = [await a.next(), await b.next()];
    const report = await a.next();
    await Promise.all([a.close(), b.close()]);
    expect(received).toEqual([{ text: 'hello all', from: expect.any(String) }, { text: 'hello all', from: received[0].from }]);
    expect(report.endpoint).toBe(`${api.url}/open`);
    expect(report.report).toMatchObject({ gone: 1, removed: 1, failed: 0 });
    expect(report.report.sent).toBeGreaterThanOrEqual(2);
    expect((await rows('OpenConnections')).some(r => r.connectionId.S === 'GoneGoneGone00A=')).toBe(false);
  });

  test('GIVEN an open connection THEN a caller with the grant can POST, GET and DELETE it, and it is gone (410) afterwards', async () => {
    const client = await connect('/open');
    client.ws.send('{"action":"echo"}');
    const { connectionId } = await client.next();
    const url = `${api.url}/open/@connections/${encodeURIComponent(connectionId)}`;
    const credentials = api.credentials('notifier');
    const closed = new Promise<void>(resolve => client.ws.once('close', () => resolve()));
    const post = await signedFetch(url, { method: 'POST', body: '{"note":"direct"}', credentials });
    expect(post.status).toBe(200);
    expect(await client.next()).toEqual({ note: 'direct' });
    const get = await signedFetch(url, { credentials });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ connectedAt: expect.any(String), identity: { sourceIp: '127.0.0.1', userAgent: '' }, lastActiveAt: expect.any(String) });
    expect((await signedFetch(url, { method: 'DELETE', credentials })).status).toBe(204);
    await closed;
    const again = await signedFetch(url, { method: 'POST', body: '{}', credentials });
    expect(again.status).toBe(410);
    expect(again.headers.get('x-amzn-errortype')).toBe('GoneException');
  });

  test('GIVEN an unknown connection id THEN GET answers 410 GoneException', async () => {
    const res = await signedFetch(`${api.url}/open/@connections/Unknown0000000A%3D`, { credentials: api.credentials('notifier') });
    expect(res.status).toBe(410);
  });

  test('GIVEN an unsigned call or a caller without execute-api:ManageConnections THEN 403', async () => {
    const url = `${api.url}/open/@connections/Unknown0000000A%3D`;
    expect((await fetch(url)).status).toBe(403);
    const res = await signedFetch(url, { credentials: api.credentials('device') });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/not authorized to perform: execute-api:ManageConnections/);
  });
});
