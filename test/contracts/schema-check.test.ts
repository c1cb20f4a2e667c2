import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { RouteSchema, ServerlessApi } from '../../lib';
import { checkSchema, findCycle } from '../../lib/contracts/schema-check';
import { inlineHandler, testStack } from '../util';

function postWith(schema: unknown): void {
  const api = new ServerlessApi(testStack(), 'Api');
  api.addRoute({ method: 'POST', path: '/things', handler: inlineHandler(), requestSchema: RouteSchema.fromJson(JSON.stringify(schema)) });
}

/** Schemas API Gateway refuses (or that are not draft 4), the JSON pointer named, and the problem. */
const BAD_SCHEMAS: Array<[string, unknown, string, RegExp]> = [
  ['a boolean schema', { type: 'object', properties: { a: true } }, '/properties/a', /is the boolean schema true\b.*write \{\}/],
  ['a string as schema', { type: 'object', properties: { a: 'string' } }, '/properties/a', /is not a schema object/],
  ['discriminator', { type: 'object', discriminator: { propertyName: 'kind' } }, '/discriminator', /not supported by API Gateway models.*anyOf/],
  ['example', { type: 'string', example: 'x' }, '/example', /not supported.*put it in description/],
  ['readOnly', { type: 'object', properties: { id: { type: 'string', readOnly: true } } }, '/properties/id/readOnly', /not supported/],
  ['nullable', { type: 'object', properties: { a: { type: 'string', nullable: true } } }, '/properties/a/nullable', /write type: \['string', 'null'\]/],
  ['const', { type: 'object', properties: { a: { const: 1 } } }, '/properties/a/const', /write enum: \[value\]/],
  ['exclusiveMinimum', { type: 'number', exclusiveMinimum: 0 }, '/exclusiveMinimum', /use minimum/],
  ['numeric exclusiveMaximum', { type: 'number', exclusiveMaximum: 10 }, '/exclusiveMaximum', /is not a boolean \(draft 4\).*maximum: 10, exclusiveMaximum: true/],
  ['exclusiveMaximum without maximum', { type: 'number', exclusiveMaximum: true }, '/exclusiveMaximum', /is set without maximum/],
  ['if/then', { type: 'object', if: {}, then: {} }, '/if', /write anyOf of the cases/],
  ['$id', { $id: 'x', type: 'object' }, '/$id', /write id, or drop it/],
  ['an unknown keyword', { type: 'object', propertys: {} }, '/propertys', /is not a JSON Schema draft 4 keyword/],
  ['an unknown type', { type: 'object', properties: { a: { type: 'int' } } }, '/properties/a/type', /names the type "int"/],
  ['a repeated type', { type: ['string', 'string'] }, '/type', /repeats a type/],
  ['int32 on a number', { type: 'object', properties: { n: { type: 'number', format: 'int32' } } }, '/properties/n/format', /int32, which API Gateway does not support/],
  ['decimal format', { type: 'object', properties: { n: { type: 'number', format: 'decimal' } } }, '/properties/n/format', /decimal, which API Gateway does not support/],
  ['an empty required', { type: 'object', required: [] }, '/required', /non-empty array of distinct property names \(draft 4\)/],
  ['required outside closed properties', { type: 'object', properties: { a: {} }, required: ['b'], additionalProperties: false }, '/required', /requires 'b'.*no value can match/],
  ['an empty enum', { type: 'string', enum: [] }, '/enum', /non-empty array of distinct values/],
  ['a repeated enum value', { type: 'string', enum: ['a', 'a'] }, '/enum', /non-empty array of distinct values/],
  ['minLength above maxLength', { type: 'string', minLength: 5, maxLength: 2 }, '/minLength', /\(5\) is above maxLength \(2\)/],
  ['a negative maxItems', { type: 'array', maxItems: -1 }, '/maxItems', /is not an integer >= 0/],
  ['a fractional minLength', { type: 'string', minLength: 1.5 }, '/minLength', /is not an integer >= 0/],
  ['a zero multipleOf', { type: 'number', multipleOf: 0 }, '/multipleOf', /is not a number above 0/],
  ['a string maximum', { type: 'number', maximum: '10' }, '/maximum', /is not a number/],
  ['an invalid pattern', { type: 'string', pattern: '([a-z' }, '/pattern', /is not a valid regular expression/],
  ['an invalid patternProperties key', { type: 'object', patternProperties: { '(': {} } }, '/patternProperties/(', /is not a valid regular expression/],
  ['an empty anyOf', { anyOf: [] }, '/anyOf', /is not a non-empty array of schemas/],
  ['a bad schema inside items', { type: 'array', items: { type: 'string', minLength: 'one' } }, '/items/minLength', /is not an integer >= 0/],
  ['a bad schema inside allOf', { allOf: [{ type: 'object' }, { type: 'wat' }] }, '/allOf/1/type', /names the type "wat"/],
  ['a draft-07 $schema', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }, '/$schema', /API Gateway models are draft 4/],
  ['an external $ref', { type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } }, '/properties/a/$ref', /points outside the document/],
  ['a property name with a slash', { type: 'object', properties: { 'a/b': { type: 'str' } } }, '/properties/a~1b/type', /names the type "str"/],
  ['empty dependencies', { type: 'object', dependencies: { a: [] } }, '/dependencies/a', /non-empty array of distinct property names/],
  ['uniqueItems as a string', { type: 'array', uniqueItems: 'yes' }, '/uniqueItems', /is not a boolean/],
];

