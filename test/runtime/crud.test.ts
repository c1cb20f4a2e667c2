import { useCrudHandlers } from './dynalite';
import { apiEvent, del, getOne, invoke, lambdaContext, list, parseBody, post, put } from './events';

const fx = useCrudHandlers('crud-items');

afterEach(() => {
  // No request in this file may end in an unhandled error.
  expect(fx.logs.lines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
});

let seq = 0;
const uniqueId = (prefix = 'item') => `${prefix}-${Date.now()}-${++seq}`;

async function createItem(body: Record<string, unknown> = {}) {
  const res = await invoke(fx.h.create, post({ id: uniqueId(), ...body }));
  expect(res.statusCode).toBe(201);
  return parseBody(res);
}

describe('create (POST /items)', () => {
  test('GIVEN a JSON object with an id WHEN created THEN 201 with version 1, timestamps and a Location header', async () => {
    const id = uniqueId();
    const res = await invoke(fx.h.create, post({ id, name: 'widget', tags: ['a'], nested: { n: 1.5 } }));
    expect(res.statusCode).toBe(201);
    const item = parseBody(res);
    expect(item).toMatchObject({ id, name: 'widget', tags: ['a'], nested: { n: 1.5 }, version: 1 });
    expect(new Date(item.createdAt).toISOString()).toBe(item.createdAt);
    expect(item.updatedAt).toBe(item.createdAt);
    expect(res.headers?.Location).toBe(`/items/${id}`);
  });

  test('GIVEN a body without an id WHEN created THEN a UUID is generated', async () => {
    const res = await invoke(fx.h.create, post({ name: 'no-id' }));
    expect(res.statusCode).toBe(201);
    const item = parseBody(res);
    expect(item.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.headers?.Location).toBe(`/items/${item.id}`);
  });

  test('GIVEN an id with reserved URL characters WHEN created THEN the Location header is percent-encoded', async () => {
    const id = `a/b ?${uniqueId()}`;
    const res = await invoke(fx.h.create, post({ id }));
    expect(res.statusCode).toBe(201);
    expect(res.headers?.Location).toBe(`/items/${encodeURIComponent(id)}`);
  });

  test('GIVEN an existing id WHEN created again THEN 409 Conflict and the original is untouched', async () => {
    const original = await createItem({ name: 'first' });
    const res = await invoke(fx.h.create, post({ id: original.id, name: 'second' }));
    expect(res.statusCode).toBe(409);
    expect(parseBody(res).error.code).toBe('Conflict');
    const stored = parseBody(await invoke(fx.h.get, getOne(original.id)));
    expect(stored.name).toBe('first');
  });

  test.each([
    ['version', { version: 7 }],
    ['createdAt', { createdAt: '2020-01-01T00:00:00.000Z' }],
    ['updatedAt', { updatedAt: '2020-01-01T00:00:00.000Z' }],
  ])('GIVEN the server-managed attribute %s in the body WHEN created THEN 400', async (attr, extra) => {
    const res = await invoke(fx.h.create, post({ id: uniqueId(), ...extra }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toContain(attr);
  });

  test.each([
    ['empty string', ''],
    ['number', 42],
    ['null', null],
    ['object', { a: 1 }],
    ['1025 characters', 'x'.repeat(1025)],
  ])('GIVEN an id that is a %s WHEN created THEN 400', async (_label, id) => {
    const res = await invoke(fx.h.create, post({ id }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.code).toBe('BadRequest');
  });

  test('GIVEN an id of exactly 1024 characters WHEN created THEN 201', async () => {
    const id = `${uniqueId()}-`.padEnd(1024, 'z');
    expect((await invoke(fx.h.create, post({ id }))).statusCode).toBe(201);
  });

  test('GIVEN a number DynamoDB cannot store WHEN created THEN 400 not 500', async () => {
    const res = await invoke(fx.h.create, post({ id: uniqueId(), n: 1e200 }));
    expect(res.statusCode).toBe(400);
  });

  test('GIVEN a non-zero number below 1e-130 WHEN created THEN 400 not 500', async () => {
    const res = await invoke(fx.h.create, post({ id: uniqueId(), n: 1e-200 }));
    expect(res.statusCode).toBe(400);
  });

  test('GIVEN nesting deeper than DynamoDB allows WHEN created THEN 400', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const res = await invoke(fx.h.create, post({ id: uniqueId(), deep }));
    expect(res.statusCode).toBe(400);
  });

  test('GIVEN a request without an API Gateway requestId WHEN handled THEN X-Request-Id falls back to the Lambda request id', async () => {
    const event = post({ id: uniqueId() });
    (event.requestContext as { requestId?: string }).requestId = undefined;
    const res = await fx.h.create(event, lambdaContext('lambda-req-1'));
    expect(res.statusCode).toBe(201);
    expect(res.headers?.['X-Request-Id']).toBe('lambda-req-1');
  });
});

describe('get (GET /items/{id})', () => {
  test('GIVEN an existing item WHEN fetched THEN 200 with the stored item', async () => {
    const created = await createItem({ name: 'get-me' });
    const res = await invoke(fx.h.get, getOne(created.id));
    expect(res.statusCode).toBe(200);
    expect(parseBody(res)).toEqual(created);
  });

  test('GIVEN an unknown id WHEN fetched THEN 404 NotFound', async () => {
    const res = await invoke(fx.h.get, getOne(uniqueId('missing')));
    expect(res.statusCode).toBe(404);
    expect(parseBody(res).error.code).toBe('NotFound');
  });

  test('GIVEN no id path parameter WHEN fetched THEN 400', async () => {
    const res = await invoke(fx.h.get, apiEvent({ method: 'GET', path: '/items/' }));
    expect(res.statusCode).toBe(400);
  });

  test('GIVEN an empty id path parameter WHEN fetched THEN 400', async () => {
    const res = await invoke(fx.h.get, getOne(''));
    expect(res.statusCode).toBe(400);
  });
});

describe('list (GET /items)', () => {
  test('GIVEN items exist WHEN listed without parameters THEN 200 with an items array', async () => {
    const created = await createItem({ name: 'listed' });
    const res = await invoke(fx.h.list, list());
    expect(res.statusCode).toBe(200);
    const body = parseBody(res);
    expect(Array.isArray(body.items)).toBe(true);
    expect(body.items.length).toBeLessThanOrEqual(25);
    // Page through to find the item (default page size 25).
    const seen: string[] = body.items.map((i: { id: string }) => i.id);
    let token: string | undefined = body.nextToken;
    while (token) {
      const page = parseBody(await invoke(fx.h.list, list({ nextToken: token })));
      seen.push(...page.items.map((i: { id: string }) => i.id));
      token = page.nextToken;
    }
    expect(seen).toContain(created.id);
  });

  test.each(['0', '-1', 'abc', '1.5', '101', '1000', '', ' 5', '1e1'])(
    'GIVEN limit=%p WHEN listed THEN 400 naming the allowed range',
    async (limit) => {
      const res = await invoke(fx.h.list, list({ limit }));
      expect(res.statusCode).toBe(400);
      expect(parseBody(res).error.message).toContain('between 1 and 100');
    },
  );

  test.each(['1', '100'])('GIVEN limit=%p WHEN listed THEN 200', async (limit) => {
    const res = await invoke(fx.h.list, list({ limit }));
    expect(res.statusCode).toBe(200);
    expect(parseBody(res).items.length).toBeLessThanOrEqual(Number(limit));
  });
});

describe('update (PUT /items/{id})', () => {
  test('GIVEN the current version WHEN replaced THEN 200 with version+1, createdAt preserved, old attributes gone', async () => {
    const created = await createItem({ name: 'before', obsolete: true });
    const res = await invoke(fx.h.update, put(created.id, { version: 1, name: 'after' }));
    expect(res.statusCode).toBe(200);
    const updated = parseBody(res);
    expect(updated).toMatchObject({ id: created.id, name: 'after', version: 2, createdAt: created.createdAt });
    expect(updated.obsolete).toBeUndefined();
    expect(updated.updatedAt >= created.updatedAt).toBe(true);
    expect(parseBody(await invoke(fx.h.get, getOne(created.id)))).toEqual(updated);
  });

  test('GIVEN the body repeats the path id and the read timestamps WHEN replaced THEN 200 and timestamps stay server-managed', async () => {
    const created = await createItem();
    const res = await invoke(
      fx.h.update,
      put(created.id, { ...created, createdAt: '1999-01-01T00:00:00.000Z', updatedAt: '1999-01-01T00:00:00.000Z' }),
    );
    expect(res.statusCode).toBe(200);
    expect(parseBody(res).createdAt).toBe(created.createdAt);
    expect(parseBody(res).updatedAt).not.toBe('1999-01-01T00:00:00.000Z');
  });

  test('GIVEN a stale version WHEN replaced THEN 409 with currentVersion', async () => {
    const created = await createItem();
    expect((await invoke(fx.h.update, put(created.id, { version: 1, v: 'a' }))).statusCode).toBe(200);
    const res = await invoke(fx.h.update, put(created.id, { version: 1, v: 'b' }));
    expect(res.statusCode).toBe(409);
    expect(parseBody(res).error).toMatchObject({ code: 'Conflict', currentVersion: 2 });
  });

  test('GIVEN an unknown id WHEN replaced THEN 404', async () => {
    const res = await invoke(fx.h.update, put(uniqueId('missing'), { version: 1 }));
    expect(res.statusCode).toBe(404);
  });

  test('GIVEN a body without version WHEN replaced THEN 400', async () => {
    const created = await createItem();
    const res = await invoke(fx.h.update, put(created.id, { name: 'x' }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toContain('version');
  });

  test('GIVEN a body id different from the path id WHEN replaced THEN 400', async () => {
    const created = await createItem();
    const res = await invoke(fx.h.update, put(created.id, { id: 'other', version: 1 }));
    expect(res.statusCode).toBe(400);
  });

  test('GIVEN a non-JSON content type WHEN replaced THEN 415', async () => {
    const created = await createItem();
    const res = await invoke(fx.h.update, put(created.id, { version: 1 }, { contentType: 'text/plain' }));
    expect(res.statusCode).toBe(415);
    expect(parseBody(res).error.code).toBe('UnsupportedMediaType');
  });

  test('GIVEN a body over MAX_BODY_BYTES WHEN replaced THEN 413', async () => {
    const created = await createItem();
    const res = await invoke(fx.h.update, put(created.id, { version: 1, big: 'x'.repeat(102400) }));
    expect(res.statusCode).toBe(413);
    expect(parseBody(res).error.code).toBe('PayloadTooLarge');
  });
});

describe('delete (DELETE /items/{id})', () => {
  test('GIVEN an existing item WHEN deleted THEN 204 with an empty body and it is gone', async () => {
    const created = await createItem();
    const res = await invoke(fx.h.remove, del(created.id));
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await invoke(fx.h.get, getOne(created.id))).statusCode).toBe(404);
  });

  test('GIVEN an unknown id WHEN deleted THEN 404', async () => {
    const res = await invoke(fx.h.remove, del(uniqueId('missing')));
    expect(res.statusCode).toBe(404);
  });

  test('GIVEN a deleted item WHEN deleted again THEN 404', async () => {
    const created = await createItem();
    expect((await invoke(fx.h.remove, del(created.id))).statusCode).toBe(204);
    expect((await invoke(fx.h.remove, del(created.id))).statusCode).toBe(404);
  });

  test('GIVEN a deleted item WHEN replaced THEN 404', async () => {
    const created = await createItem();
    await invoke(fx.h.remove, del(created.id));
    expect((await invoke(fx.h.update, put(created.id, { version: 1 }))).statusCode).toBe(404);
  });

  test('GIVEN no id path parameter WHEN deleted THEN 400', async () => {
    const res = await invoke(fx.h.remove, apiEvent({ method: 'DELETE', path: '/items/' }));
    expect(res.statusCode).toBe(400);
  });
});
