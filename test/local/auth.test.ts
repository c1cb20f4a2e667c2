/**
 * Lambda authorizers, resource policies (source IP), CORS preflights and gateway-response headers,
 * stage and route throttles, as the local server enforces them.
 */
import { Duration } from 'aws-cdk-lib';
import { LambdaAuthorizer, RouteAuthorization, ServerlessApi } from '../../lib';
import { LocalApi } from '../../lib/local';
import { inline, jsonOf, startLocal, stopLocal, synthesizeStage } from './fixture';

// A token authorizer: 'allow' admits exactly the method ARN it was called for, 'allow-all' every
// method, 'deny' denies, 'unauth' throws Unauthorized, 'boom' fails. Its context counts its calls.
const TOKEN_AUTHORIZER = `
let calls = 0;
exports.handler = async (event) => {
  calls++;
  const token = event.authorizationToken;
  if (token === 'unauth') { throw new Error('Unauthorized'); }
  if (token === 'boom') { throw new Error('kaputt'); }
  const resource = token === 'allow-all' ? event.methodArn.split('/').slice(0, 2).join('/') + '/*' : event.methodArn;
  return {
    principalId: 'user-' + token,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: token === 'deny' ? 'Deny' : 'Allow', Resource: resource }] },
    context: { calls, flag: true, tier: 'gold' },
  };
};`;
const AUTHORIZER_ECHO = 'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer) });';

let local: LocalApi;

beforeAll(async () => {
  const assembly = synthesizeStage(stack => {
    const api = new ServerlessApi(stack, 'Api', {
      apiName: 'guarded',
      stageName: 'dev',
      cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'] },
    });
    const tokens = LambdaAuthorizer.token({ handlerCode: inline(TOKEN_AUTHORIZER), authorizerName: 'Tokens', resultsCacheTtl: Duration.minutes(5) });
    const partners = LambdaAuthorizer.request({
      handlerCode: inline('exports.handler = async (e) => ({ principalId: e.headers["x-partner"], policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: e.methodArn }] } });'),
      identitySources: ['method.request.header.x-partner'],
      authorizerName: 'Partners',
    });
    const echo = inline(AUTHORIZER_ECHO);
    api.addRoute({ method: 'GET', path: '/first', handler: echo, authorization: RouteAuthorization.lambda(tokens) });
    api.addRoute({ method: 'GET', path: '/second', handler: echo, authorization: RouteAuthorization.lambda(tokens) });
    api.addRoute({ method: 'GET', path: '/partner', handler: echo, authorization: RouteAuthorization.lambda(partners) });
    api.addRoute({ method: 'GET', path: '/open', handler: echo, authorization: RouteAuthorization.none() });
    // An authorizer and an API key: the body writes the key as its own security requirement object.
    const plan = api.addUsagePlan('Plan');
    api.addApiKey('Key', { consumerName: 'partner', plans: [plan] });
    api.addRoute({ method: 'GET', path: '/keyed', handler: echo, authorization: RouteAuthorization.lambda(tokens), apiKeyRequired: true });

    const denied = new ServerlessApi(stack, 'Denied', { apiName: 'denied', stageName: 'denied', sourceIpPolicy: { deny: ['127.0.0.0/8'] } });
    denied.addRoute({ method: 'GET', path: '/x', handler: echo, authorization: RouteAuthorization.none() });
    const allowed = new ServerlessApi(stack, 'Allowed', { apiName: 'allowed', stageName: 'allowed', sourceIpPolicy: { allow: ['127.0.0.1/32'] } });
    allowed.addRoute({ method: 'GET', path: '/x', handler: echo, authorization: RouteAuthorization.none() });

    const slow = new ServerlessApi(stack, 'Throttled', { apiName: 'throttled', stageName: 'throttled', stage: { throttlingRateLimit: 1, throttlingBurstLimit: 1 } });
    slow.addRoute({ method: 'GET', path: '/a', handler: echo, authorization: RouteAuthorization.none() });
    slow.addRoute({ method: 'GET', path: '/b', handler: echo, authorization: RouteAuthorization.none() });
    slow.throttleRoute('GET', '/b', { rateLimit: 1000, burstLimit: 1000 });
  });
  local = await startLocal(assembly);
});
afterAll(async () => {
  await stopLocal(local);
});

