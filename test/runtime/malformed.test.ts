import type { APIGatewayProxyEvent } from 'aws-lambda';
import { CrudHandlers, LocalDynamo, loadHandlers, startDynalite } from './dynalite';
import { apiEvent, captureConsole, del, getOne, invoke, list, parseBody, post, put } from './events';

let db: LocalDynamo;
let h: CrudHandlers;
let logs: ReturnType<typeof captureConsole>;
const EXISTING = 'malformed-existing';

beforeAll(async () => {
  logs = captureConsole();
  db = await startDynalite('malformed-items');
  h = await loadHandlers();
  expect((await invoke(h.create, post({ id: EXISTING }))).statusCode).toBe(201);
});

afterAll(async () => {
  await db?.stop();
  logs.restore();
});

const MAX = 102400;
const b64 = (s: string | Buffer) => Buffer.from(s as string).toString('base64');
const unicode = { emoji: '😀👩‍👩‍👧‍👦', rtl: 'مرحبا بالعالم עברית', nul: 'a\u0000b', override: '\u202Etxt.exe' };
const longId = 'x'.repeat(2000);

type Row = [label: string, handler: keyof CrudHandlers, event: () => APIGatewayProxyEvent, status: number];

const rows: Row[] = [
  // Body parsing (create)
  ['POST bad JSON', 'create', () => post('{"a":'), 400],
  ['POST whitespace-only body', 'create', () => post('   '), 400],
  ['POST JSON array', 'create', () => post('[1,2,3]'), 400],
  ['POST JSON null', 'create', () => post('null'), 400],
  ['POST JSON number', 'create', () => post('42'), 400],
  ['POST JSON string', 'create', () => post('"hello"'), 400],
  ['POST JSON true', 'create', () => post('true'), 400],
  ['POST empty body', 'create', () => apiEvent({ method: 'POST', rawBody: '', contentType: 'application/json' }), 400],
  ['POST null body', 'create', () => apiEvent({ method: 'POST', rawBody: null, headers: { 'Content-Type': 'application/json' } }), 400],
  ['POST huge body (> MAX_BODY_BYTES)', 'create', () => post({ big: 'x'.repeat(MAX) }), 413],
  ['POST huge multi-byte body (chars < limit, bytes > limit)', 'create', () => post({ big: 'é'.repeat(MAX / 2 + 10) }), 413],
  ['POST huge body with wrong content type', 'create', () => post({ big: 'x'.repeat(MAX) }, { contentType: 'text/plain' }), 413],
  ['POST body exactly at MAX_BODY_BYTES', 'create', () => post(`{"pad":"${'x'.repeat(MAX - 10)}"}`), 201],
  ['POST text/plain', 'create', () => post({ a: 1 }, { contentType: 'text/plain' }), 415],
  ['POST application/problem+json', 'create', () => post({ a: 1 }, { contentType: 'application/problem+json' }), 415],
  ['POST application/jsonx', 'create', () => post({ a: 1 }, { contentType: 'application/jsonx' }), 415],
  ['POST missing content type', 'create', () => post({ a: 1 }, { contentType: false }), 415],
  ['POST with headers: null', 'create', () => ({ ...post({ a: 1 }), headers: {}, multiValueHeaders: {} }), 415],
  ['POST lower-case content-type with charset', 'create', () => post({ a: 1 }, { contentType: false, headers: { 'content-type': 'Application/JSON; charset=utf-8' } }), 201],
  ['POST base64-encoded JSON', 'create', () => post(b64(JSON.stringify({ via: 'base64' })), { isBase64Encoded: true }), 201],
  ['POST base64 that is not base64', 'create', () => post('%%%not base64%%%', { isBase64Encoded: true }), 400],
  ['POST base64 of invalid UTF-8', 'create', () => post(b64(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), { isBase64Encoded: true }), 400],
  ['POST base64 of a JSON array', 'create', () => post(b64('[]'), { isBase64Encoded: true }), 400],
  ['POST base64 huge body', 'create', () => post(b64(JSON.stringify({ big: 'x'.repeat(MAX) })), { isBase64Encoded: true }), 413],
  ['POST unicode (emoji, RTL, NUL)', 'create', () => post({ ...unicode }), 201],
  ['POST unicode attribute names', 'create', () => post({ 'ключ 🔑': 'значение' }), 201],
  ['POST empty attribute name', 'create', () => post({ '': 'x' }), 400],
  ['POST id of 2000 chars', 'create', () => post({ id: longId }), 400],
  ['POST id of 1000 chars but 3000 UTF-8 bytes (> 2048)', 'create', () => post({ id: 'あ'.repeat(1000) }), 400],
  ['POST number out of range', 'create', () => post('{"n": 1e400}'), 400],
  ['POST unsafe integer', 'create', () => post('{"n": 9007199254740993}'), 400],
  ['POST __proto__ attribute', 'create', () => post('{"__proto__": {"x": 1}, "ok": true}'), 400],
  ['POST deeply nested arrays (bounded recursion)', 'create', () => post('['.repeat(20000) + ']'.repeat(20000)), 400],
  ['POST deeply nested object attribute', 'create', () => post(`{"d":${'['.repeat(20000)}${']'.repeat(20000)}}`), 400],
  // Version types (update)
  ['PUT version as string "1"', 'update', () => put(EXISTING, { version: '1' }), 400],
  ['PUT version 1.5', 'update', () => put(EXISTING, { version: 1.5 }), 400],
  ['PUT version -1', 'update', () => put(EXISTING, { version: -1 }), 400],
  ['PUT version 0', 'update', () => put(EXISTING, { version: 0 }), 400],
  ['PUT version null', 'update', () => put(EXISTING, { version: null }), 400],
  ['PUT version true', 'update', () => put(EXISTING, { version: true }), 400],
  ['PUT version object', 'update', () => put(EXISTING, { version: { n: 1 } }), 400],
  ['PUT missing version', 'update', () => put(EXISTING, { a: 1 }), 400],
  ['PUT stale version', 'update', () => put(EXISTING, { version: 99 }), 409],
  ['PUT JSON array body', 'update', () => put(EXISTING, '[{"version":1}]'), 400],
  ['PUT bad JSON', 'update', () => put(EXISTING, '{"version":1'), 400],
  ['PUT huge body', 'update', () => put(EXISTING, { version: 1, big: 'x'.repeat(MAX) }), 413],
  ['PUT wrong content type', 'update', () => put(EXISTING, { version: 1 }, { contentType: 'text/json' }), 415],
  ['PUT missing content type', 'update', () => put(EXISTING, { version: 1 }, { contentType: false }), 415],
  ['PUT empty body', 'update', () => put(EXISTING, undefined), 400],
  ['PUT missing id path param', 'update', () => apiEvent({ method: 'PUT', body: { version: 1 } }), 400],
  ['PUT id of 2000 chars', 'update', () => put(longId, { version: 1 }), 400],
  ['PUT unknown id', 'update', () => put('malformed-unknown', { version: 1 }), 404],
  // Path parameters (get/delete)
  ['GET missing id path param', 'get', () => apiEvent({ method: 'GET', pathParameters: null }), 400],
  ['GET pathParameters without id', 'get', () => apiEvent({ method: 'GET', pathParameters: { other: 'x' } }), 400],
  ['GET id of 2000 chars', 'get', () => getOne(longId), 400],
  ['GET unicode id that does not exist', 'get', () => getOne('🙂\u0000\u202E'), 404],
  ['DELETE missing id path param', 'remove', () => apiEvent({ method: 'DELETE' }), 400],
  ['DELETE id of 2000 chars', 'remove', () => del(longId), 400],
  ['DELETE unknown id', 'remove', () => del('malformed-unknown'), 404],
  // Query parameters (list)
  ['GET list limit=0', 'list', () => list({ limit: '0' }), 400],
  ['GET list limit=abc', 'list', () => list({ limit: 'abc' }), 400],
  ['GET list limit=1.5', 'list', () => list({ limit: '1.5' }), 400],
  ['GET list limit=1000', 'list', () => list({ limit: '1000' }), 400],
  ['GET list limit=-3', 'list', () => list({ limit: '-3' }), 400],
  ['GET list limit=99999999999999999999', 'list', () => list({ limit: '99999999999999999999' }), 400],
  ['GET list limit=5', 'list', () => list({ limit: '5' }), 200],
  ['GET list nextToken garbage', 'list', () => list({ nextToken: '@@garbage@@' }), 400],
  ['GET list nextToken base64 of non-object', 'list', () => list({ nextToken: Buffer.from('[1]').toString('base64url') }), 400],
  ['GET list nextToken wrong keys', 'list', () => list({ nextToken: Buffer.from('{"pk":"a"}').toString('base64url') }), 400],
  ['GET list with body and no content type (body ignored)', 'list', () => apiEvent({ method: 'GET', body: 'junk', contentType: false }), 200],
];

