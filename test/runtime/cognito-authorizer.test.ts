/**
 * The library's Cognito $connect authorizer with real RS256 JWTs signed by a key pair made here, and
 * the public key served as a JWKS by a local HTTP server (the verifier fetches it over HTTP from the
 * URL it derives from the user pool id, redirected to 127.0.0.1).
 */
import * as crypto from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { captureConsole } from './events';
import { cognitoAuthorizerConfig, createCognitoAuthorizer, CognitoAuthorizerConfig } from '../../lib/runtime/websocket/cognito-authorizer';
import type { WebSocketAuthorizerEvent } from '../../lib/runtime/websocket/events';

const REGION = 'eu-west-1';
const POOL = `${REGION}_AbCdEf123`;
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;
const CLIENT = '1example23456789client';
const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/$connect';

const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'key-1';

let server: http.Server;
let jwksUrl: string;
const requestedUris: string[] = [];
let logs: ReturnType<typeof captureConsole>;

beforeAll(async () => {
  logs = captureConsole();
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] });
  server = http.createServer((req, res) => {
    res.writeHead(req.url === '/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/jwks.json' ? jwks : '{}');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()));
  logs.restore();
});

/** aws-jwt-verify's cache, with a fetcher that records the URI asked for and fetches the local JWKS instead. */
function localJwks(): SimpleJwksCache {
  return new SimpleJwksCache({
    fetcher: {
      fetch: (uri: string) => {
        requestedUris.push(uri);
        return new Promise<ArrayBuffer>((resolve, reject) => {
          http.get(jwksUrl, res => {
            const chunks: Buffer[] = [];
            res.on('data', c => chunks.push(c));
            res.on('end', () => {
              const body = Buffer.concat(chunks);
              resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
            });
          }).on('error', reject);
        });
      },
    },
  });
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

function sign(payload: Record<string, unknown>, options: { key?: crypto.KeyObject; header?: Record<string, unknown> } = {}): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', kid: KID, typ: 'JWT', ...options.header }));
  const body = b64url(JSON.stringify(payload));
  const signature = crypto.sign('RSA-SHA256', Buffer.from(`${header}.${body}`), options.key ?? privateKey);
  return `${header}.${body}.${b64url(signature)}`;
}

const now = () => Math.floor(Date.now() / 1000);

function accessToken(claims: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: 'user-sub-1', iss: ISSUER, client_id: CLIENT, token_use: 'access', scope: 'openid chat/send',
    auth_time: now() - 60, iat: now() - 60, exp: now() + 3600, jti: crypto.randomUUID(), username: 'ann', ...claims,
  };
}

function idToken(claims: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: 'user-sub-1', iss: ISSUER, aud: CLIENT, token_use: 'id', 'cognito:username': 'ann',
    auth_time: now() - 60, iat: now() - 60, exp: now() + 3600, ...claims,
  };
}

const baseConfig: CognitoAuthorizerConfig = { userPoolId: POOL, clientIds: [CLIENT], tokenUse: 'access', queryParameter: 'token' };

function authorizer(config: Partial<CognitoAuthorizerConfig> = {}) {
  return createCognitoAuthorizer({ ...baseConfig, ...config }, { jwksCache: localJwks() });
}

function event(query: Record<string, string> = {}, headers: Record<string, string> = {}): WebSocketAuthorizerEvent {
  return { type: 'REQUEST', methodArn: METHOD_ARN, queryStringParameters: query, headers, requestContext: { requestId: 'req-1', routeKey: '$connect' } };
}

describe('allowed', () => {
  test('GIVEN a valid access token in the query string THEN it allows $connect with the token\'s sub as principal', async () => {
    const result = await authorizer()(event({ token: sign(accessToken()) }));
    expect(result).toEqual({
      principalId: 'user-sub-1',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }] },
      context: { username: 'ann', clientId: CLIENT, tokenUse: 'access' },
    });
  });

  test('GIVEN a valid token THEN the JWKS was fetched from the URL Cognito publishes for the pool', async () => {
    requestedUris.length = 0;
    await authorizer()(event({ token: sign(accessToken()) }));
    expect(requestedUris).toEqual([`${ISSUER}/.well-known/jwks.json`]);
  });

  test('GIVEN a header source and "Bearer <token>" THEN it allows', async () => {
    const result = await authorizer({ queryParameter: undefined, header: 'Authorization' })(event({}, { authorization: `Bearer ${sign(accessToken())}` }));
    expect(result.principalId).toBe('user-sub-1');
  });

  test('GIVEN an id token where id tokens are configured THEN the audience is the client and it allows', async () => {
    const result = await authorizer({ tokenUse: 'id' })(event({ token: sign(idToken()) }));
    expect(result.context).toEqual({ username: 'ann', clientId: CLIENT, tokenUse: 'id' });
  });

  test('GIVEN required scopes the token has THEN it allows', async () => {
    const result = await authorizer({ requiredScopes: ['chat/send'] })(event({ token: sign(accessToken()) }));
    expect(result.principalId).toBe('user-sub-1');
  });
});