describe('Lambda token authorizer', () => {
  const get = (path: string, token?: string) => fetch(`${local.urlOf('guarded')}${path}`, { headers: token ? { authorization: token } : {} });

  test('an allowed caller reaches the route with principalId and context (as strings) in the event', async () => {
    const res = await jsonOf(await get('/first', 'allow-all'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ principalId: 'user-allow-all', flag: 'true', tier: 'gold' });
  });

  // AWS, "Use API Gateway Lambda authorizers": a policy with Effect Deny is 403
  // "User is not authorized to access this resource with an explicit deny".
  test('a denying policy is 403 with an explicit deny', async () => {
    const res = await jsonOf(await get('/first', 'deny'));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'ACCESS_DENIED', message: 'User is not authorized to access this resource with an explicit deny' });
  });

  // AWS, same page: the function answering the error "Unauthorized" is 401; a missing identity
  // source is 401 without calling it.
  test('"Unauthorized" from the function and a missing token are 401', async () => {
    expect((await get('/first', 'unauth')).status).toBe(401);
    expect((await get('/first')).status).toBe(401);
  });

  // AWS, Gateway response types: AUTHORIZER_CONFIGURATION_ERROR 500 when the authorizer fails.
  test('a failing authorizer is 500 with a null message', async () => {
    const res = await jsonOf(await get('/first', 'boom'));
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'AUTHORIZER_CONFIGURATION_ERROR', message: null });
  });

  test('a decision is cached per token for the TTL', async () => {
    const first = (await jsonOf(await get('/first', 'allow-all'))).body.calls;
    const again = (await jsonOf(await get('/second', 'allow-all'))).body.calls;
    expect(again).toBe(first);
  });

  // The well-known caching pitfall: a cached policy naming one method ARN refuses the others.
  test('a cached policy is evaluated against each request\'s method ARN', async () => {
    expect((await get('/first', 'allow')).status).toBe(200);
    expect((await get('/second', 'allow')).status).toBe(403);
  });
});

describe('an authorizer and an API key on one route', () => {
  // The body lists [{ Tokens: [] }, { api_key: [] }]; API Gateway's import applies both.
  test('an authorized caller without the key is 403; with the key it passes', async () => {
    const url = `${local.urlOf('guarded')}/keyed`;
    expect((await fetch(url, { headers: { Authorization: 'allow-all' } })).status).toBe(403);
    expect((await fetch(url, { headers: { 'Authorization': 'allow-all', 'x-api-key': local.apiKey('partner-dev') } })).status).toBe(200);
    expect((await fetch(url, { headers: { 'x-api-key': local.apiKey('partner-dev') } })).status).toBe(401);
  });
});

describe('Lambda request authorizer', () => {
  test('reads its identity source; without it the request is 401', async () => {
    const url = `${local.urlOf('guarded')}/partner`;
    expect((await jsonOf(await fetch(url, { headers: { 'x-partner': 'acme' } }))).body.principalId).toBe('acme');
    expect((await fetch(url)).status).toBe(401);
  });
});

describe('resource policy', () => {
  // AWS, "API Gateway resource policy examples": a Deny on aws:SourceIp refuses those addresses
  // with 403 "... with an explicit deny".
  test('a source IP in the deny list is 403 with an explicit deny', async () => {
    const res = await jsonOf(await fetch(`${local.urlOf('denied')}/x`));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/^User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:111111111111:\w+\/denied\/GET\/x with an explicit deny$/);
  });

  test('a source IP in the allow list is admitted', async () => {
    expect((await fetch(`${local.urlOf('allowed')}/x`)).status).toBe(200);
  });
});

describe('CORS', () => {
  test('a preflight is answered by the mock integration, echoing an allowed origin', async () => {
    const res = await fetch(`${local.urlOf('guarded')}/first`, { method: 'OPTIONS', headers: { Origin: 'https://b.example.com' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://b.example.com');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,OPTIONS');
  });

  test('a preflight from another origin gets the first allowed origin', async () => {
    const res = await fetch(`${local.urlOf('guarded')}/first`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example.com' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://a.example.com');
  });

  test('gateway errors carry CORS headers, so the browser shows the real error', async () => {
    const res = await fetch(`${local.urlOf('guarded')}/first`, { headers: { Origin: 'https://a.example.com' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://a.example.com');
  });
});

describe('stage and route throttling', () => {
  // AWS, "Throttle requests to your REST APIs": stage limits apply to each method by default
  // ("default method throttling"); a method setting overrides them.
  test('over the stage limits a method answers 429; a route with its own limits does not', async () => {
    const base = local.urlOf('throttled');
    const a = [(await fetch(`${base}/a`)).status, (await fetch(`${base}/a`)).status];
    const b = [(await fetch(`${base}/b`)).status, (await fetch(`${base}/b`)).status];
    expect(a).toEqual([200, 429]);
    expect(b).toEqual([200, 200]);
  });
});
