import { scanTable, useCrudHandlers } from './dynalite';
import { invoke, parseBody, post, put } from './events';
import * as shape from '../../lib/runtime/json-shape';

const SIX_MB = 6 * 1024 * 1024;
const MAX_ATTRIBUTES = 1000;
const MAX_DEPTH = 6;
const fx = useCrudHandlers('limits-items', {
  MAX_BODY_BYTES: String(SIX_MB),
  MAX_BODY_ATTRIBUTES: String(MAX_ATTRIBUTES),
  MAX_BODY_DEPTH: String(MAX_DEPTH),
}, { spyable: [require.resolve('../../lib/runtime/json-shape')] });

/** `{"a0":0,"a1":1,...}` just under `bytes` long: the many-small-attributes body of the issue. */
function manySmallAttributes(bytes: number): { text: string; count: number; offsets: number[] } {
  const parts: string[] = [];
  const offsets: number[] = [];
  let size = 2;
  for (let i = 0; ; i++) {
    const part = `"a${i}":${i % 10}`;
    if (size + part.length + 1 > bytes) {
      break;
    }
    offsets.push(size);
    parts.push(part);
    size += part.length + 1;
  }
  return { text: `{${parts.join(',')}}`, count: parts.length, offsets };
}

describe('measureJsonShape', () => {
  test.each([
    ['{}', 0, 1],
    ['{"a":1}', 1, 1],
    ['{"a":[1,2,{"b":null}],"c":"x"}', 6, 3],
    ['[]', 0, 1],
    ['[[],[[]],{}]', 4, 3],
    ['{"s":"{[,:]}\\\\\\"","t":"\\\\"}', 2, 1],
    ['  { "a" : [ "x" , "y" ] }  ', 3, 2],
  ])('GIVEN %s THEN it counts %i values and depth %i, as JSON.parse sees them', (text, values, depth) => {
    expect(shape.measureJsonShape(text, { maxDepth: 32, maxValues: 100 })).toMatchObject({ values, depth, scanned: text.length });
  });

  test('GIVEN 6 MB of small attributes and a limit of 1000 THEN it stops at the 1001st, having read only the text before it', () => {
    const body = manySmallAttributes(SIX_MB);
    expect(body.count).toBeGreaterThan(500_000);
    let error: shape.JsonShapeLimitError | undefined;
    try {
      shape.measureJsonShape(body.text, { maxDepth: 32, maxValues: MAX_ATTRIBUTES });
    } catch (e) {
      error = e as shape.JsonShapeLimitError;
    }
    expect(error).toBeInstanceOf(shape.JsonShapeLimitError);
    expect(error?.limit).toBe('values');
    // The 1001st attribute's colon: ~10 KB of 6 MB examined.
    expect(error!.scanned).toBeLessThan(body.offsets[MAX_ATTRIBUTES + 1]);
    expect(error!.scanned).toBeLessThan(body.text.length / 500);
  });

  test('GIVEN 100,000 nested arrays and a depth limit of 6 THEN it stops at the 7th bracket', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => shape.measureJsonShape(text, { maxDepth: 6, maxValues: 1e6 })).toThrow(expect.objectContaining({ limit: 'depth', scanned: 6 }));
  });
});

describe('number literals are stored as sent or refused', () => {
  test.each(['0', '-0', '1', '-1', '0.1', '1.5e3', '1E-7', '123456789012', '0.30000000000000004', '9007199254740991', '1e21', '5e-324', '100.000'])(
    'GIVEN %s THEN it is exact', (literal) => {
      expect(shape.isExactNumber(literal)).toBe(true);
    });

  test.each(['1e-400', '1e400', '9007199254740993', '0.1234567890123456789', '3.14159265358979323846', `1${'0'.repeat(400)}`])(
    'GIVEN %s THEN JSON.parse would change it, so it is not exact', (literal) => {
      expect(shape.isExactNumber(literal)).toBe(false);
    });

  test.each([
    ['an underflow to 0', '{"id":"num-1","n":1e-400}'],
    ['more digits than a double holds', '{"id":"num-2","pi":3.14159265358979323846}'],
    ['a nested unsafe integer', '{"id":"num-3","a":[{"b":9007199254740993}]}'],
  ])('GIVEN %s WHEN created THEN 400 and nothing is stored', async (_label, text) => {
    const before = (await scanTable(fx.db.tableName)).length;
    const res = await invoke(fx.h.create, post(text));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toMatch(/^Request body holds a number .* cannot be represented exactly/);
    expect((await scanTable(fx.db.tableName)).length).toBe(before);
  });

  test('GIVEN a string that looks like a long number WHEN created THEN it is stored as the string', async () => {
    const res = await invoke(fx.h.create, post('{"id":"num-4","s":"3.14159265358979323846"}'));
    expect(res.statusCode).toBe(201);
    expect(parseBody(res).s).toBe('3.14159265358979323846');
  });
});

