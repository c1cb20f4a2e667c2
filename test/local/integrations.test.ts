/**
 * Non-proxy and HTTP integrations declared in the body: HTTP_PROXY to a real backend on loopback,
 * HTTP with request/response mapping templates and selection patterns, and a Lambda (non-proxy)
 * integration mapping the function's result and errors.
 */
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { LocalApi } from '../../lib/local';
import { inline, jsonOf, startEchoBackend, startLocal, stopLocal, synthesizeStage } from './fixture';

let backend: { origin: string; stop: () => Promise<void> };
let local: LocalApi;
let url: string;

beforeAll(async () => {
  backend = await startEchoBackend();
  const origin = backend.origin;

  const assembly = synthesizeStage(stack => {
    const api = new ServerlessApi(stack, 'Api', { apiName: 'integrations', stageName: 'dev' });
    const placeholder = inline('exports.handler = async () => ({ statusCode: 500, body: "not the integration" });');
    const greeter = inline('exports.handler = async (e) => { if (e.name === "nobody") { throw new Error("user not found"); } return { greeting: "hello " + e.name }; };');
    const none = RouteAuthorization.none();
    api.addRoute({ method: 'ANY', path: '/proxy/{proxy+}', handler: placeholder, authorization: none });
    api.addRoute({ method: 'GET', path: '/count', handler: placeholder, authorization: none });
    api.addRoute({ method: 'GET', path: '/greet', handler: greeter, authorization: none });
    const cfn = api.restApi.node.defaultChild as apigateway.CfnRestApi;
    cfn.addPropertyOverride('Body.paths./proxy/{proxy+}.x-amazon-apigateway-any-method.x-amazon-apigateway-integration', {
      type: 'http_proxy', httpMethod: 'ANY', uri: `${origin}/{proxy}`,
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy', 'integration.request.header.x-caller': '\'local-test\'' },
    });
    cfn.addPropertyOverride('Body.paths./count.get.x-amazon-apigateway-integration', {
      type: 'http', httpMethod: 'POST', uri: `${origin}/{what}`,
      requestParameters: { 'integration.request.path.what': 'method.request.querystring.what' },
      requestTemplates: { 'application/json': '{"q":"$input.params(\'q\')"}' },
      responses: {
        '4\\d{2}': { statusCode: '400', responseTemplates: { 'application/json': '{"error":"no such thing"}' } },
        'default': { statusCode: '200', responseParameters: { 'method.response.header.X-From': 'integration.response.header.x-backend' }, responseTemplates: { 'application/json': '{"n":$input.json(\'$.count\'),"sent":$input.json(\'$.body\')}' } },
      },
    });
    cfn.addPropertyOverride('Body.paths./greet.get.x-amazon-apigateway-integration', {
      type: 'aws', httpMethod: 'POST', uri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${api.functionFor('GET /greet').functionArn}/invocations`,
      requestTemplates: { 'application/json': '{"name":"$input.params(\'name\')"}' },
      responses: {
        '.*not found.*': { statusCode: '404', responseTemplates: { 'application/json': '{"message":$input.json(\'$.errorMessage\')}' } },
        'default': { statusCode: '200', responseTemplates: { 'application/json': '{"text":$input.json(\'$.greeting\')}' } },
      },
    });
  });
  local = await startLocal(assembly);
  url = local.urlOf('integrations');
});
afterAll(async () => {
  await stopLocal(local);
  await backend?.stop();
});

describe('HTTP_PROXY', () => {
  test('forwards method, greedy path, query, body and mapped headers; returns the backend\'s response as is', async () => {
    const res = await fetch(`${url}/proxy/a/b?x=1`, { method: 'PUT', body: 'payload' });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-backend')).toBe('yes');
    expect(body).toMatchObject({ method: 'PUT', url: '/a/b?x=1', body: 'payload', caller: 'local-test' });
  });

  test('passes the backend\'s error status through', async () => {
    expect((await fetch(`${url}/proxy/missing`)).status).toBe(404);
  });
});

describe('HTTP with mapping templates', () => {
  test('the request template builds the backend body; the default response maps body and header', async () => {
    const res = await jsonOf(await fetch(`${url}/count?what=things&q=lamps`));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-from')).toBe('yes');
    expect(res.body).toEqual({ n: 3, sent: '{"q":"lamps"}' });
  });

  test('a backend 404 selects the 4\\d{2} response', async () => {
    const res = await jsonOf(await fetch(`${url}/count?what=missing`));
    expect(res).toMatchObject({ status: 400, body: { error: 'no such thing' } });
  });
});

describe('Lambda (non-proxy)', () => {
  test('the request template is the event; the result goes through the response template', async () => {
    expect(await jsonOf(await fetch(`${url}/greet?name=ann`))).toMatchObject({ status: 200, body: { text: 'hello ann' } });
  });

  test('a function error selects the response whose pattern matches its message', async () => {
    expect(await jsonOf(await fetch(`${url}/greet?name=nobody`))).toMatchObject({ status: 404, body: { message: 'user not found' } });
  });
});
