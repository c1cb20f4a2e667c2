/**
 * The WebSocket send helper against dynalite (the connections table) and a local stand-in for the
 * management API: delivery, 410 clean-up in the same call, throttling retries, bounded concurrency.
 */
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { connection, createConnectionsTable, seed, storedIds } from './connections-table';
import { LocalDynamo, startDynalite } from './dynalite';
import { ManagementApiStandIn, StandInOptions, startManagementApiStandIn } from './management-api-stand-in';
import { MAX_MESSAGE_BYTES, WebSocketConnections } from '../../lib/runtime/websocket';
import type { ConnectionRecord } from '../../lib/runtime/websocket';

let db: LocalDynamo;
let ddb: DynamoDBDocumentClient;
let tables = 0;
const standIns: ManagementApiStandIn[] = [];
const helpers: WebSocketConnections[] = [];

beforeAll(async () => {
  db = await startDynalite('unused-websocket');
  ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
});

afterAll(async () => {
  ddb.destroy();
  await Promise.all(standIns.map(s => s.stop()));
  await db.stop();
});

/** A fresh table with `rows`, a stand-in, and a helper wired to both. */
async function setUp(rows: ConnectionRecord[], standIn: StandInOptions = {}, options: { concurrency?: number; maxAttempts?: number; dynamo?: DynamoDBDocumentClient } = {}) {
  const tableName = `connections-${++tables}`;
  await createConnectionsTable(tableName);
  await seed(ddb, tableName, rows);
  const api = await startManagementApiStandIn(standIn);
  standIns.push(api);
  const connections = new WebSocketConnections({
    tableName, endpoint: api.endpoint, dynamo: ddb, retryBaseDelayMs: 1, ...options,
  });
  helpers.push(connections);
  return { tableName, api, connections };
}

describe('broadcast', () => {
  test('GIVEN 10,000 connections of which 10% are gone WHEN broadcasting THEN every live one gets the message once, every gone row is deleted in that call, and in-flight calls never exceed the concurrency', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => connection(`c-${i}`));
    const gone = new Set(rows.filter((_, i) => i % 10 === 3).map(r => r.connectionId));
    const { tableName, api, connections } = await setUp(rows, { gone }, { concurrency: 32 });

    const report = await connections.broadcast({ text: 'hello' });

    expect(report).toEqual({ attempted: 10_000, sent: 9_000, gone: 1_000, removed: 1_000, failed: 0, failures: [] });
    const live = rows.map(r => r.connectionId).filter(id => !gone.has(id));
    expect(live.every(id => api.delivered.get(id)?.length === 1)).toBe(true);
    expect(api.delivered.get(live[0])).toEqual(['{"text":"hello"}']);
    expect([...gone].some(id => api.delivered.has(id))).toBe(false);
    expect(api.attempts.size).toBe(10_000); // nobody addressed twice
    expect(api.maxInFlight()).toBeLessThanOrEqual(32);
    const remaining = await storedIds(ddb, tableName);
    expect(remaining.size).toBe(9_000);
    expect([...gone].some(id => remaining.has(id))).toBe(false);
    // A correctness test of 10,000 real HTTP calls and DynamoDB rows, not a timing one (npm run bench times
    // it): on a shared, loaded machine it can take minutes.
  }, 600_000);

  test('GIVEN a concurrency of 4 and a slow endpoint THEN at most 4 calls are ever in flight', async () => {
    const { api, connections } = await setUp(Array.from({ length: 40 }, (_, i) => connection(`s-${i}`)), { latencyMs: 5 }, { concurrency: 4 });
    const report = await connections.broadcast('x');
    expect(report.sent).toBe(40);
    expect(api.maxInFlight()).toBe(4);
  });

  test('GIVEN a concurrency of 8 and an endpoint that answers at once THEN calls really overlap: more than 1 and at most 8 in flight', async () => {
    // The stand-in answers no earlier than the event loop's next check phase, so it sees every call the
    // client has on the wire; a helper that awaited each call (or a client agent with one socket) shows 1.
    const { api, connections } = await setUp(Array.from({ length: 400 }, (_, i) => connection(`o-${i}`)), {}, { concurrency: 8 });
    const report = await connections.broadcast('x');
    expect(report.sent).toBe(400);
    expect(api.maxInFlight()).toBeGreaterThan(1);
    expect(api.maxInFlight()).toBeLessThanOrEqual(8);
  });

  test('GIVEN a concurrency of 1 THEN the stand-in never sees two calls in flight', async () => {
    const { api, connections } = await setUp(Array.from({ length: 50 }, (_, i) => connection(`q-${i}`)), {}, { concurrency: 1 });
    await connections.broadcast('x');
    expect(api.maxInFlight()).toBe(1);
  });

  test('GIVEN rows older than the 2-hour cap that TTL has not removed yet THEN they are not addressed', async () => {
    const past = Math.floor(Date.now() / 1000) - 1;
    const { api, connections } = await setUp([connection('live'), connection('stale', { expiresAt: past })]);
    const report = await connections.broadcast('x');
    expect(report.attempted).toBe(1);
    expect([...api.attempts.keys()]).toEqual(['live']);
  });

  test('GIVEN an empty table THEN nothing is sent and the report is all zero', async () => {
    const { api, connections } = await setUp([]);
    expect(await connections.broadcast('x')).toEqual({ attempted: 0, sent: 0, gone: 0, removed: 0, failed: 0, failures: [] });
    expect(api.attempts.size).toBe(0);
  });
});