describe('the handlers bound the work spent on a body before validating it', () => {
  afterEach(() => jest.restoreAllMocks());

  test('GIVEN a 6 MB body of ~550,000 small attributes WHEN created THEN 400 after scanning ~10 KB: never parsed, never sent to DynamoDB', async () => {
    const body = manySmallAttributes(SIX_MB - 100);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the copy the handlers call (see useCrudHandlers)
    const handlersShape = require('../../lib/runtime/json-shape') as typeof shape;
    const measure = jest.spyOn(handlersShape, 'measureJsonShape');
    const parse = jest.spyOn(JSON, 'parse');
    const before = (await scanTable(fx.db.tableName)).length;

    const res = await invoke(fx.h.create, post(body.text));

    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toBe(
      `Request body exceeds the maximum of ${MAX_ATTRIBUTES} attributes (object members and array elements, at any depth)`);
    expect(measure).toHaveBeenCalledTimes(1);
    const outcome = measure.mock.results[0];
    expect(outcome.type).toBe('throw');
    expect((outcome.value as shape.JsonShapeLimitError).scanned).toBeLessThan(body.offsets[MAX_ATTRIBUTES + 1]);
    expect(parse.mock.calls.filter(([text]) => typeof text === 'string' && text.length > 1024 * 1024)).toEqual([]);
    expect((await scanTable(fx.db.tableName)).length).toBe(before);
  });

  test('GIVEN a PUT with too many attributes WHEN replaced THEN 400 with the same message', async () => {
    const many = Object.fromEntries(Array.from({ length: MAX_ATTRIBUTES + 1 }, (_, i) => [`k${i}`, i]));
    const res = await invoke(fx.h.update, put('anything', { version: 1, ...many }));
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).error.message).toContain(`maximum of ${MAX_ATTRIBUTES} attributes`);
  });

  test('GIVEN exactly the attribute limit WHEN created THEN 201 (the limit is inclusive)', async () => {
    // id + 999 attributes = 1000 values.
    const attrs = Object.fromEntries(Array.from({ length: MAX_ATTRIBUTES - 1 }, (_, i) => [`k${i}`, i]));
    const res = await invoke(fx.h.create, post({ id: 'at-the-limit', ...attrs }));
    expect(res.statusCode).toBe(201);
  });

  test.each([
    ['an object', (d: string) => `{"x":${d}}`],
    ['an array', (d: string) => `[${d}]`],
  ])('GIVEN nesting one level deeper than MAX_BODY_DEPTH through %s WHEN created THEN 400 before parsing', async (_label, wrap) => {
    let deep = '1';
    for (let i = 1; i < MAX_DEPTH; i++) deep = wrap(deep); // the body object adds the last level
    const tooDeep = `{"id":"too-deep","v":${wrap(deep)}}`;
    const justRight = `{"id":"deep-enough-${_label.length}","v":${deep}}`;
    expect((await invoke(fx.h.create, post(tooDeep))).statusCode).toBe(400);
    expect(parseBody(await invoke(fx.h.create, post(tooDeep))).error.message).toBe(`Request body nesting exceeds the maximum depth of ${MAX_DEPTH}`);
    expect((await invoke(fx.h.create, post(justRight))).statusCode).toBe(201);
  });
});
