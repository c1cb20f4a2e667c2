import { createHash, randomUUID, sign } from 'crypto';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { UserPoolSpec } from '../assembly/stage-model';
import type { LocalSecrets } from '../local-secrets';

/** What `mint` needs: who the tokens are for. */
export interface TokenRequest {
  /** The user name (`cognito:username`); an e-mail address also becomes the `email` claim. */
  readonly username: string;
  /**
   * Cognito groups (`cognito:groups`).
   * @default none
   */
  readonly groups?: string[];
  /**
   * OAuth scopes of the access token, beyond `aws.cognito.signin.user.admin`.
   * @default none
   */
  readonly scopes?: string[];
  /**
   * The user pool (id, logical ID or construct path).
   * @default the stage's first pool
   */
  readonly userPool?: string;
  /**
   * The app client id.
   * @default the pool's first client
   */
  readonly clientId?: string;
  /**
   * Extra claims of the ID token, e.g. { 'custom:tenant': 'acme' }.
   * @default none
   */
  readonly claims?: { [name: string]: string | number | boolean };
  /**
   * Lifetime in seconds. Negative values mint expired tokens.
   * @default the client's token validity
   */
  readonly expiresInSeconds?: number;
}

/** A minted ID and access token pair, as Cognito's InitiateAuth returns them. */
export interface TokenPair {
  readonly idToken: string;
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly tokenType: 'Bearer';
}

/** The outcome of verifying a token the way API Gateway's Cognito authorizer does. */
export type CognitoVerdict =
  | { readonly ok: true; readonly claims: { [name: string]: string } }
  | { readonly ok: false; readonly reason: string };

const OIDC_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];

/**
 * The stage's Cognito user pools, locally: each has the issuer a deployed pool has
 * (`https://cognito-idp.<region>.amazonaws.com/<pool id>`, with a local pool id), a JWKS, and mints ID
 * and access tokens for any user with groups and scopes. Tokens are RS256 JWTs shaped like Cognito's.
 * Verification is API Gateway's COGNITO_USER_POOLS authorizer: signature (JWKS), issuer of one of the
 * authorizer's pools, expiry, an audience / client id of that pool, and the token use: an ID token
 * when the method has no scopes, else an access token carrying at least one of them. It is done by
 * `aws-jwt-verify` (AWS's own library for Cognito JWTs) against the local JWKS.
 */
export class LocalUserPools {
  private readonly verifier?: ReturnType<typeof CognitoJwtVerifier.create>;

  constructor(public readonly pools: UserPoolSpec[], private readonly secrets: LocalSecrets) {
    if (pools.length > 0) {
      const verifier = CognitoJwtVerifier.create(pools.map(p => ({ userPoolId: p.id, tokenUse: null, clientId: null })));
      for (const pool of pools) {
        (verifier as any).cacheJwks(this.jwks(), pool.id);
      }
      this.verifier = verifier;
    }
  }

  /** The issuer (`iss`) of a pool's tokens. */
  public issuer(pool: UserPoolSpec): string {
    return `https://cognito-idp.${pool.region}.amazonaws.com/${pool.id}`;
  }

  /** The JWKS every local pool signs with. */
  public jwks(): { keys: Array<Record<string, unknown>> } {
    const { publicKey, kid } = this.secrets.signingKey();
    return { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };
  }

  /** The pool a request names (id, logical ID or construct path), or the first. */
  public pool(name?: string): UserPoolSpec | undefined {
    if (name === undefined || name === '') { return this.pools[0]; }
    return this.pools.find(p => p.id === name || p.logicalId === name || p.path === name || p.arn === name);
  }