describe('clean-up of gone rows', () => {
  const clients: DynamoDBDocumentClient[] = [];
  afterAll(() => clients.forEach(c => c.destroy()));
  type DeleteRequests = Array<{ DeleteRequest?: { Key?: Record<string, unknown> } }>;

  /**
   * A document client on dynalite whose BatchWriteItem calls DynamoDB processes only the first
   * `processed(call)` requests of (dynalite itself never leaves any), answering the others as
   * UnprocessedItems, as DynamoDB does under throttling. Counts the BatchWriteItem calls.
   */
  function partialBatchWrites(processed: (call: number) => number): { client: DynamoDBDocumentClient; calls: () => number } {
    const base = new DynamoDBClient({});
    let calls = 0;
    base.middlewareStack.add((next, context) => async args => {
      if (context.commandName !== 'BatchWriteItemCommand') {
        return next(args);
      }
      calls++;
      const input = args.input as { RequestItems: Record<string, DeleteRequests> };
      const [table, requests] = Object.entries(input.RequestItems)[0];
      const n = processed(calls);
      const left = requests.slice(n);
      const result = n > 0
        ? await next({ ...args, input: { ...input, RequestItems: { [table]: requests.slice(0, n) } } })
        : { response: {}, output: { $metadata: {} } };
      (result.output as { UnprocessedItems?: Record<string, DeleteRequests> }).UnprocessedItems = left.length > 0 ? { [table]: left } : {};
      return result;
    }, { step: 'initialize', name: 'partialBatchWrites' });
    const client = DynamoDBDocumentClient.from(base);
    clients.push(client);
    return { client, calls: () => calls };
  }

  test('GIVEN DynamoDB leaves most of each deletion batch unprocessed at first THEN the rest is retried and every gone row is deleted in that call', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => connection(`u-${i}`));
    const gone = new Set(rows.filter((_, i) => i % 2 === 0).map(r => r.connectionId));
    const faulty = partialBatchWrites(call => (call <= 2 ? 1 : 25));
    const { tableName, connections } = await setUp(rows, { gone }, { dynamo: faulty.client });

    const report = await connections.broadcast('x');

    expect(report).toMatchObject({ sent: 30, gone: 30, removed: 30, failed: 0, failures: [] });
    const remaining = await storedIds(ddb, tableName);
    expect([...gone].some(id => remaining.has(id))).toBe(false);
    expect(remaining.size).toBe(30);
    // 30 gone ids are 2 batches; each of the first two calls deleted 1 row, so more calls were needed.
    expect(faulty.calls()).toBeGreaterThan(2);
  });

  test('GIVEN deletions left unprocessed on every attempt THEN the rows are kept and reported as failures, and the sends still count', async () => {
    const rows = [connection('v-1'), connection('v-2'), connection('v-3')];
    const faulty = partialBatchWrites(() => 0);
    const { tableName, connections } = await setUp(rows, { gone: new Set(['v-1', 'v-3']) }, { dynamo: faulty.client, maxAttempts: 2 });

    const report = await connections.broadcast('x');

    expect(report).toMatchObject({ attempted: 3, sent: 1, gone: 2, removed: 0, failed: 0 });
    expect(report.failures.map(f => f.connectionId).sort()).toEqual(['v-1', 'v-3']);
    expect(report.failures[0].error).toMatch(/DynamoDB left the deletion unprocessed \(throughput exceeded\) on every attempt/);
    expect(faulty.calls()).toBe(2); // maxAttempts calls for the one batch
    expect([...(await storedIds(ddb, tableName))].sort()).toEqual(['v-1', 'v-2', 'v-3']);
  });
});

