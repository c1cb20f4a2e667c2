import type { APIGatewayProxyResult } from 'aws-lambda';
import { scanTable, useCrudHandlers } from './dynalite';
import { del, getOne, invoke, list, parseBody, post, put } from './events';

const fx = useCrudHandlers('versions-items');

async function listAll(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let token: string | undefined;
  do {
    const body = parseBody(await invoke(fx.h.list, list(token ? { limit: '100', nextToken: token } : { limit: '100' })));
    items.push(...body.items);
    token = body.nextToken;
  } while (token);
  return items;
}

async function stored(id: string): Promise<Record<string, unknown> | undefined> {
  return (await scanTable(fx.db.tableName)).find((i) => i.id === id);
}

describe('versions never repeat for an id', () => {
  test('GIVEN create → read → delete → create WHEN the stale reader PUTs its version THEN 409 and the new item is untouched', async () => {
    const id = 'reborn';
    expect((await invoke(fx.h.create, post({ id, owner: 'alice' }))).statusCode).toBe(201);
    const staleRead = parseBody(await invoke(fx.h.get, getOne(id)));
    expect(staleRead.version).toBe(1);
    expect((await invoke(fx.h.remove, del(id))).statusCode).toBe(204);
    const recreated = await invoke(fx.h.create, post({ id, owner: 'bob' }));
    expect(recreated.statusCode).toBe(201);
    expect(parseBody(recreated).version).toBeGreaterThan(1);

    const res = await invoke(fx.h.update, put(id, { ...staleRead, owner: 'mallory' }));
    expect(res.statusCode).toBe(409);
    expect(parseBody(res).error).toMatchObject({ code: 'Conflict', currentVersion: parseBody(recreated).version });
    expect(parseBody(await invoke(fx.h.get, getOne(id)))).toEqual(parseBody(recreated));
  });

  test('GIVEN an item updated twice, deleted and re-created THEN the versions are 1, 2, 3, (tombstone 4), 5', async () => {
    const id = 'sequence';
    const seen: number[] = [];
    seen.push(parseBody(await invoke(fx.h.create, post({ id }))).version);
    seen.push(parseBody(await invoke(fx.h.update, put(id, { version: 1 }))).version);
    seen.push(parseBody(await invoke(fx.h.update, put(id, { version: 2 }))).version);
    expect((await invoke(fx.h.remove, del(id))).statusCode).toBe(204);
    expect((await stored(id))?.version).toBe(4);
    seen.push(parseBody(await invoke(fx.h.create, post({ id }))).version);
    expect(seen).toEqual([1, 2, 3, 5]);
  });

  test('GIVEN a deleted item THEN the table holds a tombstone with no user data, and get, list, PUT and DELETE treat it as absent', async () => {
    const id = 'tombstoned';
    expect((await invoke(fx.h.create, post({ id, secret: 'user data', nested: { a: 1 } }))).statusCode).toBe(201);
    expect((await invoke(fx.h.remove, del(id))).statusCode).toBe(204);

    const tombstone = await stored(id);
    expect(Object.keys(tombstone ?? {}).sort()).toEqual(['deletedAt', 'id', 'version']);
    expect(tombstone).toMatchObject({ id, version: 2 });

    expect((await invoke(fx.h.get, getOne(id))).statusCode).toBe(404);
    expect((await listAll()).map((i) => i.id)).not.toContain(id);
    expect((await listAll()).some((i) => 'deletedAt' in i)).toBe(false);
    expect((await invoke(fx.h.update, put(id, { version: 2 }))).statusCode).toBe(404);
    expect((await invoke(fx.h.remove, del(id))).statusCode).toBe(404);
    expect((await stored(id))?.version).toBe(2); // the second DELETE wrote nothing
  });

  test('GIVEN only tombstones on the first scan pages WHEN listed with limit=2 THEN live items still come back and no page shows a tombstone', async () => {
    for (let i = 0; i < 6; i++) {
      expect((await invoke(fx.h.create, post({ id: `thin-${i}` }))).statusCode).toBe(201);
      expect((await invoke(fx.h.remove, del(`thin-${i}`))).statusCode).toBe(204);
    }
    expect((await invoke(fx.h.create, post({ id: 'thin-live' }))).statusCode).toBe(201);
    const ids: unknown[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body = parseBody(await invoke(fx.h.list, list(token ? { limit: '2', nextToken: token } : { limit: '2' })));
      expect(body.items.length).toBeLessThanOrEqual(2);
      expect(body.items.every((i: Record<string, unknown>) => !('deletedAt' in i))).toBe(true);
      ids.push(...body.items.map((i: Record<string, unknown>) => i.id));
      token = body.nextToken;
      pages += 1;
      expect(pages).toBeLessThan(50);
    } while (token);
    expect(ids).toContain('thin-live');
    expect(ids.filter((i) => String(i).startsWith('thin-') && i !== 'thin-live')).toEqual([]);
  });

  test.each(['version', 'deletedAt'])('GIVEN "%s" in a create body WHEN created THEN 400 (server-managed)', async (attr) => {
    const res = await invoke(fx.h.create, post({ id: `managed-${attr}`, [attr]: 9 }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toContain(`"${attr}"`);
  });

  test('GIVEN "deletedAt" in a PUT body WHEN replaced THEN 400 and the item stays live', async () => {
    expect((await invoke(fx.h.create, post({ id: 'put-deleted-at' }))).statusCode).toBe(201);
    const res = await invoke(fx.h.update, put('put-deleted-at', { version: 1, deletedAt: '2020-01-01T00:00:00Z' }));
    expect(res.statusCode).toBe(400);
    expect((await invoke(fx.h.get, getOne('put-deleted-at'))).statusCode).toBe(200);
  });

  test('GIVEN concurrent updates, deletes and re-creates of one id THEN no two successful responses carry the same version, and none is 5xx', async () => {
    const id = 'contended';
    expect((await invoke(fx.h.create, post({ id }))).statusCode).toBe(201);
    const versions: number[] = [1];
    const record = (res: APIGatewayProxyResult): void => {
      expect(res.statusCode).toBeLessThan(500);
      if (res.statusCode === 200 || res.statusCode === 201) {
        versions.push(parseBody(res).version);
      }
    };
    for (let round = 0; round < 4; round++) {
      const current = await invoke(fx.h.get, getOne(id));
      const v = current.statusCode === 200 ? parseBody(current).version : 1;
      const results = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => invoke(fx.h.update, put(id, { version: v, w: i }))),
        invoke(fx.h.remove, del(id)),
        invoke(fx.h.create, post({ id, round })),
        invoke(fx.h.create, post({ id, round, twin: true })),
      ]);
      results.forEach(record);
      for (const r of results) {
        expect([200, 201, 204, 404, 409]).toContain(r.statusCode);
      }
    }
    expect(new Set(versions).size).toBe(versions.length);
    const last = await stored(id);
    expect(Number(last?.version)).toBeGreaterThanOrEqual(Math.max(...versions));
  });
});
