/**
 * Adversarial suite: seeded random hostile events against the five CRUD handlers on dynalite, and
 * concurrent create/update/delete races. For EVERY response: never a 5xx (a 4xx wherever the event is
 * a client mistake), the library's JSON error shape with no stack text, standard headers, nothing
 * written by a rejected request and every 2xx stored exactly as answered (the table is read and
 * compared with a model of the answers), and every log line is one JSON object holding no secret value.
 *
 * Reproduce a failure with the seed printed in its message: ADVERSARIAL_SEED=<seed> npx jest test/runtime/adversarial
 * Bounded: ADVERSARIAL_COUNT events (default 150), stopping early after ADVERSARIAL_BUDGET_MS
 * (default 7000) on a slow machine (dynalite runs in-process; at least 25 events must run). The table
 * is compared with a model built from the responses every 8 events and at the end.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { GeneratedEvent, generateEvent, GeneratorState, Operation, POOL_IDS, Rng, SECRETS } from './adversarial-events';
import { scanTable, useCrudHandlers } from './dynalite';
import { lambdaContext, post } from './events';

const SEED = Number(process.env.ADVERSARIAL_SEED ?? 20251121);
const COUNT = Number(process.env.ADVERSARIAL_COUNT ?? 150);
const BUDGET_MS = Number(process.env.ADVERSARIAL_BUDGET_MS ?? 7000);

const fx = useCrudHandlers('adversarial-items');
let reader: DynamoDBDocumentClient;
beforeAll(() => { reader = DynamoDBDocumentClient.from(new DynamoDBClient({})); });
afterAll(() => reader?.destroy());

type Item = Record<string, unknown>;
type Snapshot = Map<string, Item>;

async function snapshot(): Promise<Snapshot> {
  return new Map((await scanTable(fx.db.tableName, reader)).map((i) => [String(i.id), i]));
}

function changedIds(before: Snapshot, after: Snapshot): string[] {
  const ids = new Set([...before.keys(), ...after.keys()]);
  return [...ids].filter((id) => JSON.stringify(before.get(id)) !== JSON.stringify(after.get(id)));
}

const STACK_TEXT = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+|(Type|Reference|Range|Syntax)Error/;
const ERROR_CODES = ['BadRequest', 'NotFound', 'Conflict', 'PayloadTooLarge', 'UnsupportedMediaType'];

/** The invariants every response must satisfy. Throws with what went wrong. */
function checkResponse(res: APIGatewayProxyResult, generated: GeneratedEvent): void {
  expect(res.statusCode).toBeLessThan(500);
  expect([200, 201, 204, 400, 404, 409, 413, 415]).toContain(res.statusCode);
  if (generated.expect === 'reject') {
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
  }
  const headers = res.headers ?? {};
  expect(headers['Cache-Control']).toBe('no-store');
  expect(headers['X-Content-Type-Options']).toBe('nosniff');
  for (const value of Object.values(headers)) {
    expect(String(value)).toMatch(/^[\x20-\x7e]*$/); // printable ASCII: no CR/LF, no raw Unicode
  }
  if (res.statusCode === 204) {
    expect(res.body).toBe('');
    return;
  }
  expect(headers['Content-Type']).toBe('application/json; charset=utf-8');
  const body = JSON.parse(res.body);
  expect(res.body).not.toMatch(STACK_TEXT);
  if (res.statusCode >= 400) {
    expect(Object.keys(body)).toEqual(['error']);
    expect(ERROR_CODES).toContain(body.error.code);
    expect(typeof body.error.message).toBe('string');
    expect(body.error.requestId).toBe(headers['X-Request-Id']);
    for (const secret of SECRETS) {
      expect(res.body).not.toContain(secret);
    }
  }
}