describe('audiences', () => {
  const rows = [
    connection('a1', { principal: 'alice', topic: 'lobby' }),
    connection('a2', { principal: 'alice', topic: 'games' }),
    connection('b1', { principal: 'bob', topic: 'lobby' }),
    connection('c1', { principal: 'carol' }),
  ];

  test('GIVEN connections in two topics WHEN broadcasting to one topic THEN only its connections get the message', async () => {
    const { api, connections } = await setUp(rows);
    const report = await connections.broadcastToTopic('lobby', 'hi lobby');
    expect(report.sent).toBe(2);
    expect([...api.delivered.keys()].sort()).toEqual(['a1', 'b1']);
  });

  test('GIVEN a principal with two connections WHEN sending to the principal THEN both get it and nobody else', async () => {
    const { api, connections } = await setUp(rows);
    const report = await connections.sendToPrincipal('alice', 'hi alice');
    expect(report.sent).toBe(2);
    expect([...api.delivered.keys()].sort()).toEqual(['a1', 'a2']);
  });

  test('GIVEN a gone connection of a principal WHEN sending to the principal THEN its row is deleted and the other delivered', async () => {
    const { tableName, connections } = await setUp(rows, { gone: new Set(['a2']) });
    const report = await connections.sendToPrincipal('alice', 'x');
    expect(report).toMatchObject({ sent: 1, gone: 1, removed: 1 });
    expect((await storedIds(ddb, tableName)).has('a2')).toBe(false);
  });

  test('GIVEN setTopic WHEN a connection moves to another topic THEN topic broadcasts follow it', async () => {
    const { api, connections } = await setUp(rows);
    expect(await connections.setTopic('c1', 'games')).toBe(true);
    await connections.broadcastToTopic('games', 'x');
    expect([...api.delivered.keys()].sort()).toEqual(['a2', 'c1']);
  });

  test('GIVEN an unknown connection WHEN setting its topic THEN it answers false and stores nothing', async () => {
    const { tableName, connections } = await setUp(rows);
    expect(await connections.setTopic('nobody', 'games')).toBe(false);
    expect((await storedIds(ddb, tableName)).has('nobody')).toBe(false);
  });

  test('GIVEN an empty or too long topic THEN setTopic throws before writing', async () => {
    const { connections } = await setUp(rows);
    await expect(connections.setTopic('c1', '')).rejects.toThrow('topic must be 1 to 256 printable characters');
    await expect(connections.setTopic('c1', 'x'.repeat(257))).rejects.toThrow('topic must be 1 to 256 printable characters');
  });

  test.each([
    ['a control character', 'lob\u0000by'],
    ['a newline', 'lobby\nadmin'],
    ['a lone surrogate', 'room\ud800'],
  ])('GIVEN a topic with %s THEN setTopic throws before writing, as $connect refuses it', async (_label, topic) => {
    const { tableName, connections } = await setUp(rows);
    const before = await ddb.send(new GetCommand({ TableName: tableName, Key: { connectionId: 'c1' } }));
    await expect(connections.setTopic('c1', topic)).rejects.toThrow('topic must be 1 to 256 printable characters');
    const after = await ddb.send(new GetCommand({ TableName: tableName, Key: { connectionId: 'c1' } }));
    expect(after.Item).toEqual(before.Item);
  });
});

