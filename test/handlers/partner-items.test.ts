import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { coldStart } from '../support/cold-start';
import { LocalDynamo, startDynalite } from '../runtime/dynalite';
import { apiEvent, captureConsole, lambdaContext, parseBody } from '../runtime/events';

type Handler = typeof import('../../bin/handlers/partner-items').handler;

let db: LocalDynamo;
let handler: Handler;
let logs: ReturnType<typeof captureConsole>;

/** 30 items: more than the one page of 25 the route answers. */
const ITEM_COUNT = 30;

beforeAll(async () => {
  logs = captureConsole();
  db = await startDynalite('partner-items');
  const client = new DynamoDBClient({});
  try {
    for (let start = 0; start < ITEM_COUNT; start += 25) {
      const ids = Array.from({ length: Math.min(25, ITEM_COUNT - start) }, (_, i) => `item-${start + i}`);
      await client.send(new BatchWriteItemCommand({
        RequestItems: { [db.tableName]: ids.map(id => ({ PutRequest: { Item: { id: { S: id }, name: { S: `name of ${id}` }, count: { N: '3' } } } })) },
      }));
    }
  } finally {
    client.destroy();
  }
  // After dynalite: the handler's DynamoDB client is created at module load.
  handler = (coldStart([require.resolve('../../bin/handlers/partner-items')])[0] as typeof import('../../bin/handlers/partner-items')).handler;
});

afterAll(async () => {
  await db?.stop();
  logs.restore();
});

beforeEach(() => {
  process.env.TABLE_NAME = db.tableName;
});

/** A request the partner authorizer admitted: its context is in requestContext.authorizer. */
function partnerRequest(partnerId?: string): APIGatewayProxyEvent {
  const event = apiEvent({ method: 'GET', path: '/partner/items' });
  return { ...event, requestContext: { ...event.requestContext, authorizer: partnerId ? { partnerId, principalId: partnerId } : null } };
}

describe('GET /partner/items', () => {
  test('GIVEN an admitted partner THEN 200 with the partner id from the authorizer context', async () => {
    const res = await handler(partnerRequest('acme'), lambdaContext());

    expect(res.statusCode).toBe(200);
    expect(parseBody(res).partnerId).toBe('acme');
  });

  test('GIVEN items in the table THEN they are returned as plain JSON (not DynamoDB attribute values)', async () => {
    const res = await handler(partnerRequest('acme'), lambdaContext());

    expect(parseBody(res).items).toContainEqual({ id: 'item-7', name: 'name of item-7', count: 3 });
  });

  test('GIVEN more items than a page THEN only the first page of 25 is returned', async () => {
    const res = await handler(partnerRequest('acme'), lambdaContext());

    expect(parseBody(res).items).toHaveLength(25);
  });

  test('GIVEN no authorizer context THEN partnerId is null', async () => {
    const res = await handler(partnerRequest(), lambdaContext());

    expect(parseBody(res).partnerId).toBeNull();
  });

  test('GIVEN a request THEN the response is JSON, not cached, and carries the request id', async () => {
    const event = partnerRequest('acme');

    const res = await handler(event, lambdaContext());

    expect(res.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Request-Id': event.requestContext.requestId,
    });
  });

  test('GIVEN a table that does not exist THEN 500 in the API\'s error shape, not a Lambda error', async () => {
    process.env.TABLE_NAME = 'no-such-table';
    const event = partnerRequest('acme');

    const res = await handler(event, lambdaContext());

    expect(res.statusCode).toBe(500);
    expect(parseBody(res)).toEqual({ error: { code: 'InternalError', message: 'Internal server error', requestId: event.requestContext.requestId } });
  });
});
