/**
 * The contracts end to end: an API declaring its schemas, synthesized, served by the library's local
 * server (which reads only the cloud assembly, as API Gateway reads the body): requests failing the
 * declared schema or parameters get 400 in the library's error shape before any function runs.
 */
import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { RouteAuthorization, RouteSchema, ServerlessApi } from '../../lib';
import { LocalApi } from '../../lib/local';
import { inline, jsonOf, startLocal, stopLocal, synthesizeStage } from '../local/fixture';

const ECHO = 'exports.handler = async (event) => ({ statusCode: 201, headers: { "content-type": "application/json" }, body: event.body || "{}" });';
const { OBJECT, STRING, INTEGER } = apigateway.JsonSchemaType;

function buildApi(stack: Stack): void {
  const api = new ServerlessApi(stack, 'Api', {
    apiName: 'contracts',
    stageName: 'dev',
    schemas: {
      NewThing: RouteSchema.fromObject({ type: OBJECT, required: ['name'], additionalProperties: false, properties: { name: { type: STRING, minLength: 1 }, qty: { type: INTEGER, minimum: 1 } } }),
    },
  });
  api.addRoute({ method: 'POST', path: '/things', handler: inline(ECHO), authorization: RouteAuthorization.none(), requestSchema: RouteSchema.ref('NewThing') });
  api.addRoute({ method: 'GET', path: '/search', handler: inline(ECHO), authorization: RouteAuthorization.none(), queryParameters: { q: true, page: false } });
  api.addCrudResource('products', {
    itemSchema: RouteSchema.fromObject({ type: OBJECT, required: ['name'], properties: { name: { type: STRING, minLength: 1 }, stock: { type: INTEGER, minimum: 0 } } }),
    readAuthorization: RouteAuthorization.none(),
    writeAuthorization: RouteAuthorization.none(),
  });
}

let local: LocalApi;
let url: string;

beforeAll(async () => {
  local = await startLocal(synthesizeStage(buildApi));
  url = local.urlOf('contracts');
});
afterAll(async () => {
  await stopLocal(local);
});

const post = (body: string) => fetch(`${url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('requests against the declared contract', () => {
  test('GIVEN a body matching the schema THEN the function answers', async () => {
    const res = await jsonOf(await post('{"name":"lamp","qty":2}'));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'lamp', qty: 2 });
  });

  test.each([
    ['a missing required property', '{"qty":2}'],
    ['a property the closed schema does not declare', '{"name":"lamp","colour":"red"}'],
    ['a number below its minimum', '{"name":"lamp","qty":0}'],
    ['an empty string', '{"name":""}'],
    ['an array instead of an object', '[]'],
  ])('GIVEN %s THEN 400 BAD_REQUEST_BODY in the library\'s error shape, with the validator\'s message', async (_label, body) => {
    const res = await jsonOf(await post(body));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'BAD_REQUEST_BODY', message: expect.any(String), requestId: expect.any(String) } });
    expect(res.body.error.message).toMatch(/^\[.+\]$/);
  });

  test('GIVEN a missing property THEN the message names it, quotes and all', async () => {
    const res = await jsonOf(await post('{"qty":2}'));
    expect(res.body.error.message).toBe('[object has missing required properties (["name"])]');
  });

  test('GIVEN a required query parameter left out THEN 400 BAD_REQUEST_PARAMETERS naming it; an optional one may be', async () => {
    const missing = await jsonOf(await fetch(`${url}/search?page=2`));
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'BAD_REQUEST_PARAMETERS' });
    expect(missing.body.error.message).toBe('Missing required request parameters: [q]');
    expect((await fetch(`${url}/search?q=lamp`)).status).toBe(201);
  });
});

describe('a CRUD resource with an item schema, served by the library\'s handlers', () => {
  const send = (method: string, path: string, body: unknown) => fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('GIVEN an item matching the schema THEN it is created, version 1', async () => {
    const res = await jsonOf(await send('POST', '/products', { id: 'p1', name: 'lamp', stock: 3 }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'p1', name: 'lamp', stock: 3, version: 1 });
  });

  test('GIVEN an item breaking the schema THEN API Gateway refuses it before the function', async () => {
    const res = await jsonOf(await send('POST', '/products', { id: 'p2', stock: -1 }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST_BODY');
  });

  test('GIVEN an update without the version read THEN API Gateway refuses it (ProductUpdateRequest requires it)', async () => {
    const res = await jsonOf(await send('PUT', '/products/p1', { name: 'desk lamp' }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST_BODY', message: '[object has missing required properties (["version"])]' });
  });
});