describe('send to one connection', () => {
  test('GIVEN a live connection THEN it answers sent and the body arrives as given', async () => {
    const { api, connections } = await setUp([connection('one')]);
    expect(await connections.send('one', 'plain text')).toBe('sent');
    expect(api.delivered.get('one')).toEqual(['plain text']);
  });

  test('GIVEN bytes THEN they are sent unchanged', async () => {
    const { api, connections } = await setUp([connection('one')]);
    await connections.send('one', new Uint8Array([104, 105]));
    expect(api.delivered.get('one')).toEqual(['hi']);
  });

  test('GIVEN a gone connection THEN it answers gone and the row is deleted before it returns', async () => {
    const { tableName, connections } = await setUp([connection('left')], { gone: new Set(['left']) });
    expect(await connections.send('left', 'x')).toBe('gone');
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName, Key: { connectionId: 'left' } }));
    expect(Item).toBeUndefined();
  });

  test('GIVEN a message over 128 KB THEN it throws before calling API Gateway', async () => {
    const { api, connections } = await setUp([connection('one')]);
    await expect(connections.send('one', 'x'.repeat(MAX_MESSAGE_BYTES + 1))).rejects.toThrow(/at most 131072 bytes per WebSocket message/);
    expect(api.attempts.size).toBe(0);
  });

  test('GIVEN a message of exactly 128 KB THEN it is sent', async () => {
    const { connections } = await setUp([connection('one')]);
    expect(await connections.send('one', 'x'.repeat(MAX_MESSAGE_BYTES))).toBe('sent');
  });

  test('GIVEN a forbidden endpoint (wrong stage) THEN send throws ForbiddenException and keeps the row', async () => {
    const { tableName, api } = await setUp([connection('one')]);
    const wrong = new WebSocketConnections({ tableName, endpoint: api.endpoint.replace(/\/dev$/, '/prod'), dynamo: ddb, retryBaseDelayMs: 1 });
    await expect(wrong.send('one', 'x')).rejects.toMatchObject({ name: 'ForbiddenException' });
    expect((await storedIds(ddb, tableName)).has('one')).toBe(true);
  });

  test('GIVEN a management API client that does not sign its calls THEN the stand-in refuses them as API Gateway does, and the row is kept', async () => {
    const { tableName, api } = await setUp([connection('one')]);
    const unsigned = new ApiGatewayManagementApiClient({
      endpoint: api.endpoint, region: 'eu-west-1', maxAttempts: 1, signer: { sign: request => Promise.resolve(request) },
    });
    const helper = new WebSocketConnections({ tableName, endpoint: api.endpoint, dynamo: ddb, managementApi: unsigned });
    await expect(helper.send('one', 'x')).rejects.toMatchObject({ name: 'ForbiddenException', message: 'Missing Authentication Token' });
    expect(api.delivered.size).toBe(0);
    expect((await storedIds(ddb, tableName)).has('one')).toBe(true);
    unsigned.destroy();
  });

  test('GIVEN get() THEN a live row is returned and an expired one is not', async () => {
    const { connections } = await setUp([connection('live', { topic: 't' }), connection('old', { expiresAt: 1 })]);
    expect(await connections.get('live')).toMatchObject({ connectionId: 'live', topic: 't', principal: 'user-1' });
    expect(await connections.get('old')).toBeUndefined();
    expect(await connections.get('missing')).toBeUndefined();
  });

  test('GIVEN disconnect() THEN API Gateway is told to close it and the row is deleted', async () => {
    const { tableName, api, connections } = await setUp([connection('bye')]);
    await connections.disconnect('bye');
    expect(api.deleted).toEqual(['bye']);
    expect((await storedIds(ddb, tableName)).has('bye')).toBe(false);
  });

  test('GIVEN disconnect() of a connection already gone THEN it still deletes the row without throwing', async () => {
    const { tableName, connections } = await setUp([connection('bye')], { gone: new Set(['bye']) });
    await connections.disconnect('bye');
    expect((await storedIds(ddb, tableName)).has('bye')).toBe(false);
  });
});

