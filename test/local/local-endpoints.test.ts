/**
 * The machine-readable endpoints (/_local/info, /_local/token, the JWKS), base-path mounting of custom
 * domains, and swapping the served assembly on the same port (what watch mode does).
 */
import * as fs from 'fs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { ApiDomain, RouteAuthorization, ServerlessApi } from '../../lib';
import { LocalApi } from '../../lib/local';
import { inline, jsonOf, startLocal, stopLocal, synthesizeStage } from './fixture';

const OK = 'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ path: e.path, contextPath: e.requestContext.path }) });';

function app(withExtraRoute: boolean): string {
  return synthesizeStage(stack => {
    const v1 = new ServerlessApi(stack, 'V1', { apiName: 'shop-v1', stageName: 'dev', cognito: { userPoolProps: { callbackUrls: ['https://app.example.com/cb'] } } });
    v1.addRoute({ method: 'GET', path: '/items', handler: inline(OK), authorization: RouteAuthorization.none() });
    v1.addRoute({ method: 'POST', path: '/items', handler: inline(OK), authorization: RouteAuthorization.cognito(['api/items.write']) });
    v1.addRoute({ method: 'GET', path: '/ops', handler: inline(OK), authorization: RouteAuthorization.iam() });
    if (withExtraRoute) {
      v1.addRoute({ method: 'GET', path: '/added', handler: inline(OK), authorization: RouteAuthorization.none() });
    }
    const v2 = new ServerlessApi(stack, 'V2', { apiName: 'shop-v2', stageName: 'dev' });
    v2.addRoute({ method: 'GET', path: '/items', handler: inline(OK), authorization: RouteAuthorization.none() });
    new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com',
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' }),
      mappings: [{ basePath: 'v1', api: v1 }, { basePath: 'v2', api: v2 }],
    });
    const ops = new iam.Role(stack, 'Ops', { roleName: 'ops', assumedBy: new iam.AccountRootPrincipal() });
    v1.grantInvoke(ops, 'GET', '/ops');
  });
}

let local: LocalApi;
const extraAssemblies: string[] = [];

beforeAll(async () => {
  local = await startLocal(app(false));
});
afterAll(async () => {
  await stopLocal(local);
  extraAssemblies.forEach(dir => fs.rmSync(dir, { recursive: true, force: true }));
});

describe('custom domain base paths', () => {
  test('each API is served at its base path, with event.path keeping it as on a custom domain', async () => {
    const v1 = await jsonOf(await fetch(`${local.url}/v1/items`));
    const v2 = await jsonOf(await fetch(`${local.url}/v2/items`));
    expect(v1.body).toEqual({ path: '/v1/items', contextPath: '/v1/items' });
    expect(v2.status).toBe(200);
  });

  test('a path under no base path is 403, with a hint where the APIs are', async () => {
    const res = await fetch(`${local.url}/v3/items`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-local-hint')).toMatch(/\/_local\/info/);
  });
});

describe('/_local/info', () => {
  test('lists the APIs with URLs and routes, keys, principals with credentials, user pools', async () => {
    const { status, body } = await jsonOf(await fetch(`${local.url}/_local/info`));
    expect(status).toBe(200);
    expect(body.apis.map((a: any) => [a.name, a.url])).toEqual(expect.arrayContaining([['shop-v1', `${local.url}/v1`], ['shop-v2', `${local.url}/v2`]]));
    expect(body.apis.find((a: any) => a.name === 'shop-v1').routes).toEqual(expect.arrayContaining([
      expect.objectContaining({ method: 'POST', path: '/items', authorization: 'COGNITO_USER_POOLS', scopes: ['api/items.write'], integration: 'aws_proxy' }),
      expect.objectContaining({ method: 'GET', path: '/ops', authorization: 'AWS_IAM' }),
    ]));
    const principals = body.iam.principals;
    expect(principals.map((p: any) => p.arn)).toEqual(['arn:aws:iam::111111111111:role/ops', 'arn:aws:iam::111111111111:user/local-no-grant']);
    expect(principals[0].grants[0]).toMatch(/^arn:aws:execute-api:eu-west-1:111111111111:\w+\/dev\/GET\/ops$/);
    expect(principals[0].accessKeyId).toMatch(/^AKIA/);
    expect(body.userPools[0]).toMatchObject({ scopes: ['api/items.write'], jwksUri: expect.stringMatching(/\/\.well-known\/jwks\.json$/) });
  });
});

describe('/_local/token', () => {
  test('mints tokens that the API accepts, verifiable with the JWKS by AWS\'s own verifier', async () => {
    const { status, body } = await jsonOf(await fetch(`${local.url}/_local/token`, {
      method: 'POST', body: JSON.stringify({ username: 'carol@example.com', groups: ['buyers'], scopes: ['api/items.write'] }),
    }));
    expect(status).toBe(200);
    const res = await fetch(`${local.url}/v1/items`, { method: 'POST', headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(res.status).toBe(200);

    const pool = local.info().userPools[0];
    const verifier = CognitoJwtVerifier.create({ userPoolId: pool.id, tokenUse: 'access', clientId: pool.clients[0].id });
    const jwks = await (await fetch(pool.jwksUri)).json() as Parameters<typeof verifier.cacheJwks>[0];
    verifier.cacheJwks(jwks);
    expect(verifier.verifySync(body.accessToken)).toMatchObject({ 'cognito:groups': ['buyers'], 'scope': 'aws.cognito.signin.user.admin api/items.write' });
  });

  test('refuses a scope the user pool does not define, and a body without username', async () => {
    const unknown = await jsonOf(await fetch(`${local.url}/_local/token`, { method: 'POST', body: JSON.stringify({ username: 'x', scopes: ['api/admin'] }) }));
    const anonymous = await jsonOf(await fetch(`${local.url}/_local/token`, { method: 'POST', body: '{}' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/Scopes api\/admin are not defined by user pool/);
    expect(anonymous.status).toBe(400);
  });

  test('a user pool id that is not percent-decodable is 404, not a server error', async () => {
    const res = await jsonOf(await fetch(`${local.url}/_local/cognito/pool%E0%A4%A/.well-known/jwks.json`));
    expect(res).toMatchObject({ status: 404, body: { message: 'No user pool pool%E0%A4%A' } });
  });
});

describe('reload', () => {
  test('serves a new assembly on the same port: new routes appear, credentials stay', async () => {
    const before = local.url;
    const creds = local.credentials('ops');
    expect((await fetch(`${local.url}/v1/added`)).status).toBe(403);
    const next = app(true);
    extraAssemblies.push(next);
    await local.reload(next);
    expect(local.url).toBe(before);
    expect((await fetch(`${local.url}/v1/added`)).status).toBe(200);
    expect(local.credentials('ops')).toEqual(creds);
  });
});
