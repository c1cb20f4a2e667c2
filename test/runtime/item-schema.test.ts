import { compileItemSchema, toDraft7 } from '../../lib/runtime/item-schema';
import { useCrudHandlers } from './dynalite';
import { getOne, invoke, parseBody, post, put } from './events';

const SCHEMA = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 1024 },
    name: { type: 'string', minLength: 1 },
    price: { type: 'number', minimum: 0, maximum: 100, exclusiveMaximum: true },
  },
};

const fx = useCrudHandlers('item-schema', { ITEM_SCHEMA: JSON.stringify(SCHEMA) });

afterAll(() => {
  delete process.env.ITEM_SCHEMA;
});

let seq = 0;
const uniqueId = () => `schema-${Date.now()}-${++seq}`;

describe('the CRUD handlers enforce the item schema', () => {
  test('GIVEN a body matching the schema WHEN created THEN 201', async () => {
    const res = await invoke(fx.h.create, post({ id: uniqueId(), name: 'pen', price: 1.5 }));
    expect(res.statusCode).toBe(201);
  });

  test('GIVEN a body missing a required attribute WHEN created THEN 400 naming it, and nothing stored', async () => {
    const id = uniqueId();
    const res = await invoke(fx.h.create, post({ id, price: 1 }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error).toMatchObject({ code: 'BadRequest', message: 'Item does not match the schema: (the item) must have required property \'name\'' });
  });

  test('GIVEN an attribute the closed schema does not declare WHEN created THEN 400', async () => {
    const res = await invoke(fx.h.create, post({ id: uniqueId(), name: 'pen', colour: 'red' }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toBe('Item does not match the schema: (the item) must NOT have additional properties');
  });

  test('GIVEN the draft-4 exclusive maximum WHEN a body equals it THEN 400', async () => {
    const res = await invoke(fx.h.create, post({ id: uniqueId(), name: 'pen', price: 100 }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toBe('Item does not match the schema: /price must be < 100');
  });

  test('GIVEN an update with the version and the timestamps read back WHEN it matches otherwise THEN 200', async () => {
    const created = parseBody(await invoke(fx.h.create, post({ id: uniqueId(), name: 'pen' })));
    const res = await invoke(fx.h.update, put(created.id, { ...created, name: 'pencil' }));
    expect(res.statusCode).toBe(200);
    expect(parseBody(res)).toMatchObject({ name: 'pencil', version: 2 });
  });

  test('GIVEN an update breaking the schema WHEN sent THEN 400 and the item is unchanged', async () => {
    const created = parseBody(await invoke(fx.h.create, post({ id: uniqueId(), name: 'pen' })));
    const res = await invoke(fx.h.update, put(created.id, { version: created.version, name: '' }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toBe('Item does not match the schema: /name must NOT have fewer than 1 characters');
    expect(parseBody(await invoke(fx.h.get, getOne(created.id))).name).toBe('pen');
  });
});

describe('compileItemSchema', () => {
  test('no schema: no validator', () => {
    expect(compileItemSchema(undefined)).toBeUndefined();
    expect(compileItemSchema(' ')).toBeUndefined();
  });

  test('draft 4 boolean exclusiveMaximum becomes the draft-7 number, $schema and id are dropped', () => {
    expect(toDraft7({ $schema: 'http://json-schema.org/draft-04/schema#', id: 'x', type: 'number', maximum: 5, exclusiveMaximum: true }))
      .toEqual({ type: 'number', exclusiveMaximum: 5 });
    expect(toDraft7({ type: 'number', maximum: 5, exclusiveMaximum: false })).toEqual({ type: 'number', maximum: 5 });
  });

  test('a property named like a keyword inside properties is kept', () => {
    expect(toDraft7({ type: 'object', properties: { id: { type: 'string' } } })).toEqual({ type: 'object', properties: { id: { type: 'string' } } });
  });
});
