import type { InvokeOutcome } from '../lambda/function-pool';
import { evaluatePolicy } from './iam-policy';
import { GatewayError, GatewayErrors } from '../gateway/gateway-responses';

/** A Lambda authorizer as the OpenAPI body declares it (`x-amazon-apigateway-authorizer`). */
export interface AuthorizerScheme {
  readonly name: string;
  readonly type: 'token' | 'request';
  /** The authorizer function's ARN (from `authorizerUri`). */
  readonly functionArn: string;
  /** Comma-separated identity sources, e.g. 'method.request.header.Authorization'. */
  readonly identitySource: string;
  readonly validationExpression?: string;
  readonly ttlSeconds: number;
}

/** What an authorizer sees of a request. */
export interface AuthorizerRequest {
  readonly methodArn: string;
  readonly resource: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly query: Record<string, string>;
  readonly multiValueQuery: Record<string, string[]>;
  readonly pathParameters: Record<string, string>;
  readonly stageVariables: Record<string, string>;
  readonly requestContext: Record<string, unknown>;
}

/** Admitted (with `requestContext.authorizer` and the usage identifier key), or refused. */
export type AuthorizerVerdict =
  | { readonly ok: true; readonly authorizer: Record<string, unknown>; readonly usageIdentifierKey?: string }
  | { readonly ok: false; readonly error: GatewayError; readonly detail: string };

interface Decision {
  readonly expires: number;
  readonly principalId: string;
  readonly statements: any[];
  readonly context: Record<string, string>;
  readonly usageIdentifierKey?: string;
}

/**
 * Lambda (custom) authorizers, run locally as API Gateway runs them: the identity sources are read
 * (a missing one is 401 without calling the function), a token is checked against the validation
 * expression, the function gets the TOKEN or REQUEST event, and its policy is evaluated against the
 * request's method ARN (Deny or no Allow: 403). A function error "Unauthorized" is 401; any other
 * error or a malformed result is 500 AuthorizerConfigurationException. Decisions are cached per
 * identity for the authorizer's TTL, and a cached policy is evaluated against each request's ARN (so a
 * policy naming only the first resource refuses the others, as on AWS).
 */
export class LambdaAuthorizers {
  private readonly cache = new Map<string, Decision>();

  constructor(private readonly invoke: (functionArn: string, event: unknown) => Promise<InvokeOutcome | undefined>) {}

