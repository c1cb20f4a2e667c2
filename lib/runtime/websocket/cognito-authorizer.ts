/**
 * The library's Cognito authorizer for $connect: a REQUEST authorizer that verifies a user pool JWT
 * taken from a query string parameter (browsers cannot set headers on a WebSocket handshake) or a
 * header, with AWS's `aws-jwt-verify` (no crypto of our own): RS256 signature against the pool's
 * JWKS (fetched once per container and cached; refetched on an unknown `kid`), issuer, expiry and
 * not-before, `token_use`, and the app client (`client_id` of access tokens, `aud` of id tokens),
 * and, when configured, OAuth scopes.
 *
 * Allowed: an IAM policy allowing `execute-api:Invoke` on the $connect route, `principalId` = the
 * token's `sub` (the $connect handler stores it as the connection's principal), and context
 * `username`, `clientId`, `tokenUse`. Refused: thrown 'Unauthorized', which API Gateway answers 401;
 * the reason is logged, the token never is.
 *
 * Environment: USER_POOL_ID, CLIENT_IDS (comma-separated), TOKEN_USE ('access' or 'id'),
 * TOKEN_QUERY_PARAMETER or TOKEN_HEADER, optional REQUIRED_SCOPES (space-separated, access tokens).
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { AuthorizerResult, WebSocketAuthorizerEvent } from './events';
import { createLogger } from '../logger';

/** The authorizer's configuration. */
export interface CognitoAuthorizerConfig {
  readonly userPoolId: string;
  readonly clientIds: readonly string[];
  readonly tokenUse: 'access' | 'id';
  /** Exactly one of queryParameter and header. */
  readonly queryParameter?: string;
  readonly header?: string;
  readonly requiredScopes?: readonly string[];
}

const USER_POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/;

/** Reads and checks the configuration from the environment; throws on a bad one. */
export function cognitoAuthorizerConfig(env: Readonly<Record<string, string | undefined>> = process.env): CognitoAuthorizerConfig {
  const userPoolId = env.USER_POOL_ID ?? '';
  if (!USER_POOL_ID.test(userPoolId)) {
    throw new Error(`USER_POOL_ID ${JSON.stringify(userPoolId)} is not a user pool id`);
  }
  const clientIds = (env.CLIENT_IDS ?? '').split(',').map(s => s.trim()).filter(Boolean);
  if (clientIds.length === 0) {
    throw new Error('CLIENT_IDS is empty: name the app clients whose tokens are accepted');
  }
  const tokenUse = env.TOKEN_USE;
  if (tokenUse !== 'access' && tokenUse !== 'id') {
    throw new Error(`TOKEN_USE must be 'access' or 'id' (received ${JSON.stringify(tokenUse)})`);
  }
  const queryParameter = env.TOKEN_QUERY_PARAMETER || undefined;
  const header = env.TOKEN_HEADER || undefined;
  if ((queryParameter === undefined) === (header === undefined)) {
    throw new Error('set exactly one of TOKEN_QUERY_PARAMETER and TOKEN_HEADER');
  }
  const requiredScopes = (env.REQUIRED_SCOPES ?? '').split(/\s+/).filter(Boolean);
  return { userPoolId, clientIds, tokenUse, queryParameter, header, requiredScopes: requiredScopes.length > 0 ? requiredScopes : undefined };
}

/** Options for tests and custom deployments. */
export interface CognitoAuthorizerOptions {
  /** Where JWKS come from (aws-jwt-verify's cache with its fetcher). Default: fetched over https from Cognito. */
  readonly jwksCache?: JwksCache;
}

/** Builds the authorizer for a configuration. */
export function createCognitoAuthorizer(config: CognitoAuthorizerConfig, options: CognitoAuthorizerOptions = {}) {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: config.userPoolId,
    tokenUse: config.tokenUse,
    clientId: [...config.clientIds],
    scope: config.requiredScopes ? [...config.requiredScopes] : undefined,
  }, options.jwksCache ? { jwksCache: options.jwksCache } : undefined);

  return async (event: WebSocketAuthorizerEvent): Promise<AuthorizerResult> => {
    const log = createLogger({ requestId: event?.requestContext?.requestId });
    const token = tokenOf(event, config);
    if (!token) {
      log.warn('refused: no token', { source: config.queryParameter ? `query ${config.queryParameter}` : `header ${config.header}` });
      throw new Error('Unauthorized');
    }
    let payload: Record<string, unknown>;
    try {
      payload = await verifier.verify(token);
    } catch (err) {
      // aws-jwt-verify's messages name the failed check and claim, never the token (includeRawJwtInErrors is off).
      log.warn('refused: token did not verify', { reason: (err as Error)?.constructor?.name, detail: (err as Error)?.message?.slice(0, 300) });
      // API Gateway answers 401 for exactly this message; the cause stays in this function.
      throw new Error('Unauthorized', { cause: err });
    }
    const sub = typeof payload.sub === 'string' ? payload.sub : '';
    if (!sub) {
      log.warn('refused: token has no sub');
      throw new Error('Unauthorized');
    }
    const username = payload.username ?? payload['cognito:username'];
    const clientId = payload.client_id ?? payload.aud;
    log.info('allowed', { principalId: sub });
    return {
      principalId: sub,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
      },
      context: {
        ...(typeof username === 'string' ? { username } : {}),
        ...(typeof clientId === 'string' ? { clientId } : {}),
        tokenUse: config.tokenUse,
      },
    };
  };
}

/** The token from the configured query parameter or header ('Bearer ' prefix stripped). */
function tokenOf(event: WebSocketAuthorizerEvent, config: CognitoAuthorizerConfig): string | undefined {
  let raw: string | undefined;
  if (config.queryParameter) {
    raw = event?.queryStringParameters?.[config.queryParameter];
  } else if (config.header) {
    const wanted = config.header.toLowerCase();
    raw = Object.entries(event?.headers ?? {}).find(([k]) => k.toLowerCase() === wanted)?.[1];
  }
  if (typeof raw !== 'string') {
    return undefined;
  }
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  // A JWT is three base64url parts; anything longer than 16 KB is not a Cognito token.
  return token.length > 0 && token.length <= 16384 ? token : undefined;
}

let cached: ReturnType<typeof createCognitoAuthorizer> | undefined;

/** The Lambda entry point: configuration from the environment, read on first use. */
export const handler = (event: WebSocketAuthorizerEvent): Promise<AuthorizerResult> => {
  cached ??= createCognitoAuthorizer(cognitoAuthorizerConfig());
  return cached(event);
};
