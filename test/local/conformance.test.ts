/**
 * Conformance of the local server with API Gateway: each case is an answer API Gateway gives, with
 * the AWS documentation (or knowledge-center article) that states it. The API under test is built
 * with the library and synthesized like any app; the server reads only the cloud assembly.
 */
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Stack } from 'aws-cdk-lib';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { LocalApi } from '../../lib/local';
import { inline, jsonOf, signedFetch, startLocal, stopLocal, synthesizeStage } from './fixture';

const OK = 'exports.handler = async (event) => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ ok: true, claims: event.requestContext.authorizer && event.requestContext.authorizer.claims }) });';
const SLEEP_3S = 'exports.handler = async () => { await new Promise(r => setTimeout(r, 3000)); return { statusCode: 200, body: "late" }; };';

function buildApi(stack: Stack): void {
  const api = new ServerlessApi(stack, 'Api', {
    apiName: 'conformance',
    stageName: 'dev',
    cognito: { userPoolProps: { callbackUrls: ['https://app.example.com/callback'] } },
    stage: { throttlingRateLimit: 1000, throttlingBurstLimit: 1000 },
  });
  const ok = inline(OK);
  api.addRoute({ method: 'GET', path: '/health', handler: ok, authorization: RouteAuthorization.none() });
  api.addRoute({ method: 'GET', path: '/catalog', handler: ok, authorization: RouteAuthorization.none(), apiKeyRequired: true });
  api.addRoute({ method: 'GET', path: '/search', handler: ok, authorization: RouteAuthorization.none() });
  api.addRoute({ method: 'POST', path: '/things', handler: ok, authorization: RouteAuthorization.none() });
  api.addRoute({ method: 'GET', path: '/mock', handler: ok, authorization: RouteAuthorization.none() });
  api.addRoute({ method: 'GET', path: '/admin', handler: ok, authorization: RouteAuthorization.iam() });
  api.addRoute({ method: 'GET', path: '/me', handler: ok, authorization: RouteAuthorization.cognito() });
  api.addRoute({ method: 'GET', path: '/scoped', handler: ok, authorization: RouteAuthorization.cognito(['api/items.read']) });
  api.addRoute({ method: 'GET', path: '/slow', handler: inline(SLEEP_3S, { timeoutSeconds: 10 }), authorization: RouteAuthorization.none() });
  api.addRoute({ method: 'GET', path: '/task-timeout', handler: inline(SLEEP_3S, { timeoutSeconds: 1 }), authorization: RouteAuthorization.none() });
  api.addRoute({
    method: 'GET', path: '/malformed', authorization: RouteAuthorization.none(),
    handler: inline('exports.handler = async () => ({ statusCode: 200, body: { not: "a string" } });'),
  });
  const throttled = api.addUsagePlan('Throttled', { throttle: { rateLimit: 1, burstLimit: 1 } });
  const limited = api.addUsagePlan('Limited', { quota: { limit: 2, period: apigateway.Period.DAY } });
  api.addApiKey('ThrottledKey', { consumerName: 'throttled', plans: [throttled] });
  api.addApiKey('LimitedKey', { consumerName: 'limited', plans: [limited] });
  const ops = new iam.Role(stack, 'Ops', { roleName: 'ops', assumedBy: new iam.AccountRootPrincipal() });
  api.grantInvoke(ops, 'GET', '/admin');

  // What the body declares beyond the library's own routes, through the escape hatch (the body is the
  // contract the server reads): a required query parameter, a body model, a mock with passthrough NEVER,
  // an integration timeout of 1 second.
  const cfn = api.restApi.node.defaultChild as apigateway.CfnRestApi;
  cfn.addPropertyOverride('Body.paths./search.get.parameters', [{ name: 'q', in: 'query', required: true, schema: { type: 'string' } }]);
  cfn.addPropertyOverride('Body.paths./things.post.requestBody', {
    required: true,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
  });
  cfn.addPropertyOverride('Body.components.schemas', {
    Thing: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } }, additionalProperties: false },
  });
  cfn.addPropertyOverride('Body.paths./mock.get.x-amazon-apigateway-integration', {
    type: 'mock',
    passthroughBehavior: 'never',
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"mocked":true,"stage":"$context.stage"}' } } },
  });
  cfn.addPropertyOverride('Body.paths./slow.get.x-amazon-apigateway-integration.timeoutInMillis', 1000);
}

let local: LocalApi;
let url: string;

beforeAll(async () => {
  local = await startLocal(synthesizeStage(buildApi));
  url = local.urlOf('conformance');
});
afterAll(async () => {
  await stopLocal(local);
});

