/**
 * The Lambda proxy integration: the event API Gateway sends (REST, payload 1.0), routing precedence,
 * warm instances, concurrency, and the proxy result turned into HTTP.
 */
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { LocalApi } from '../../lib/local';
import { inline, jsonOf, startLocal, stopLocal, synthesizeStage } from './fixture';

const ECHO = 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });';
const tagged = (tag: string) => inline(`exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ tag: ${JSON.stringify(tag)}, params: e.pathParameters }) });`);

let local: LocalApi;
let url: string;

beforeAll(async () => {
  const assembly = synthesizeStage(stack => {
    const api = new ServerlessApi(stack, 'Api', { apiName: 'proxy', stageName: 'dev' });
    const none = RouteAuthorization.none();
    api.addRoute({ method: 'ANY', path: '/echo/{id}', handler: inline(ECHO), authorization: none });
    api.addRoute({ method: 'POST', path: '/upload', handler: inline(ECHO), authorization: none });
    api.addRoute({ method: 'GET', path: '/pets/dogs', handler: tagged('literal'), authorization: none });
    api.addRoute({ method: 'GET', path: '/pets/{petId}', handler: tagged('parameter'), authorization: none });
    api.addRoute({ method: 'GET', path: '/pets/{petId}/toys', handler: tagged('toys'), authorization: none });
    api.addRoute({ method: 'ANY', path: '/files/{proxy+}', handler: tagged('greedy-any'), authorization: none });
    api.addRoute({ method: 'GET', path: '/files/{proxy+}', handler: tagged('greedy-get'), authorization: none });
    api.addRoute({
      method: 'GET', path: '/counter', authorization: none,
      handler: inline('let inits = 0; inits++; let calls = 0; exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ inits, calls: ++calls }) });'),
    });
    api.addRoute({
      method: 'GET', path: '/sleepy', authorization: none,
      handler: inline('exports.handler = async () => { await new Promise(r => setTimeout(r, 400)); return { statusCode: 200, body: "{}" }; };'),
    });
    api.addRoute({
      method: 'GET', path: '/env', authorization: none,
      handler: inline('exports.handler = async () => { const seen = process.env.LEAK; process.env.LEAK = "set by env"; return { statusCode: 200, body: JSON.stringify({ seen: seen ?? null, table: process.env.TABLE_NAME, fn: process.env.AWS_LAMBDA_FUNCTION_NAME, dynamo: process.env.AWS_ENDPOINT_URL_DYNAMODB, region: process.env.AWS_REGION }) }; };', { environment: { TABLE_NAME: 'from-template' } }),
    });
    api.addRoute({
      method: 'GET', path: '/other-env', authorization: none,
      handler: inline('exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ seen: process.env.LEAK ?? null }) });'),
    });
    api.addRoute({
      method: 'GET', path: '/headers', authorization: none,
      handler: inline('exports.handler = async () => ({ statusCode: 201, headers: { "x-one": "1" }, multiValueHeaders: { "set-cookie": ["a=1", "b=2"] }, body: Buffer.from("binary!").toString("base64"), isBase64Encoded: true });'),
    });
    api.addRoute({
      method: 'GET', path: '/callback', authorization: none,
      handler: inline('exports.handler = (event, context, callback) => { callback(null, { statusCode: 200, body: JSON.stringify({ remaining: context.getRemainingTimeInMillis() > 0, name: context.functionName }) }); };'),
    });
    (api.restApi.node.defaultChild as apigateway.CfnRestApi).addPropertyOverride('BinaryMediaTypes', ['image/png']);
  });
  local = await startLocal(assembly, { concurrency: 2 });
  url = local.urlOf('proxy');
});
afterAll(async () => {
  await stopLocal(local);
});

