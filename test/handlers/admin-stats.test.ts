import type { APIGatewayProxyResult } from 'aws-lambda';
import { coldStart } from '../support/cold-start';
import { LocalDynamo, startDynalite } from '../runtime/dynalite';
import { apiEvent, captureConsole, lambdaContext, parseBody } from '../runtime/events';

type Handler = typeof import('../../bin/handlers/admin-stats').handler;

let db: LocalDynamo;
let handler: Handler;
let logs: ReturnType<typeof captureConsole>;

beforeAll(async () => {
  logs = captureConsole();
  db = await startDynalite('admin-stats-items');
  // After dynalite: the handler's DynamoDB client is created at module load.
  handler = (coldStart([require.resolve('../../bin/handlers/admin-stats')])[0] as typeof import('../../bin/handlers/admin-stats')).handler;
});

afterAll(async () => {
  await db?.stop();
  logs.restore();
});

beforeEach(() => {
  process.env.TABLE_NAME = db.tableName;
  logs.lines.length = 0;
});

const stats = (): Promise<APIGatewayProxyResult> => handler(apiEvent({ method: 'GET', path: '/admin/stats' }), lambdaContext());

describe('GET /admin/stats', () => {
  test('GIVEN the items table THEN 200 with its approximate item count and size, as JSON', async () => {
    const res = await stats();

    expect(res.statusCode).toBe(200);
    // dynalite, like DynamoDB between its six-hourly refreshes, reports 0 for a new table.
    expect(parseBody(res)).toEqual({ itemCount: 0, sizeBytes: 0 });
  });

  test('GIVEN a request THEN the response is JSON, not cached, and carries the request id', async () => {
    const event = apiEvent({ method: 'GET', path: '/admin/stats' });

    const res = await handler(event, lambdaContext());

    expect(res.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Request-Id': event.requestContext.requestId,
    });
  });

  test('GIVEN a table that does not exist THEN 500 in the API\'s error shape, not a Lambda error', async () => {
    process.env.TABLE_NAME = 'no-such-table';
    const event = apiEvent({ method: 'GET', path: '/admin/stats' });

    const res = await handler(event, lambdaContext());

    expect(res.statusCode).toBe(500);
    expect(parseBody(res)).toEqual({ error: { code: 'InternalError', message: 'Internal server error', requestId: event.requestContext.requestId } });
  });

  test('GIVEN a DynamoDB failure THEN its cause is logged as JSON, never returned', async () => {
    process.env.TABLE_NAME = 'no-such-table';

    const res = await stats();

    expect(res.body).not.toMatch(/ResourceNotFound/);
    const errors = logs.lines.map(l => JSON.parse(l)).filter(l => l.level === 'error' && l.message === 'Unhandled error');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0].error)).toMatch(/ResourceNotFoundException/);
  });
});
