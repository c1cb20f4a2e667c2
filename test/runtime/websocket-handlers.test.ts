/**
 * The library's $connect and $disconnect handlers against dynalite: what a connection row holds,
 * what is refused, and what happens when DynamoDB fails.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { connection, createConnectionsTable, seed, storedIds } from './connections-table';
import { LocalDynamo, startDynalite } from './dynalite';
import { captureConsole } from './events';
import { connectConfig, createConnectHandler, principalOf } from '../../lib/runtime/websocket/connect';
import { createDisconnectHandler } from '../../lib/runtime/websocket/disconnect';
import type { WebSocketEvent } from '../../lib/runtime/websocket/events';

const TABLE = 'ws-handlers';
let db: LocalDynamo;
let ddb: DynamoDBDocumentClient;
let logs: ReturnType<typeof captureConsole>;

beforeAll(async () => {
  logs = captureConsole();
  db = await startDynalite('unused-ws-handlers');
  ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  await createConnectionsTable(TABLE);
});

afterAll(async () => {
  ddb.destroy();
  await db.stop();
  logs.restore();
});

const CONNECTED_AT = Date.UTC(2030, 0, 1, 12, 0, 0);

function connectEvent(connectionId: string, extra: { query?: Record<string, string>; authorizer?: Record<string, unknown>; userArn?: string } = {}): WebSocketEvent {
  return {
    requestContext: {
      routeKey: '$connect',
      eventType: 'CONNECT',
      connectionId,
      connectedAt: CONNECTED_AT,
      requestId: `req-${connectionId}`,
      stage: 'dev',
      identity: { sourceIp: '203.0.113.9', userArn: extra.userArn ?? null },
      authorizer: extra.authorizer ?? null,
    },
    queryStringParameters: extra.query ?? null,
  };
}

async function row(connectionId: string) {
  return (await ddb.send(new GetCommand({ TableName: TABLE, Key: { connectionId } }))).Item;
}

const config = { tableName: TABLE, topicParameter: 'room', attributeParameters: ['nickname', 'client'], ttlSeconds: 8100 };
const connect = () => createConnectHandler(config, ddb);

describe('$connect', () => {
  test('GIVEN an authorizer principal, a room and attributes THEN the row holds them, the connect time and a TTL 2 h 15 min later', async () => {
    const result = await connect()(connectEvent('c-1', { query: { room: 'lobby', nickname: 'Ann', other: 'dropped' }, authorizer: { principalId: 'sub-123' } }));
    expect(result).toEqual({ statusCode: 200 });
    expect(await row('c-1')).toEqual({
      connectionId: 'c-1',
      principal: 'sub-123',
      topic: 'lobby',
      attributes: { nickname: 'Ann' },
      connectedAt: '2030-01-01T12:00:00.000Z',
      expiresAt: CONNECTED_AT / 1000 + 2 * 3600 + 15 * 60,
    });
  });

  test('GIVEN IAM authorization THEN the principal is the caller\'s ARN', async () => {
    await connect()(connectEvent('c-iam', { userArn: 'arn:aws:iam::123456789012:role/Client' }));
    expect((await row('c-iam'))?.principal).toBe('arn:aws:iam::123456789012:role/Client');
  });

  test('GIVEN no authorizer and no IAM caller THEN the principal is anonymous and no topic is stored', async () => {
    await connect()(connectEvent('c-anon'));
    const item = await row('c-anon');
    expect(item?.principal).toBe('anonymous');
    expect(item).not.toHaveProperty('topic');
    expect(item).not.toHaveProperty('attributes');
  });

  test('GIVEN a client that sends principalId in the query string THEN it is ignored: only the authorizer names the principal', async () => {
    await connect()(connectEvent('c-spoof', { query: { principalId: 'admin', principal: 'admin' } }));
    expect((await row('c-spoof'))?.principal).toBe('anonymous');
  });

  test.each([
    ['a control character', 'lob\u0000by'],
    ['a newline', 'lobby\nadmin'],
    ['257 characters', 'x'.repeat(257)],
    ['an empty value', ''],
    ['a lone surrogate', 'room\ud800'],
  ])('GIVEN a room with %s THEN the handshake is refused with 400 in the library\'s error shape and nothing is stored', async (_label, room) => {
    const id = `bad-${Math.random()}`;
    const result = await connect()(connectEvent(id, { query: { room } }));
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!)).toEqual({ error: { code: 'BadRequest', message: 'Query parameter "room" must be 1 to 256 printable characters.', requestId: `req-${id}` } });
    expect(await row(id)).toBeUndefined();
  });

  test('GIVEN an attribute with 256 characters and emoji THEN it is stored as given', async () => {
    const nickname = '🙂'.repeat(128);
    await connect()(connectEvent('c-emoji', { query: { nickname } }));
    expect((await row('c-emoji'))?.attributes).toEqual({ nickname });
  });

  test('GIVEN an event without a connection id THEN it answers 400 and writes nothing', async () => {
    const result = await connect()({ requestContext: { routeKey: '$connect', requestId: 'r' } });
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!).error.code).toBe('BadRequest');
  });

  test('GIVEN DynamoDB fails THEN it answers 500 (the handshake fails, the client retries) and logs the error', async () => {
    const broken = createConnectHandler({ ...config, tableName: 'no-such-table' }, ddb);
    const result = await broken(connectEvent('c-fail'));
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body!).error).toEqual({ code: 'InternalError', message: 'The connection could not be recorded; try again.', requestId: 'req-c-fail' });
    expect(logs.lines.some(l => l.includes('could not record the connection') && l.includes('ResourceNotFoundException'))).toBe(true);
  });

  test('GIVEN no connectedAt in the event THEN the connect time is now', async () => {
    const before = Date.now();
    await connect()({ requestContext: { connectionId: 'c-now', requestId: 'r' } });
    const item = await row('c-now');
    expect(Date.parse(item?.connectedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(item?.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 8100);
  });
});

describe('principalOf', () => {
  test('GIVEN both an authorizer principal and an IAM caller THEN the authorizer wins', () => {
    expect(principalOf(connectEvent('x', { authorizer: { principalId: 'p' }, userArn: 'arn:aws:iam::1:user/u' }))).toBe('p');
  });

  test('GIVEN an empty or non-string principalId THEN it falls back to the IAM caller', () => {
    expect(principalOf(connectEvent('x', { authorizer: { principalId: '' }, userArn: 'arn:u' }))).toBe('arn:u');
    expect(principalOf(connectEvent('x', { authorizer: { principalId: 42 }, userArn: 'arn:u' }))).toBe('arn:u');
  });
});

describe('connectConfig', () => {
  test('GIVEN the environment the construct sets THEN it reads table, topic, attributes and TTL', () => {
    expect(connectConfig({
      CONNECTIONS_TABLE_NAME: 't', CONNECTION_TOPIC_PARAMETER: 'room', CONNECTION_ATTRIBUTE_PARAMETERS: 'a, b', CONNECTION_TTL_SECONDS: '9000',
    })).toEqual({ tableName: 't', topicParameter: 'room', attributeParameters: ['a', 'b'], ttlSeconds: 9000 });
  });

  test('GIVEN only the table THEN no topic, no attributes and a TTL of 2 h 15 min', () => {
    expect(connectConfig({ CONNECTIONS_TABLE_NAME: 't' })).toEqual({ tableName: 't', topicParameter: undefined, attributeParameters: [], ttlSeconds: 8100 });
  });

  test('GIVEN a TTL under API Gateway\'s 2-hour cap THEN it throws at cold start', () => {
    expect(() => connectConfig({ CONNECTIONS_TABLE_NAME: 't', CONNECTION_TTL_SECONDS: '3600' })).toThrow(/CONNECTION_TTL_SECONDS must be an integer >= 7200 \(received 3600\)/);
  });

  test('GIVEN no table THEN it throws at cold start', () => {
    expect(() => connectConfig({})).toThrow(/CONNECTIONS_TABLE_NAME is not set/);
  });
});

describe('$disconnect', () => {
  test('GIVEN a stored connection THEN its row is deleted and the other rows stay', async () => {
    await seed(ddb, TABLE, [connection('d-1'), connection('d-2')]);
    const result = await createDisconnectHandler(TABLE, ddb)({ requestContext: { routeKey: '$disconnect', connectionId: 'd-1', requestId: 'r' } });
    expect(result).toEqual({ statusCode: 200 });
    const ids = await storedIds(ddb, TABLE);
    expect([ids.has('d-1'), ids.has('d-2')]).toEqual([false, true]);
  });

  test('GIVEN a connection that was never stored THEN it answers 200', async () => {
    const result = await createDisconnectHandler(TABLE, ddb)({ requestContext: { connectionId: 'never', requestId: 'r' } });
    expect(result.statusCode).toBe(200);
  });

  test('GIVEN DynamoDB fails THEN it answers 500 and logs it (TTL and the send helper clean up later)', async () => {
    const result = await createDisconnectHandler('no-such-table', ddb)({ requestContext: { connectionId: 'x', requestId: 'r' } });
    expect(result.statusCode).toBe(500);
    expect(logs.lines.some(l => l.includes('could not delete the connection'))).toBe(true);
  });

  test('GIVEN an event without a connection id THEN it answers 400', async () => {
    expect((await createDisconnectHandler(TABLE, ddb)({ requestContext: {} })).statusCode).toBe(400);
  });
});