describe('malformed input never causes a 500 or a throw', () => {
  const cases = rows.map(([label, handlerName, makeEvent, expected]) => ({ label, handlerName, makeEvent, expected }));
  test.each(cases)('GIVEN $label WHEN handled by $handlerName THEN status $expected', async ({ handlerName, makeEvent, expected }) => {
    const event = makeEvent();
    const res = await invoke(h[handlerName], event);
    expect(res.statusCode).toBe(expected);
    expect(res.statusCode).not.toBe(500);
    if (res.statusCode !== 204) {
      expect(() => parseBody(res)).not.toThrow();
    }
  });

  test('GIVEN unicode values (emoji, RTL, NUL) WHEN created and read back THEN they round-trip exactly', async () => {
    const id = '🆔 עברית \u0000 id';
    const created = await invoke(h.create, post({ id, ...unicode }));
    expect(created.statusCode).toBe(201);
    const res = await invoke(h.get, getOne(id));
    expect(res.statusCode).toBe(200);
    expect(parseBody(res)).toMatchObject({ id, ...unicode });
    expect(parseBody(res).nul).toHaveLength(3);
  });

  test('GIVEN a base64-encoded body WHEN created THEN the decoded attributes are stored', async () => {
    const res = await invoke(h.create, post(b64(JSON.stringify({ id: 'b64-item', text: 'héllo 😀' })), { isBase64Encoded: true }));
    expect(res.statusCode).toBe(201);
    expect(parseBody(await invoke(h.get, getOne('b64-item'))).text).toBe('héllo 😀');
  });

  test('GIVEN a completely empty event WHEN handled by each handler THEN 4xx and nothing throws', async () => {
    for (const name of ['create', 'get', 'list', 'update', 'remove'] as const) {
      const res = await h[name]({} as APIGatewayProxyEvent, {} as never);
      expect(res.statusCode).toBeLessThan(500);
      expect(() => JSON.parse(res.body)).not.toThrow();
    }
  });

  test('GIVEN all the malformed requests above THEN no unhandled error was logged', () => {
    expect(logs.lines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