describe('synth-time check of the JSON Schema draft-4 subset API Gateway accepts', () => {
  test('the table holds at least 20 bad schemas', () => {
    expect(BAD_SCHEMAS.length).toBeGreaterThanOrEqual(20);
  });

  test.each(BAD_SCHEMAS)('fails on %s, naming the route, the JSON pointer and the fix', (_name, schema, pointer, problem) => {
    const escaped = pointer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(() => postWith(schema)).toThrow(new RegExp(`^TestStack/Api: route 'POST /things' requestSchema at '${escaped}' `));
    expect(() => postWith(schema)).toThrow(problem);
  });

  test('accepts a full draft-4 schema with every supported keyword', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-04/schema#', id: 'thing', title: 'Thing', description: 'd', type: 'object',
      required: ['name'], additionalProperties: false, minProperties: 1, maxProperties: 10,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 50, pattern: '^[a-z]+$', format: 'email', default: 'a' },
        count: { type: 'integer', minimum: 0, maximum: 10, exclusiveMaximum: true, multipleOf: 1 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 0, maxItems: 5, uniqueItems: true, additionalItems: false },
        kind: { enum: ['a', 'b'] },
        either: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        one: { oneOf: [{ type: 'string' }, { type: 'number' }] },
        both: { allOf: [{ type: 'object' }], not: { type: 'array' } },
        local: { $ref: '#/definitions/Local' },
      },
      patternProperties: { '^x-': { type: 'string' } },
      dependencies: { count: ['name'], tags: { required: ['kind'] } },
      definitions: { Local: { type: ['string', 'null'] } },
    };
    expect(checkSchema(schema, {})).toEqual([]);
    expect(() => postWith(schema)).not.toThrow();
  });

  test('lists the further problems after the first one', () => {
    expect(() => postWith({ type: 'object', example: 1, readOnly: true, const: 2 }))
      .toThrow(/at '\/example' is not supported by API Gateway models \(JSON Schema draft 4\) \(and 2 more: \/readOnly, \/const\)/);
  });

  test('fails on a response schema that is neither an object nor an array', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    expect(() => api.addRoute({
      method: 'GET', path: '/count', handler: inlineHandler(),
      responseSchemas: { 200: RouteSchema.fromObject({ type: apigateway.JsonSchemaType.INTEGER }) },
    })).toThrow(/route 'GET \/count' responseSchemas\['200'\] at '\/' is of type "integer", but API Gateway requires method response schemas to be objects or arrays\. Wrap the value in an object/);
  });

  test('fails at synth on a reference to an undeclared schema, naming it and the declared ones', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { schemas: { Item: RouteSchema.fromJson('{"type":"object"}') } });
    api.addRoute({ method: 'POST', path: '/things', handler: inlineHandler(), requestSchema: RouteSchema.ref('Thing') });
    expect(() => Template.fromStack(stack)).toThrow(
      /TestStack\/Api: route 'POST \/things' requestSchema references the schema 'Thing', which the API does not declare\. Declare it .*declared: Item\./);
  });

  test('fails at synth on named schemas that reference each other in a cycle', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', {
      schemas: {
        A: RouteSchema.fromJson('{"type":"object","properties":{"b":{"$ref":"#/components/schemas/B"}}}'),
        B: RouteSchema.fromJson('{"type":"object","properties":{"a":{"$ref":"#/components/schemas/A"}}}'),
      },
    });
    api.addRoute({ method: 'POST', path: '/things', handler: inlineHandler(), requestSchema: RouteSchema.ref('A') });
    expect(() => Template.fromStack(stack)).toThrow(/schemas reference each other in a cycle \(A -> B -> A\)\. API Gateway cannot import circular models/);
  });

  test('findCycle is undefined for an acyclic graph', () => {
    expect(findCycle(new Map<string, unknown>([['A', { $ref: '#/components/schemas/B' }], ['B', { type: 'object' }]]))).toBeUndefined();
  });

  test('fails on a schema name API Gateway refuses', () => {
    expect(() => new ServerlessApi(testStack(), 'Api', { schemas: { 'my-item': RouteSchema.fromJson('{}') } }))
      .toThrow(/TestStack\/Api: schemas\['my-item'\] is not a valid schema name \(received 'my-item'\)\. API Gateway model names are 1-128 letters and digits/);
  });

  test('fails on a file that does not exist or is not JSON, naming the file', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    expect(() => api.addRoute({ method: 'POST', path: '/a', handler: inlineHandler(), requestSchema: RouteSchema.fromFile('/nonexistent/thing.json') }))
      .toThrow(/route 'POST \/a' requestSchema cannot be read as JSON \(ENOENT.*\(received 'the file \/nonexistent\/thing\.json'\)/);
  });

  test('fails on a request schema on a GET route', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    expect(() => api.addRoute({ method: 'GET', path: '/a', handler: inlineHandler(), requestSchema: RouteSchema.fromJson('{"type":"object"}') }))
      .toThrow(/route 'GET \/a' requestSchema is set on a GET route, whose requests carry no body/);
  });

  test('fails on a response keyed by something else than a status code', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    expect(() => api.addRoute({ method: 'GET', path: '/a', handler: inlineHandler(), responseSchemas: { ok: RouteSchema.fromJson('{"type":"object"}') } }))
      .toThrow(/route 'GET \/a' responseSchemas is not an HTTP status code \(received 'ok'\)/);
  });

  test('fails on the same schema name declared twice with different schemas', () => {
    const api = new ServerlessApi(testStack(), 'Api', { schemas: { Item: RouteSchema.fromJson('{"type":"object"}') } });
    expect(() => api.addSchema('Item', RouteSchema.fromJson('{"type":"array"}'))).toThrow(/schemas\['Item'\] is already declared with another schema/);
  });
});