  public async authorize(scheme: AuthorizerScheme, request: AuthorizerRequest, now: number = Date.now()): Promise<AuthorizerVerdict> {
    const sources = scheme.identitySource.split(',').map(s => s.trim()).filter(Boolean);
    const values = sources.map(s => identityValue(s, request));
    let token: string | undefined;
    if (scheme.type === 'token') {
      token = values[0];
      if (!token) { return refuse(GatewayErrors.unauthorized(), `identity source ${sources[0]} is missing`); }
      if (scheme.validationExpression && !new RegExp(`^(?:${scheme.validationExpression})$`).test(token)) {
        return refuse(GatewayErrors.unauthorized(), 'the token does not match the validation expression');
      }
    } else if (scheme.ttlSeconds > 0 && values.some(v => v === undefined || v === '')) {
      return refuse(GatewayErrors.unauthorized(), `identity source ${sources[values.findIndex(v => !v)]} is missing`);
    }
    const cacheKey = `${scheme.name}\u0000${values.map(v => v ?? '').join('\u0000')}`;
    let decision = scheme.ttlSeconds > 0 ? this.cache.get(cacheKey) : undefined;
    let latency = 0;
    if (!decision || decision.expires <= now) {
      const event = scheme.type === 'token'
        ? { type: 'TOKEN', authorizationToken: token, methodArn: request.methodArn }
        : {
          type: 'REQUEST',
          methodArn: request.methodArn,
          resource: request.resource,
          path: request.path,
          httpMethod: request.httpMethod,
          headers: request.headers,
          multiValueHeaders: request.multiValueHeaders,
          queryStringParameters: request.query,
          multiValueQueryStringParameters: request.multiValueQuery,
          pathParameters: request.pathParameters,
          stageVariables: request.stageVariables,
          requestContext: request.requestContext,
        };
      const started = Date.now();
      const outcome = await this.invoke(scheme.functionArn, event);
      latency = Date.now() - started;
      if (!outcome) {
        return refuse(GatewayErrors.authorizerConfiguration(), `the authorizer function ${scheme.functionArn} is not in the stage`);
      }
      if (outcome.error) {
        return outcome.error.errorMessage === 'Unauthorized'
          ? refuse(GatewayErrors.unauthorized(), 'the authorizer answered Unauthorized')
          : refuse(GatewayErrors.authorizerConfiguration(), `the authorizer failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
      }
      const parsed = parseResult(outcome.payload);
      if (typeof parsed === 'string') {
        return refuse(GatewayErrors.authorizerConfiguration(), `the authorizer's result is malformed: ${parsed}`);
      }
      decision = { ...parsed, expires: now + scheme.ttlSeconds * 1000 };
      if (scheme.ttlSeconds > 0) { this.cache.set(cacheKey, decision); }
    }
    const verdict = evaluatePolicy(decision.statements, { action: 'execute-api:Invoke', resource: request.methodArn, context: {} });
    if (verdict === 'Deny') {
      return refuse(GatewayErrors.accessDenied('User is not authorized to access this resource with an explicit deny'), 'the policy denies the method');
    }
    if (verdict !== 'Allow') {
      return refuse(GatewayErrors.accessDenied('User is not authorized to access this resource'), 'the policy does not allow the method');
    }
    return {
      ok: true,
      authorizer: { ...decision.context, principalId: decision.principalId, integrationLatency: latency },
      usageIdentifierKey: decision.usageIdentifierKey,
    };
  }
}

function refuse(error: GatewayError, detail: string): AuthorizerVerdict {
  return { ok: false, error, detail };
}

function parseResult(payload: unknown): Omit<Decision, 'expires'> | string {
  if (!payload || typeof payload !== 'object') { return 'not an object'; }
  const result = payload as Record<string, any>;
  if (result.principalId === undefined || result.principalId === null) { return 'principalId is missing'; }
  const document = result.policyDocument;
  if (!document || typeof document !== 'object' || !document.Statement) { return 'policyDocument with Statement is missing'; }
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const context: Record<string, string> = {};
  for (const [key, value] of Object.entries(result.context ?? {})) {
    if (value !== null && typeof value === 'object') { return `context.${key} is not a string, number or boolean`; }
    context[key] = String(value);
  }
  return { principalId: String(result.principalId), statements, context, usageIdentifierKey: result.usageIdentifierKey };
}

function identityValue(source: string, r: AuthorizerRequest): string | undefined {
  const m = /^(method\.request\.(header|querystring|multivalueheader|multivaluequerystring)|stageVariables|context)\.(.+)$/.exec(source);
  if (!m) { return undefined; }
  const [, , where, name] = m;
  const kind = where ?? m[1];
  switch (kind) {
    case 'header': return findCaseless(r.headers, name);
    case 'multivalueheader': {
      const key = Object.keys(r.multiValueHeaders).find(k => k.toLowerCase() === name.toLowerCase());
      return key ? r.multiValueHeaders[key].join(',') : undefined;
    }
    case 'querystring': return r.query[name];
    case 'multivaluequerystring': return r.multiValueQuery[name]?.join(',');
    case 'stageVariables': return r.stageVariables[name];
    case 'context': {
      let value: any = r.requestContext;
      for (const part of name.split('.')) { value = value?.[part]; }
      return value === undefined || value === null ? undefined : String(value);
    }
  }
  return undefined;
}

function findCaseless(map: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(map).find(k => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : map[key];
}