  /** Mints an ID and an access token, as Cognito issues them after sign-in. Throws on unknown pool, client or scope. */
  public mint(request: TokenRequest): TokenPair {
    const pool = this.pool(request.userPool);
    if (!pool) {
      throw new Error(this.pools.length === 0
        ? 'The stage has no Cognito user pool.'
        : `No user pool '${request.userPool}'. Pools: ${this.pools.map(p => `${p.id} (${p.path})`).join(', ')}.`);
    }
    const client = request.clientId ? pool.clients.find(c => c.id === request.clientId) : pool.clients[0];
    if (!client) {
      throw new Error(request.clientId ? `User pool ${pool.id} has no app client '${request.clientId}'.` : `User pool ${pool.id} has no app client.`);
    }
    if (typeof request.username !== 'string' || request.username.trim() === '') {
      throw new Error('username must be a non-empty string.');
    }
    const scopes = request.scopes ?? [];
    const unknown = scopes.filter(s => !OIDC_SCOPES.includes(s) && !pool.scopes.includes(s));
    if (unknown.length > 0) {
      throw new Error(`Scopes ${unknown.join(', ')} are not defined by user pool ${pool.id} (it defines: ${[...pool.scopes, ...OIDC_SCOPES].join(', ')}).`);
    }
    const groups = request.groups ?? [];
    const now = Math.floor(Date.now() / 1000);
    const sub = uuidFrom(`${pool.id}/${request.username}`);
    const originJti = randomUUID();
    const common = {
      'sub': sub,
      ...(groups.length > 0 ? { 'cognito:groups': groups } : {}),
      'iss': this.issuer(pool),
      'origin_jti': originJti,
      'event_id': randomUUID(),
      'auth_time': now,
    };
    const idLifetime = request.expiresInSeconds ?? Math.round(client.idTokenMinutes * 60);
    const accessLifetime = request.expiresInSeconds ?? Math.round(client.accessTokenMinutes * 60);
    const idToken = this.sign({
      ...common,
      'email_verified': request.username.includes('@'),
      'cognito:username': request.username,
      'aud': client.id,
      'token_use': 'id',
      ...(request.username.includes('@') ? { email: request.username } : {}),
      ...request.claims,
      'exp': now + idLifetime,
      'iat': now,
      'jti': randomUUID(),
    });
    const accessToken = this.sign({
      ...common,
      'client_id': client.id,
      'token_use': 'access',
      'scope': ['aws.cognito.signin.user.admin', ...scopes].join(' '),
      'exp': now + accessLifetime,
      'iat': now,
      'jti': randomUUID(),
      'username': request.username,
    });
    return { idToken, accessToken, expiresIn: accessLifetime, tokenType: 'Bearer' };
  }

  /**
   * Verifies the Authorization header of a request to a method with a Cognito authorizer of the pools
   * `providerArns`, requiring one of `scopes` when given.
   */
  public verify(authorization: string | undefined, providerArns: string[], scopes: string[]): CognitoVerdict {
    if (!authorization) { return { ok: false, reason: 'no token' }; }
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    const pools = this.pools.filter(p => providerArns.includes(p.arn) || providerArns.includes(p.id));
    if (!this.verifier || pools.length === 0) {
      return { ok: false, reason: `the authorizer's user pools (${providerArns.join(', ')}) are not in the stage` };
    }
    let payload: Record<string, unknown>;
    try {
      payload = (this.verifier as any).verifySync(token, {
        tokenUse: scopes.length > 0 ? 'access' : 'id',
        clientId: pools.flatMap(p => p.clients.map(c => c.id)),
        scope: scopes.length > 0 ? scopes : null,
      });
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
    if (!pools.some(p => payload.iss === this.issuer(p))) {
      return { ok: false, reason: `issuer ${String(payload.iss)} is not one of the authorizer's user pools` };
    }
    return { ok: true, claims: eventClaims(payload) };
  }

  private sign(payload: Record<string, unknown>): string {
    const { privateKey, kid } = this.secrets.signingKey();
    const header = { kid, alg: 'RS256' };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url');
    return `${input}.${signature}`;
  }
}

/**
 * Claims as a REST API passes them to the integration (`requestContext.authorizer.claims`): every
 * value a string, `exp`/`iat` in Java's Date format ('Fri Jul 29 18:52:53 UTC 2016'), lists (groups)
 * joined with commas.
 */
export function eventClaims(payload: Record<string, unknown>): { [name: string]: string } {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) { continue; }
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') {
      out[name] = javaDate(new Date(value * 1000));
    } else if (Array.isArray(value)) {
      out[name] = value.join(',');
    } else if (typeof value === 'string') {
      out[name] = value;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      out[name] = String(value);
    } else {
      out[name] = JSON.stringify(value);
    }
  }
  return out;
}

function javaDate(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** A stable UUID-shaped `sub` for a user name, so one user keeps one `sub` across restarts. */
function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
