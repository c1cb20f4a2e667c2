import { scanTable, useCrudHandlers } from './dynalite';
import { getOne, invoke, parseBody, post, put } from './events';

const fx = useCrudHandlers('prototype-items');

/** A JSON body (as text: an object literal would not keep `__proto__` as an own key) with `key` at `depth`. */
function bodyWithKey(key: string, depth: number, extra: string): string {
  let inner = `{"${key}":{"polluted":true},"keep":1}`;
  for (let d = 1; d < depth; d++) {
    inner = d % 2 === 0 ? `[${inner}]` : `{"n${d}":${inner}}`;
  }
  return depth === 1 ? `{${extra},"${key}":{"polluted":true},"keep":1}` : `{${extra},"nested":${inner}}`;
}

const KEYS = ['__proto__', 'constructor', 'prototype'];
const DEPTHS = [1, 2, 3, 6];
const cases = KEYS.flatMap((key) => DEPTHS.map((depth) => ({ key, depth })));

describe('prototype keys are refused at every depth, on create and update', () => {
  test.each(cases)('GIVEN "$key" at depth $depth WHEN created THEN 400 naming it and nothing is stored', async ({ key, depth }) => {
    const id = `proto-create-${key}-${depth}`;
    const res = await invoke(fx.h.create, post(bodyWithKey(key, depth, `"id":"${id}"`)));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error).toMatchObject({ code: 'BadRequest', message: expect.stringContaining(`Attribute name "${key}" is not allowed`) });
    expect((await scanTable(fx.db.tableName)).map((i) => i.id)).not.toContain(id);
  });

  test.each(cases)('GIVEN "$key" at depth $depth WHEN replaced THEN 400 and the stored item is unchanged', async ({ key, depth }) => {
    const id = `proto-update-${key}-${depth}`;
    expect((await invoke(fx.h.create, post({ id, name: 'original' }))).statusCode).toBe(201);
    const res = await invoke(fx.h.update, put(id, bodyWithKey(key, depth, '"version":1')));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toContain(`Attribute name "${key}" is not allowed`);
    const stored = parseBody(await invoke(fx.h.get, getOne(id)));
    expect(stored).toMatchObject({ id, name: 'original', version: 1 });
    expect(Object.keys(stored).sort()).toEqual(['createdAt', 'id', 'name', 'updatedAt', 'version']);
  });

  test('GIVEN keys that merely contain the words WHEN created THEN they are stored faithfully', async () => {
    const body = { id: 'proto-lookalikes', __proto: 1, proto__: 2, Constructor: 3, prototypes: { constructors: 4 }, ' __proto__': 5 };
    expect((await invoke(fx.h.create, post(body))).statusCode).toBe(201);
    expect(parseBody(await invoke(fx.h.get, getOne('proto-lookalikes')))).toMatchObject(body);
  });

  test('GIVEN no prototype was polluted by any request THEN plain objects have no "polluted" property', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });
});