describe('refused with 401 (thrown "Unauthorized")', () => {
  const cases: Array<[string, () => string, Partial<CognitoAuthorizerConfig>, string]> = [
    ['an expired token', () => sign(accessToken({ iat: now() - 7200, exp: now() - 60 })), {}, 'JwtExpiredError'],
    ['a token of another issuer', () => sign(accessToken({ iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Other999` })), {}, 'ParameterValidationError'],
    ['a token of another app client', () => sign(accessToken({ client_id: 'someotherclient' })), {}, 'CognitoJwtInvalidClientIdError'],
    ['a tampered payload (signature of the original)', () => {
      const [h, , s] = sign(accessToken()).split('.');
      return `${h}.${b64url(JSON.stringify(accessToken({ sub: 'admin' })))}.${s}`;
    }, {}, 'JwtInvalidSignatureError'],
    ['a signature by another key with the same kid', () => sign(accessToken(), { key: other.privateKey }), {}, 'JwtInvalidSignatureError'],
    ['alg "none" without a signature', () => `${b64url(JSON.stringify({ alg: 'none', kid: KID, typ: 'JWT' }))}.${b64url(JSON.stringify(accessToken()))}.`, {}, 'JwtParseError'],
    ['alg "none" with a made-up signature', () => `${b64url(JSON.stringify({ alg: 'none', kid: KID, typ: 'JWT' }))}.${b64url(JSON.stringify(accessToken()))}.${b64url('sig')}`, {}, 'JwtInvalidSignatureAlgorithmError'],
    ['alg "HS256" signed with the public key as secret', () => {
      const h = b64url(JSON.stringify({ alg: 'HS256', kid: KID, typ: 'JWT' }));
      const p = b64url(JSON.stringify(accessToken()));
      const mac = crypto.createHmac('sha256', publicKey.export({ format: 'pem', type: 'spki' })).update(`${h}.${p}`).digest();
      return `${h}.${p}.${b64url(mac)}`;
    }, {}, 'JwtInvalidSignatureAlgorithmError'],
    ['an id token where an access token is required', () => sign(idToken()), {}, 'CognitoJwtInvalidTokenUseError'],
    ['an access token where an id token is required', () => sign(accessToken()), { tokenUse: 'id' }, 'CognitoJwtInvalidTokenUseError'],
    ['a token with an unknown kid', () => sign(accessToken(), { header: { kid: 'key-2' } }), {}, 'KidNotFoundInJwksError'],
    ['a token used before its nbf', () => sign(accessToken({ nbf: now() + 600 })), {}, 'JwtNotBeforeError'],
    ['a token without the required scope', () => sign(accessToken({ scope: 'openid' })), { requiredScopes: ['chat/send'] }, 'JwtInvalidScopeError'],
    ['garbage', () => 'not.a.jwt', {}, 'JwtParseError'],
    ['a token of 20,000 characters', () => 'a'.repeat(20_000), {}, 'no token'],
  ];

  test.each(cases)('GIVEN %s', async (_label, token, config, reason) => {
    logs.lines.length = 0;
    await expect(authorizer(config)(event({ token: token() }))).rejects.toThrow(/^Unauthorized$/);
    const line = JSON.parse(logs.lines.find(l => l.includes('refused'))!);
    expect(reason === 'no token' ? line.message : line.reason).toBe(reason === 'no token' ? 'refused: no token' : reason);
  });

  test('GIVEN no token at all', async () => {
    await expect(authorizer()(event())).rejects.toThrow(/^Unauthorized$/);
  });

  test('GIVEN the token in a header when the query string is configured', async () => {
    await expect(authorizer()(event({}, { token: sign(accessToken()) }))).rejects.toThrow(/^Unauthorized$/);
  });

  test('GIVEN a refusal THEN the reason is logged and the token never is', async () => {
    const token = sign(accessToken({ exp: now() - 60, iat: now() - 120 }));
    logs.lines.length = 0;
    await expect(authorizer()(event({ token }))).rejects.toThrow('Unauthorized');
    const line = logs.lines.find(l => l.includes('refused'));
    expect(line).toMatch(/JwtExpiredError/);
    expect(logs.lines.join('\n')).not.toContain(token.split('.')[2]);
  });
});

describe('configuration', () => {
  const env = { USER_POOL_ID: POOL, CLIENT_IDS: `${CLIENT}, second`, TOKEN_USE: 'access', TOKEN_QUERY_PARAMETER: 'token' };

  test('GIVEN the environment the construct sets THEN it reads it', () => {
    expect(cognitoAuthorizerConfig({ ...env, REQUIRED_SCOPES: 'chat/send chat/read' })).toEqual({
      userPoolId: POOL, clientIds: [CLIENT, 'second'], tokenUse: 'access', queryParameter: 'token', header: undefined, requiredScopes: ['chat/send', 'chat/read'],
    });
  });

  test.each([
    [{ USER_POOL_ID: 'nope' }, /USER_POOL_ID "nope" is not a user pool id/],
    [{ CLIENT_IDS: '' }, /CLIENT_IDS is empty/],
    [{ TOKEN_USE: 'refresh' }, /TOKEN_USE must be 'access' or 'id' \(received "refresh"\)/],
    [{ TOKEN_HEADER: 'Authorization' }, /set exactly one of TOKEN_QUERY_PARAMETER and TOKEN_HEADER/],
    [{ TOKEN_QUERY_PARAMETER: '' }, /set exactly one of TOKEN_QUERY_PARAMETER and TOKEN_HEADER/],
  ])('GIVEN %j THEN it throws at cold start', (override, message) => {
    expect(() => cognitoAuthorizerConfig({ ...env, ...override })).toThrow(message);
  });
});
