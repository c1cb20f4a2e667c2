import { useCrudHandlers } from './dynalite';
import { invoke, list, parseBody, post } from './events';

const fx = useCrudHandlers('pagination-items');

const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

describe('list pagination', () => {
  test('GIVEN 7 items WHEN paging with limit=3 THEN every item is seen exactly once and the last page has no nextToken', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `page-item-${i}`);
    for (const id of ids) {
      expect((await invoke(fx.h.create, post({ id, n: id }))).statusCode).toBe(201);
    }

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await invoke(fx.h.list, list(token ? { limit: '3', nextToken: token } : { limit: '3' }));
      expect(res.statusCode).toBe(200);
      const body = parseBody(res);
      expect(body.items.length).toBeLessThanOrEqual(3);
      pageSizes.push(body.items.length);
      seen.push(...body.items.map((i: { id: string }) => i.id));
      if ('nextToken' in body) {
        expect(typeof body.nextToken).toBe('string');
        expect(body.nextToken).toMatch(/^[A-Za-z0-9_-]+$/);
      }
      token = body.nextToken;
      pages += 1;
      expect(pages).toBeLessThanOrEqual(10);
    } while (token);

    expect([...seen].sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(7);
    expect(pageSizes).toEqual([3, 3, 1]);
  });

  test('GIVEN a nextToken from a previous page WHEN decoded by a client THEN it is opaque base64url of the last key', async () => {
    const body = parseBody(await invoke(fx.h.list, list({ limit: '1' })));
    expect(JSON.parse(Buffer.from(body.nextToken, 'base64url').toString('utf8'))).toEqual({ id: body.items[0].id });
  });

  test.each([
    ['garbage', '!!!not-a-token!!!'],
    ['random base64url', 'Zm9vYmFy'],
    ['valid base64url of a JSON number', b64url('42')],
    ['valid base64url of a JSON string', b64url('"id"')],
    ['valid base64url of JSON null', b64url('null')],
    ['valid base64url of a JSON array', b64url('["page-item-1"]')],
    ['an object with the wrong key', b64url('{"pk":"page-item-1"}')],
    ['an object with an extra key', b64url('{"id":"page-item-1","sk":"x"}')],
    ['an empty object', b64url('{}')],
    ['an object whose key value is not a string', b64url('{"id":{"S":"page-item-1"}}')],
    ['an object whose key value is empty', b64url('{"id":""}')],
    ['standard base64 with padding', Buffer.from('{"id":"a"}').toString('base64')],
    ['an empty string', ''],
  ])('GIVEN a nextToken that is %s WHEN listed THEN 400 invalid nextToken', async (_label, nextToken) => {
    const res = await invoke(fx.h.list, list({ nextToken }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toBe('invalid nextToken');
  });

  test('GIVEN a well-formed token for a key that does not exist WHEN listed THEN 200 (scan continues from there)', async () => {
    const res = await invoke(fx.h.list, list({ nextToken: b64url('{"id":"no-such-item"}') }));
    expect(res.statusCode).toBe(200);
  });
});