describe('the proxy event', () => {
  // AWS, "Input format of a Lambda function for proxy integration" (REST API): the event's fields.
  test('has exactly the fields of API Gateway\'s REST proxy event', async () => {
    const { body: event } = await jsonOf(await fetch(`${url}/echo/42?a=1&a=2&b=x%20y`, { headers: { 'X-Custom': 'v' } }));
    expect(Object.keys(event).sort()).toEqual([
      'body', 'headers', 'httpMethod', 'isBase64Encoded', 'multiValueHeaders', 'multiValueQueryStringParameters', 'path',
      'pathParameters', 'queryStringParameters', 'requestContext', 'resource', 'stageVariables',
    ]);
    expect(Object.keys(event.requestContext).sort()).toEqual([
      'accountId', 'apiId', 'deploymentId', 'domainName', 'domainPrefix', 'extendedRequestId', 'httpMethod', 'identity', 'path',
      'protocol', 'requestId', 'requestTime', 'requestTimeEpoch', 'resourceId', 'resourcePath', 'stage',
    ]);
    expect(Object.keys(event.requestContext.identity).sort()).toEqual([
      'accessKey', 'accountId', 'caller', 'cognitoAuthenticationProvider', 'cognitoAuthenticationType', 'cognitoIdentityId',
      'cognitoIdentityPoolId', 'principalOrgId', 'sourceIp', 'user', 'userAgent', 'userArn',
    ]);
  });

  test('carries the route, the path and stage, decoded query values (last wins in the single-value map)', async () => {
    const { body: event } = await jsonOf(await fetch(`${url}/echo/4%202?a=1&a=2&b=x%20y`, { method: 'PATCH', body: '{"k":1}', headers: { 'content-type': 'application/json' } }));
    expect(event).toMatchObject({
      resource: '/echo/{id}',
      path: '/echo/4 2',
      httpMethod: 'PATCH',
      pathParameters: { id: '4 2' },
      queryStringParameters: { a: '2', b: 'x y' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x y'] },
      stageVariables: null,
      body: '{"k":1}',
      isBase64Encoded: false,
      requestContext: { resourcePath: '/echo/{id}', httpMethod: 'PATCH', path: '/dev/echo/4%202'.replace('%20', ' '), stage: 'dev', accountId: '111111111111', protocol: 'HTTP/1.1' },
    });
    expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
    expect(event.requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  test('keeps repeated headers in multiValueHeaders and adds X-Forwarded-For', async () => {
    const { body: event } = await jsonOf(await fetch(`${url}/echo/1`, { headers: { 'X-Custom': 'v' } }));
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(Object.entries(event.multiValueHeaders).find(([k]) => k.toLowerCase() === 'x-custom')?.[1]).toEqual(['v']);
  });

  test('has null maps when the request has no query string or body', async () => {
    const { body: event } = await jsonOf(await fetch(`${url}/echo/1`));
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.body).toBeNull();
  });

  test('base64-encodes a body of one of the API\'s binary media types', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);
    const { body: event } = await jsonOf(await fetch(`${url}/upload`, { method: 'POST', body: bytes, headers: { 'content-type': 'image/png' } }));
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, 'base64')).toEqual(bytes);
  });
});

describe('routing precedence', () => {
  test('a literal segment wins over a parameter', async () => {
    expect((await jsonOf(await fetch(`${url}/pets/dogs`))).body.tag).toBe('literal');
    expect((await jsonOf(await fetch(`${url}/pets/cats`))).body).toEqual({ tag: 'parameter', params: { petId: 'cats' } });
  });

  test('a deeper path under a parameter matches through it', async () => {
    expect((await jsonOf(await fetch(`${url}/pets/dogs/toys`))).body).toEqual({ tag: 'toys', params: { petId: 'dogs' } });
  });

  test('a greedy {proxy+} takes the rest of the path; the exact method wins over ANY', async () => {
    expect((await jsonOf(await fetch(`${url}/files/a/b/c.txt`))).body).toEqual({ tag: 'greedy-get', params: { proxy: 'a/b/c.txt' } });
    expect((await jsonOf(await fetch(`${url}/files/a/b`, { method: 'DELETE' }))).body.tag).toBe('greedy-any');
  });

  test('{proxy+} needs at least one segment', async () => {
    expect((await fetch(`${url}/files`)).status).toBe(403);
  });
});

describe('instances', () => {
  test('init code runs once per warm instance', async () => {
    const first = (await jsonOf(await fetch(`${url}/counter`))).body;
    const second = (await jsonOf(await fetch(`${url}/counter`))).body;
    expect(first).toEqual({ inits: 1, calls: 1 });
    expect(second).toEqual({ inits: 1, calls: 2 });
  });

  test('concurrent requests run on at most `concurrency` instances, and all are answered', async () => {
    const statuses = await Promise.all([1, 2, 3, 4].map(() => fetch(`${url}/sleepy`).then(r => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200]);
    const fn = local.info().functions.find(f => f.name.includes('-GetSleepy-'))!;
    expect(fn.warmInstances).toBe(2);
  });

  test('functions get their template environment, resolved, plus Lambda\'s and the local endpoints', async () => {
    const { body } = await jsonOf(await fetch(`${url}/env`));
    expect(body).toMatchObject({ table: 'from-template', region: 'eu-west-1', dynamo: local.dynamodbEndpoint });
    expect(body.fn).toMatch(/^Dev-Api-GetEnv-/);
  });

  test('one function\'s process.env does not leak into another', async () => {
    await fetch(`${url}/env`);
    expect((await jsonOf(await fetch(`${url}/other-env`))).body.seen).toBeNull();
  });

  test('callback-style handlers get a Lambda context', async () => {
    const { body } = await jsonOf(await fetch(`${url}/callback`));
    expect(body).toMatchObject({ remaining: true });
    expect(body.name).toMatch(/^Dev-Api-GetCallback-/);
  });
});

describe('the proxy result', () => {
  test('status, headers, multi-value headers and a base64 body become the HTTP response', async () => {
    const res = await fetch(`${url}/headers`);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-one')).toBe('1');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('binary!');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
