import { CrudHandlers, LocalDynamo, loadHandlers, startDynalite } from './dynalite';
import { captureConsole, getOne, invoke, list, parseBody, post, put } from './events';

let db: LocalDynamo;
let h: CrudHandlers;
let logs: ReturnType<typeof captureConsole>;

beforeAll(async () => {
  logs = captureConsole();
  db = await startDynalite('errors-items');
  // Larger body limit so that DynamoDB's own 400 KB item limit is reachable.
  process.env.MAX_BODY_BYTES = '1000000';
  h = await loadHandlers();
});

afterAll(async () => {
  await db?.stop();
  logs.restore();
});

describe('DynamoDB errors', () => {
  test('GIVEN an item over DynamoDB 400 KB limit WHEN created THEN 400 (ValidationException from user data), not 500', async () => {
    const res = await invoke(h.create, post({ id: 'too-big', blob: 'x'.repeat(450 * 1024) }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error).toMatchObject({ code: 'BadRequest', message: expect.stringContaining('400 KB') });
  });

  test('GIVEN an update making the item over 400 KB WHEN replaced THEN 400', async () => {
    expect((await invoke(h.create, post({ id: 'grows' }))).statusCode).toBe(201);
    const res = await invoke(h.update, put('grows', { version: 1, blob: 'x'.repeat(450 * 1024) }));
    expect(res.statusCode).toBe(400);
  });

  test('GIVEN the table does not exist WHEN a request is handled THEN 500 InternalError with a generic body and the error logged', async () => {
    process.env.TABLE_NAME = 'no-such-table';
    const broken: CrudHandlers = await loadHandlers();
    process.env.TABLE_NAME = db.tableName;
    logs.lines.length = 0;

    for (const [handler, event] of [
      [broken.get, getOne('x', { requestId: 'err-req-1' })],
      [broken.list, list(null, { requestId: 'err-req-1' })],
      [broken.create, post({ a: 1 }, { requestId: 'err-req-1' })],
    ] as const) {
      const res = await invoke(handler, event);
      expect(res.statusCode).toBe(500);
      expect(parseBody(res)).toEqual({
        error: { code: 'InternalError', message: 'Internal server error', requestId: 'err-req-1' },
      });
      expect(res.body).not.toMatch(/no-such-table|ResourceNotFound|stack|\bat\b/);
    }

    const errorLines = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'Unhandled error');
    expect(errorLines).toHaveLength(3);
    expect(errorLines[0]).toMatchObject({ level: 'error', requestId: 'err-req-1' });
    expect(errorLines[0].error.name).toBe('ResourceNotFoundException');
    expect(typeof errorLines[0].error.stack).toBe('string');
    const accessLines = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'request');
    expect(accessLines.every((l) => l.status === 500 && l.level === 'error')).toBe(true);
  });
});
