import type { APIGatewayProxyEvent } from 'aws-lambda';
import { scanTable, useCrudHandlers } from './dynalite';
import { apiEvent, del, getOne, invoke, lambdaContext, list, parseBody, post, put } from './events';

const fx = useCrudHandlers('unicode-items');

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

async function storedIds(): Promise<unknown[]> {
  return (await scanTable(fx.db.tableName)).map((i) => i.id);
}

describe('lone UTF-16 surrogates are refused before any write', () => {
  test.each([
    ['a lone high surrogate', `{"id":"\\ud800"}`],
    ['a lone low surrogate', `{"id":"x\\udc00y"}`],
    ['a reversed pair', `{"id":"\\udc00\\ud800"}`],
  ])('GIVEN an id that is %s WHEN created THEN 400 and nothing is stored', async (_label, body) => {
    const before = await storedIds();
    const res = await invoke(fx.h.create, post(body));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toContain('"id" must be a non-empty string of valid Unicode');
    expect(await storedIds()).toEqual(before);
  });

  test('GIVEN a valid surrogate pair (emoji) in the id WHEN created THEN 201 with a percent-encoded Location', async () => {
    const id = 'pair-😀';
    const res = await invoke(fx.h.create, post(`{"id":"pair-\\ud83d\\ude00"}`));
    expect(res.statusCode).toBe(201);
    expect(res.headers?.Location).toBe(`/items/${encodeURIComponent(id)}`);
  });

  test.each([
    ['an attribute value', `{"id":"v-1","name":"\\ud800"}`, 'String at "name"'],
    ['a nested value', `{"id":"v-2","a":{"b":["ok","\\udfff"]}}`, 'String at "a.b[1]"'],
    ['an attribute name', `{"id":"v-3","\\ud800":1}`, 'Attribute name at'],
    ['a nested attribute name', `{"id":"v-4","a":{"x\\udc00":1}}`, 'Attribute name at'],
  ])('GIVEN a lone surrogate in %s WHEN created THEN 400 and nothing is stored', async (_label, body, message) => {
    const before = await storedIds();
    const res = await invoke(fx.h.create, post(body));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toContain(message);
    expect(await storedIds()).toEqual(before);
  });

  test('GIVEN a lone surrogate in a PUT body WHEN replaced THEN 400 and the item is unchanged', async () => {
    expect((await invoke(fx.h.create, post({ id: 'put-target', name: 'before' }))).statusCode).toBe(201);
    const res = await invoke(fx.h.update, put('put-target', `{"version":1,"name":"\\ud800"}`));
    expect(res.statusCode).toBe(400);
    expect(parseBody(await invoke(fx.h.get, getOne('put-target')))).toMatchObject({ name: 'before', version: 1 });
  });

  test('GIVEN a raw (not base64) body string holding a lone surrogate WHEN created THEN 400 instead of storing U+FFFD', async () => {
    const before = await storedIds();
    const res = await invoke(fx.h.create, post(`{"id":"raw-${LONE_HIGH}"}`));
    expect(res.statusCode).toBe(400);
    expect(await storedIds()).toEqual(before);
  });

  test.each([
    ['get', () => getOne(LONE_HIGH)],
    ['update', () => put(`x${LONE_LOW}`, { version: 1 })],
    ['remove', () => del(LONE_HIGH)],
  ] as const)('GIVEN a lone surrogate path id WHEN handled by %s THEN 400', async (name, makeEvent) => {
    const res = await invoke(fx.h[name], makeEvent());
    expect(res.statusCode).toBe(400);
  });

  test('GIVEN a nextToken whose key holds a lone surrogate WHEN listed THEN 400 invalid nextToken', async () => {
    const res = await invoke(fx.h.list, list({ nextToken: b64url('{"id":"\\ud800"}') }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toBe('invalid nextToken');
  });
});

describe('a write that succeeded is never answered 5xx', () => {
  const odd: [string, (e: APIGatewayProxyEvent) => void][] = [
    ['path is a number', (e) => { (e as { path: unknown }).path = 42; }],
    ['path is null', (e) => { (e as { path: unknown }).path = null; }],
    ['path holds a lone surrogate, CR/LF and spaces', (e) => { e.path = `/items${LONE_HIGH}\r\nX-Injected: 1 /`; }],
    ['path is 20,000 slashes', (e) => { e.path = '/'.repeat(20000); }],
  ];
  test.each(odd)('GIVEN %s WHEN created THEN 201 with a header-safe Location, and the item is stored', async (_label, mutate) => {
    const id = `odd-path-${Math.random().toString(36).slice(2)}`;
    const event = post({ id });
    mutate(event);
    const res = await invoke(fx.h.create, event);
    expect(res.statusCode).toBe(201);
    const location = String(res.headers?.Location);
    expect(location).toMatch(/^[\x21-\x7e]+$/); // printable ASCII only: no CR/LF, no raw Unicode
    expect(location.endsWith(`/${id}`)).toBe(true);
    expect(await storedIds()).toContain(id);
  });

  test('GIVEN a request id with CR/LF WHEN handled THEN X-Request-Id falls back to the Lambda request id', async () => {
    const event = getOne('whatever', { requestId: 'evil\r\nSet-Cookie: a=b' });
    const res = await fx.h.get(event, lambdaContext('lambda-req-7'));
    expect(res.headers?.['X-Request-Id']).toBe('lambda-req-7');
    expect(parseBody(res).error.requestId).toBe('lambda-req-7');
  });

  test('GIVEN both request ids are unusable WHEN handled THEN X-Request-Id is "unknown"', async () => {
    const event = apiEvent({ requestId: '\u0000' });
    const res = await fx.h.list(event, lambdaContext('\ud800'));
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['X-Request-Id']).toBe('unknown');
  });
});
