/**
 * The chat example's handlers (examples/chat/src) for real: dynalite holds the connections and the
 * messages tables, a local stand-in plays the management API. Proves what examples/chat/README.md
 * says: sendMessage stores the message and broadcasts it to the sender's room (gone connections
 * removed in the same call), joinRoom moves a connection and answers the sender.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { connection, createConnectionsTable, seed, storedIds } from './connections-table';
import { LocalDynamo, startDynalite } from './dynalite';
import { ManagementApiStandIn, startManagementApiStandIn } from './management-api-stand-in';
import type { WebSocketEvent, WebSocketResult } from '../../lib/runtime/websocket';
import { ENV_ENDPOINT, ENV_TABLE_NAME } from '../../lib/runtime/websocket/schema';
import { coldStart } from '../support/cold-start';

type Handler = (event: WebSocketEvent) => Promise<WebSocketResult>;

const CONNECTIONS = 'chat-connections';
const MESSAGES = 'chat-messages';
let db: LocalDynamo;
let ddb: DynamoDBDocumentClient;
let api: ManagementApiStandIn;
let sendMessage: Handler;
let joinRoom: Handler;
const saved = { ...process.env };

beforeAll(async () => {
  db = await startDynalite('unused-chat');
  ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  await createConnectionsTable(CONNECTIONS);
  await ddb.send(new CreateTableCommand({
    TableName: MESSAGES,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'room', AttributeType: 'S' }, { AttributeName: 'sentAt', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'room', KeyType: 'HASH' }, { AttributeName: 'sentAt', KeyType: 'RANGE' }],
  }));
  await seed(ddb, CONNECTIONS, [
    connection('ann', { topic: 'lobby', principal: 'user-ann', attributes: { nickname: 'Ann' } }),
    connection('bob', { topic: 'lobby', principal: 'user-bob' }),
    connection('cat', { topic: 'games', principal: 'user-cat' }),
    connection('gone', { topic: 'lobby', principal: 'user-old' }),
    connection('nowhere', { principal: 'user-new' }),
  ]);
  api = await startManagementApiStandIn({ gone: new Set(['gone']) });
  // What the construct sets on the functions (the connections environment) and what the stack sets.
  process.env[ENV_TABLE_NAME] = CONNECTIONS;
  process.env[ENV_ENDPOINT] = api.endpoint;
  process.env.MESSAGES_TABLE = MESSAGES;
  const [send, join] = coldStart([
    require.resolve('../../examples/chat/src/send-message'),
    require.resolve('../../examples/chat/src/join-room'),
  ]) as Array<{ handler: Handler }>;
  sendMessage = send.handler;
  joinRoom = join.handler;
});

afterAll(async () => {
  process.env = { ...saved };
  ddb.destroy();
  await api.stop();
  await db.stop();
});

function event(connectionId: string, body: unknown): WebSocketEvent {
  return {
    requestContext: { connectionId, requestId: `req-${connectionId}-${Math.random()}`, routeKey: 'x', eventType: 'MESSAGE' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

async function messages(): Promise<Array<Record<string, unknown>>> {
  return (await ddb.send(new ScanCommand({ TableName: MESSAGES }))).Items ?? [];
}

// The tests run in order: one room's story.
test('GIVEN a connection in the lobby WHEN it sends a message THEN it is stored and reaches the lobby only, and the gone connection is removed', async () => {
  const result = await sendMessage(event('ann', { action: 'sendMessage', text: 'hi all' }));
  expect(result.statusCode).toBe(200);
  const stored = await messages();
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ room: 'lobby', text: 'hi all', from: 'user-ann', nickname: 'Ann' });
  for (const id of ['ann', 'bob']) {
    expect(api.delivered.get(id)!.map(m => JSON.parse(m) as unknown)).toEqual([expect.objectContaining({ type: 'message', room: 'lobby', text: 'hi all', nickname: 'Ann' })]);
  }
  expect(api.delivered.has('cat')).toBe(false);
  expect((await storedIds(ddb, CONNECTIONS)).has('gone')).toBe(false);
});

test('GIVEN a connection in no room WHEN it sends THEN 400 in the library\'s error shape and nothing is stored or sent', async () => {
  const before = (await messages()).length;
  const sent = [...api.delivered.values()].flat().length;
  const result = await sendMessage(event('nowhere', { action: 'sendMessage', text: 'hello?' }));
  expect(result.statusCode).toBe(400);
  expect(JSON.parse(result.body!)).toMatchObject({ error: { code: 'BadRequest', message: expect.stringMatching(/^Join a room first/) } });
  expect(await messages()).toHaveLength(before);
  expect([...api.delivered.values()].flat()).toHaveLength(sent);
});

test.each([
  ['not JSON', '{"text":'],
  ['no text', { action: 'sendMessage' }],
  ['blank text', { action: 'sendMessage', text: '   ' }],
  ['text over 2000 characters', { action: 'sendMessage', text: 'x'.repeat(2001) }],
])('GIVEN %s THEN sendMessage answers 400 and stores nothing', async (_label, body) => {
  const before = (await messages()).length;
  const result = await sendMessage(event('ann', body));
  expect(result.statusCode).toBe(400);
  expect(JSON.parse(result.body!)).toMatchObject({ error: { code: 'BadRequest' } });
  expect(await messages()).toHaveLength(before);
});

test('GIVEN joinRoom THEN the sender is answered and later messages of the new room reach it', async () => {
  const result = await joinRoom(event('bob', { action: 'joinRoom', room: 'games' }));
  expect(result).toEqual({ statusCode: 200, body: JSON.stringify({ type: 'joined', room: 'games' }) });
  await sendMessage(event('cat', { action: 'sendMessage', text: 'gg' }));
  expect(JSON.parse(api.delivered.get('bob')!.at(-1)!)).toMatchObject({ room: 'games', text: 'gg' });
  expect(api.delivered.get('ann')).toHaveLength(1);
});

test.each([
  ['an upper-case room', { action: 'joinRoom', room: 'Games' }],
  ['no room', { action: 'joinRoom' }],
  ['not JSON', 'room=games'],
])('GIVEN joinRoom with %s THEN 400 and the connection stays where it was', async (_label, body) => {
  const result = await joinRoom(event('cat', body));
  expect(result.statusCode).toBe(400);
  expect(JSON.parse(result.body!)).toMatchObject({ error: { code: 'BadRequest' } });
  expect((await ddb.send(new GetCommand({ TableName: CONNECTIONS, Key: { connectionId: 'cat' } }))).Item).toMatchObject({ topic: 'games' });
});

test('GIVEN joinRoom from a connection that is not stored THEN 410: the client must reconnect', async () => {
  const result = await joinRoom(event('stranger', { action: 'joinRoom', room: 'games' }));
  expect(result.statusCode).toBe(410);
  expect((await storedIds(ddb, CONNECTIONS)).has('stranger')).toBe(false);
});