/**
 * Applies a response to the model of the table (what the handlers said they stored) and checks the
 * version rule on the way: a create starts at 1 or continues after a tombstone, an update adds 1, a
 * delete leaves a tombstone one above. A rejected request or a read leaves the model unchanged; the
 * table is compared with the model every CHECK_EVERY events and at the end.
 */
function applyToModel(model: Snapshot, op: Operation, event: APIGatewayProxyEvent, res: APIGatewayProxyResult): void {
  if (res.statusCode >= 400 || op === 'get' || op === 'list') {
    return;
  }
  if (op === 'remove') {
    expect(res.statusCode).toBe(204);
    const id = String(event.pathParameters?.id);
    const previous = model.get(id);
    expect(previous && !('deletedAt' in previous)).toBe(true);
    model.set(id, { id, version: Number(previous?.version) + 1, deletedAt: TOMBSTONE_TIME });
    return;
  }
  const item = JSON.parse(res.body) as Item;
  const previous = model.get(String(item.id));
  expect(item.version).toBe(previous ? Number(previous.version) + 1 : 1);
  if (op === 'create') {
    expect(res.statusCode).toBe(201);
    expect(previous === undefined || 'deletedAt' in previous).toBe(true);
  }
  model.set(String(item.id), item);
}

/** A tombstone's deletedAt is the handler's clock; the model only knows there is one. */
const TOMBSTONE_TIME = '<deletedAt>';

function normalised(table: Snapshot): Snapshot {
  return new Map([...table].map(([id, item]) => [id, typeof item.deletedAt === 'string' ? { ...item, deletedAt: TOMBSTONE_TIME } : item]));
}

/** Every captured line is one JSON object with a level and a message, and contains no secret. */
function checkLogs(lines: string[]): void {
  for (const line of lines) {
    const parsed = JSON.parse(line);
    expect(parsed).toEqual(expect.objectContaining({ level: expect.any(String), message: expect.any(String) }));
    for (const secret of SECRETS) {
      expect(line).not.toContain(secret);
    }
  }
}

function withSeed(err: unknown, what: string): Error {
  const error = err instanceof Error ? err : new Error(String(err));
  error.message = `[adversarial seed=${SEED}, reproduce with ADVERSARIAL_SEED=${SEED}] ${what}\n${error.message}`;
  return error;
}

/** The table is read and compared with the model after this many events (and at the end). */
const CHECK_EVERY = 8;

describe(`adversarial events (seed ${SEED})`, () => {
  test(`GIVEN up to ${COUNT} seeded hostile events WHEN each is handled THEN every response, the table and the logs keep the invariants`, async () => {
    const rng = new Rng(SEED);
    const state: GeneratorState = { versions: new Map(), tokens: [] };
    const started = Date.now();
    const statuses = new Map<number, number>();
    const model: Snapshot = normalised(await snapshot());
    const window: string[] = [];
    let handled = 0;
    let rejectedExpected = 0;

    const compareTable = async (): Promise<void> => {
      const table = normalised(await snapshot());
      try {
        // Nothing written by a rejected request or a read, and every write stored exactly as answered.
        expect(changedIds(model, table)).toEqual([]);
      } catch (err) {
        throw withSeed(err, `the table differs from what the handlers answered, after these events:\n${window.join('\n')}`);
      }
      window.length = 0;
    };

    for (let i = 0; i < COUNT && Date.now() - started < BUDGET_MS; i++) {
      const generated = generateEvent(rng, state);
      const firstLine = fx.logs.lines.length;
      let res: APIGatewayProxyResult | undefined;
      try {
        res = await fx.h[generated.op](generated.event, lambdaContext());
        checkResponse(res, generated);
        applyToModel(model, generated.op, generated.event, res);
        checkLogs(fx.logs.lines.slice(firstLine));
        expect(fx.logs.lines.length).toBeGreaterThan(firstLine); // the access line was written
      } catch (err) {
        throw withSeed(err, `event #${i}: ${generated.label}\nresponse: ${res ? `${res.statusCode} ${res.body.slice(0, 300)}` : '(none)'}`);
      }
      window.push(`#${i} ${res.statusCode} ${generated.label.slice(0, 200)}`);
      if (window.length >= CHECK_EVERY) {
        await compareTable();
      }
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      handled += 1;
      rejectedExpected += generated.expect === 'reject' ? 1 : 0;
      state.versions = new Map([...model.values()].filter((item) => !('deletedAt' in item)).map((item) => [String(item.id), Number(item.version)]));
      if (generated.op === 'list' && res.statusCode === 200) {
        const token = JSON.parse(res.body).nextToken;
        if (typeof token === 'string') state.tokens.push(token);
      }
    }
    await compareTable();

    const summary = `${handled} events in ${Date.now() - started} ms, ${rejectedExpected} client mistakes, statuses ${JSON.stringify([...statuses])}`;
    try {
      // The run really exercised both sides (otherwise it proves little), even when a slow machine
      // stopped it early.
      expect(handled).toBeGreaterThanOrEqual(Math.min(COUNT, 25));
      expect(rejectedExpected).toBeGreaterThan(handled / 5);
      expect([...statuses.keys()].filter((s) => s < 300).length).toBeGreaterThanOrEqual(2);
      expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(3);
    } catch (err) {
      throw withSeed(err, summary);
    }
  });
});