describe('throttling', () => {
  test('GIVEN API Gateway throttles the first two calls per connection THEN each is retried and delivered once', async () => {
    const { api, connections } = await setUp(Array.from({ length: 20 }, (_, i) => connection(`t-${i}`)), { throttle: (_id, n) => n <= 2 });
    const report = await connections.broadcast('x');
    expect(report).toMatchObject({ sent: 20, failed: 0 });
    expect([...api.attempts.values()].every(n => n === 3)).toBe(true);
    expect([...api.delivered.values()].every(list => list.length === 1)).toBe(true);
  });

  test('GIVEN throttling beyond maxAttempts THEN the connection counts as failed, with the reason, and its row is kept', async () => {
    const { tableName, api, connections } = await setUp([connection('busy'), connection('fine')], { throttle: id => id === 'busy' }, { maxAttempts: 3 });
    const report = await connections.broadcast('x');
    expect(report).toMatchObject({ attempted: 2, sent: 1, failed: 1, gone: 0 });
    expect(report.failures).toEqual([{ connectionId: 'busy', error: expect.stringMatching(/^LimitExceededException \(429\)/) }]);
    expect(api.attempts.get('busy')).toBe(3);
    expect((await storedIds(ddb, tableName)).has('busy')).toBe(true);
  });

  test('GIVEN API Gateway answers 500 to the first two calls per connection THEN each is retried and delivered once', async () => {
    const { api, connections } = await setUp(Array.from({ length: 5 }, (_, i) => connection(`e-${i}`)), { serverError: (_id, n) => n <= 2 });
    const report = await connections.broadcast('x');
    expect(report).toMatchObject({ sent: 5, failed: 0 });
    expect(api.statuses.get(500)).toBe(10);
    expect([...api.delivered.values()].every(list => list.length === 1)).toBe(true);
  });

  test('GIVEN a throttled single send beyond maxAttempts THEN send throws the throttling error', async () => {
    const { connections } = await setUp([connection('busy')], { throttle: () => true }, { maxAttempts: 2 });
    await expect(connections.send('busy', 'x')).rejects.toMatchObject({ name: 'LimitExceededException' });
  });
});

describe('configuration', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('GIVEN no table name anywhere THEN the constructor says which variable to set', () => {
    delete process.env.CONNECTIONS_TABLE_NAME;
    expect(() => new WebSocketConnections({ endpoint: 'https://x.execute-api.eu-west-1.amazonaws.com/dev' }))
      .toThrow(/no table name; set CONNECTIONS_TABLE_NAME/);
  });

  test('GIVEN an endpoint that is not a URL THEN the constructor refuses it', () => {
    expect(() => new WebSocketConnections({ tableName: 't', endpoint: 'wss://x/dev' })).toThrow(/endpoint "wss:\/\/x\/dev" is not an http\(s\) URL/);
  });

  test('GIVEN the environment the construct sets THEN the helper reads it', () => {
    process.env.CONNECTIONS_TABLE_NAME = 'from-env';
    process.env.WEBSOCKET_MANAGEMENT_ENDPOINT = 'https://abc.execute-api.eu-west-1.amazonaws.com/prod';
    const helper = new WebSocketConnections();
    expect([helper.tableName, helper.endpoint]).toEqual(['from-env', 'https://abc.execute-api.eu-west-1.amazonaws.com/prod']);
  });

  test('GIVEN a concurrency of 0 THEN the constructor refuses it', () => {
    expect(() => new WebSocketConnections({ tableName: 't', endpoint: 'https://x/dev', concurrency: 0 })).toThrow(/concurrency must be an integer >= 1 \(received 0\)/);
  });
});