describe('routing', () => {
  // AWS, Gateway response types: MISSING_AUTHENTICATION_TOKEN, 403, "including the cases when the
  // client attempts to invoke an unsupported API method or resource"; message "Missing Authentication Token".
  test('an unknown route is 403 MISSING_AUTHENTICATION_TOKEN', async () => {
    const res = await jsonOf(await fetch(`${url}/nope`));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' });
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  test('a known path with a method it does not declare is 403 MISSING_AUTHENTICATION_TOKEN', async () => {
    const res = await jsonOf(await fetch(`${url}/health`, { method: 'DELETE' }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('MISSING_AUTHENTICATION_TOKEN');
  });

  test('the API is served at its stage path /dev, as on its execute-api URL', () => {
    expect(url).toBe(`${local.url}/dev`);
  });
});

describe('API keys and usage plans', () => {
  // AWS, Gateway response types: INVALID_API_KEY, 403; API Gateway answers {"message":"Forbidden"}
  // (knowledge center: "How do I troubleshoot 403 Forbidden errors ... API key").
  test('a key-required route without a key is 403 Forbidden', async () => {
    const res = await jsonOf(await fetch(`${url}/catalog`));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'INVALID_API_KEY', message: 'Forbidden' });
  });

  test('an unknown key is 403 Forbidden', async () => {
    const res = await jsonOf(await fetch(`${url}/catalog`, { headers: { 'x-api-key': 'not-a-key-of-this-stage-0000000000000' } }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('INVALID_API_KEY');
  });

  // AWS, "Throttle requests to your REST APIs": requests over the plan's token bucket get
  // 429 Too Many Requests (gateway response THROTTLED).
  test('a key over its plan throttle (rate 1, burst 1) is 429 Too Many Requests', async () => {
    const key = local.apiKey('throttled-dev');
    const first = await fetch(`${url}/catalog`, { headers: { 'x-api-key': key } });
    const second = await jsonOf(await fetch(`${url}/catalog`, { headers: { 'x-api-key': key } }));
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(second.body.error).toMatchObject({ code: 'THROTTLED', message: 'Too Many Requests' });
  });

  // AWS, Gateway response types: QUOTA_EXCEEDED, 429, "when the usage plan quota is exceeded";
  // message "Limit Exceeded".
  test('a key over its quota (2 a day) is 429 Limit Exceeded', async () => {
    const key = local.apiKey('limited-dev');
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await fetch(`${url}/catalog`, { headers: { 'x-api-key': key } })).status);
    }
    const last = await jsonOf(await fetch(`${url}/catalog`, { headers: { 'x-api-key': key } }));
    expect(statuses).toEqual([200, 200, 429]);
    expect(last.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', message: 'Limit Exceeded' });
  });
});

describe('request validation', () => {
  // AWS, "Request validation for REST APIs": required parameters "included and not blank", else 400;
  // gateway response BAD_REQUEST_PARAMETERS with "Missing required request parameters: [q]".
  test('a missing required query parameter is 400 Missing required request parameters: [q]', async () => {
    const res = await jsonOf(await fetch(`${url}/search`));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST_PARAMETERS', message: 'Missing required request parameters: [q]' });
  });

  test('a blank required query parameter is missing too', async () => {
    expect((await fetch(`${url}/search?q=`)).status).toBe(400);
    expect((await fetch(`${url}/search?q=shoes`)).status).toBe(200);
  });

  // AWS, "Request validation for REST APIs": the payload must adhere to the method's model (JSON
  // Schema draft 4), else 400 BAD_REQUEST_BODY "Invalid request body".
  test('a body failing its model is 400 Invalid request body', async () => {
    const res = await jsonOf(await fetch(`${url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ colour: 'red' }) }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST_BODY', message: 'Invalid request body' });
  });

  test('a body that is not JSON is 400 Invalid request body, a valid one passes', async () => {
    const bad = await fetch(`${url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    const good = await fetch(`${url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"lamp"}' });
    expect(bad.status).toBe(400);
    expect(good.status).toBe(200);
  });

  // AWS, "Method request behavior for payloads without mapping templates": with passthrough NEVER,
  // "API Gateway rejects the request with an HTTP 415 Unsupported Media Type response".
  test('a content type without a template under passthrough NEVER is 415', async () => {
    const res = await jsonOf(await fetch(`${url}/mock`, { headers: { 'content-type': 'text/plain' } }));
    expect(res.status).toBe(415);
    expect(res.body.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Media Type' });
  });

  test('the mock integration answers from its template for a mapped content type', async () => {
    const res = await jsonOf(await fetch(`${url}/mock`, { headers: { 'content-type': 'application/json' } }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mocked: true, stage: 'dev' });
  });
});

describe('IAM (SigV4)', () => {
  const admin = () => `${url}/admin`;

  test('a caller with the grant is admitted', async () => {
    const res = await signedFetch(admin(), { credentials: local.credentials('ops') });
    expect(res.status).toBe(200);
  });

  // AWS, SigV4 ("Troubleshoot AWS signature version 4 errors"): a signature computed with another
  // secret is 403 "The request signature we calculated does not match the signature you provided".
  test('a bad secret is 403 with AWS\'s signature message', async () => {
    const { accessKeyId } = local.credentials('ops');
    const res = await jsonOf(await signedFetch(admin(), { credentials: { accessKeyId, secretAccessKey: 'wrong-secret-wrong-secret-wrong-secret0' } }));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
  });

  // AWS, SigV4: "a signed request is valid for five minutes"; older is 403
  // "Signature expired: <date> is now earlier than <now - 5 min>".
  test('a signature dated more than 5 minutes ago is 403 Signature expired', async () => {
    const res = await jsonOf(await signedFetch(admin(), { credentials: local.credentials('ops'), signingDate: new Date(Date.now() - 6 * 60_000) }));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
  });

  test('a signature dated 4 minutes ago is still valid', async () => {
    const res = await signedFetch(admin(), { credentials: local.credentials('ops'), signingDate: new Date(Date.now() - 4 * 60_000) });
    expect(res.status).toBe(200);
  });

  test('an unsigned request to an IAM route is 403 Missing Authentication Token', async () => {
    const res = await jsonOf(await fetch(admin()));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('MISSING_AUTHENTICATION_TOKEN');
  });

  // AWS knowledge center, "403 errors from API Gateway with IAM authorization": a caller whose
  // policies do not allow execute-api:Invoke gets 403 "User: <arn> is not authorized to perform:
  // execute-api:Invoke on resource: <arn>".
  test('a caller without the grant is 403 not authorized', async () => {
    const res = await jsonOf(await signedFetch(admin(), { credentials: local.credentials() }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACCESS_DENIED');
    expect(res.body.error.message).toMatch(/^User: arn:aws:iam::111111111111:user\/local-no-grant is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:111111111111:[a-z0-9]{10}\/dev\/GET\/admin$/);
  });
});

describe('Cognito', () => {
  // AWS knowledge center, "401 Unauthorized errors from API Gateway with a Cognito user pool
  // authorizer": missing, expired or invalid tokens are 401 Unauthorized.
  test('a missing token is 401 Unauthorized', async () => {
    const res = await jsonOf(await fetch(`${url}/me`));
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHORIZED', message: 'Unauthorized' });
  });

  test('an expired token is 401', async () => {
    const { idToken } = local.token({ username: 'alice@example.com', expiresInSeconds: -60 });
    expect((await fetch(`${url}/me`, { headers: { authorization: idToken } })).status).toBe(401);
  });

  test('a tampered token is 401', async () => {
    const { idToken } = local.token({ username: 'alice@example.com' });
    const [header, payload, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['admins'] })).toString('base64url');
    expect((await fetch(`${url}/me`, { headers: { authorization: `${header}.${forged}.${signature}` } })).status).toBe(401);
  });

  test('a valid ID token is admitted, with its claims in the event as API Gateway renders them', async () => {
    const { idToken } = local.token({ username: 'alice@example.com', groups: ['admins', 'ops'] });
    const res = await jsonOf(await fetch(`${url}/me`, { headers: { authorization: idToken } }));
    expect(res.status).toBe(200);
    expect(res.body.claims).toMatchObject({ 'cognito:groups': 'admins,ops', 'email': 'alice@example.com', 'token_use': 'id' });
    expect(res.body.claims.exp).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
  });

  // AWS knowledge center: "If there are no additional scopes configured on the API Gateway method,
  // make sure that you're using a valid ID token. If additional scopes are configured, confirm that
  // you're using a valid access token."
  test('without scopes on the method an access token is 401; with scopes an ID token is 401', async () => {
    const tokens = local.token({ username: 'alice@example.com', scopes: ['api/items.read'] });
    expect((await fetch(`${url}/me`, { headers: { authorization: tokens.accessToken } })).status).toBe(401);
    expect((await fetch(`${url}/scoped`, { headers: { authorization: tokens.idToken } })).status).toBe(401);
    expect((await fetch(`${url}/scoped`, { headers: { authorization: tokens.accessToken } })).status).toBe(200);
  });

  test('an access token without the method\'s scope is 401', async () => {
    const { accessToken } = local.token({ username: 'alice@example.com' });
    expect((await fetch(`${url}/scoped`, { headers: { authorization: accessToken } })).status).toBe(401);
  });
});

describe('integration failures', () => {
  // AWS, Gateway response types: INTEGRATION_TIMEOUT, 504; API Gateway's integration timeout is
  // 50 ms to 29 s (timeoutInMillis); past it: 504 "Endpoint request timed out".
  test('an integration slower than its timeout is 504 Endpoint request timed out', async () => {
    const res = await jsonOf(await fetch(`${url}/slow`));
    expect(res.status).toBe(504);
    expect(res.body.error).toMatchObject({ code: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out' });
  });

  // AWS knowledge center, "502 errors from API Gateway REST APIs with Lambda proxy integration":
  // a function error (here "Task timed out after 1.00 seconds") is 502 Internal server error.
  test('a function running past its own timeout is 502', async () => {
    const res = await jsonOf(await fetch(`${url}/task-timeout`));
    expect(res.status).toBe(502);
    expect(res.body.error.message).toBe('Internal server error');
  });

  // AWS knowledge center, "Malformed Lambda proxy response": a result that is not
  // { statusCode, headers, body: string, isBase64Encoded } is 502.
  test('a malformed proxy response is 502 Internal server error', async () => {
    const res = await jsonOf(await fetch(`${url}/malformed`));
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'DEFAULT_5XX', message: 'Internal server error' });
  });
});