describe(`concurrent races (seed ${SEED})`, () => {
  test('GIVEN rounds of concurrent creates, updates, deletes and reads on a few ids THEN no 5xx, versions never repeat per id, and the table stays consistent', async () => {
    const rng = new Rng(SEED ^ 0x5eed);
    const ids = POOL_IDS.slice(0, 3).map((id) => `race-${id}`);
    const seen = new Map<string, number[]>(ids.map((id) => [id, []]));
    const record = (id: string, res: APIGatewayProxyResult): void => {
      expect(res.statusCode).toBeLessThan(500);
      expect([200, 201, 204, 404, 409]).toContain(res.statusCode);
      if (res.statusCode === 200 || res.statusCode === 201) {
        const version = JSON.parse(res.body).version;
        if (typeof version === 'number') seen.get(id)?.push(version);
      }
    };
    const ROUNDS = 4;
    for (let round = 0; round < ROUNDS; round++) {
      const firstLine = fx.logs.lines.length;
      const calls: Promise<void>[] = [];
      for (let k = 0; k < 12; k++) {
        const id = rng.pick(ids);
        const kind = rng.pick(['create', 'update', 'update', 'remove', 'get'] as const);
        const version = 1 + rng.int(8);
        const event = kind === 'create'
          ? post({ id, round, k })
          : { ...post({ version, round, k }), httpMethod: kind === 'update' ? 'PUT' : kind === 'remove' ? 'DELETE' : 'GET', pathParameters: { id } };
        calls.push(fx.h[kind](event, lambdaContext()).then((res) => {
          try {
            record(id, kind === 'get' ? { ...res, body: '{}' } : res);
          } catch (err) {
            throw withSeed(err, `round ${round}, ${kind} ${id} v${version}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          }
        }));
      }
      await Promise.all(calls);
      checkLogs(fx.logs.lines.slice(firstLine));
    }
    for (const [id, versions] of seen) {
      try {
        expect(new Set(versions).size).toBe(versions.length);
      } catch (err) {
        throw withSeed(err, `versions of ${id}: ${versions.join(',')}`);
      }
    }
    const table = await snapshot();
    for (const id of ids) {
      const item = table.get(id);
      if (!item) continue;
      expect(Number.isSafeInteger(item.version)).toBe(true);
      expect(Number(item.version)).toBeGreaterThanOrEqual(Math.max(0, ...(seen.get(id) ?? [])));
      if ('deletedAt' in item) {
        expect(Object.keys(item).sort()).toEqual(['deletedAt', 'id', 'version']);
      }
    }
  });
});
