/**
 * `$context` of API Gateway mapping templates, built from an HTTP request as API Gateway would see it.
 */

/** The caller, as API Gateway identifies it (each field '' when the auth type does not provide it). */
export interface RequestIdentity {
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly accountId?: string;
  readonly apiKey?: string;
  readonly apiKeyId?: string;
  readonly caller?: string;
  readonly user?: string;
  readonly userArn?: string;
  readonly cognitoIdentityId?: string;
  readonly cognitoIdentityPoolId?: string;
  readonly cognitoAuthenticationType?: string;
  readonly cognitoAuthenticationProvider?: string;
}

/**
 * What the route's authorizer established: a Cognito user pool's token claims, or a Lambda
 * authorizer's principal and context.
 */
export interface RequestAuthorizer {
  readonly principalId?: string;
  readonly claims?: Record<string, string>;
  /** A Lambda authorizer's `context` map (values are strings in templates). */
  readonly context?: Record<string, string | number | boolean>;
}

/** An HTTP request to a REST API route, as mapping templates see it. */
export interface ApiRequest {
  /** 'GET', 'POST', ... */
  readonly httpMethod: string;
  /** The route's path as declared, e.g. '/orders/{id}'. */
  readonly resourcePath: string;
  /** The requested path without the stage, e.g. '/orders/42'. */
  readonly path: string;
  readonly pathParameters?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** The raw body text ('' or undefined for none). */
  readonly body?: string;
  readonly requestId?: string;
  readonly stage?: string;
  readonly apiId?: string;
  /** The API owner's account. */
  readonly accountId?: string;
  readonly domainName?: string;
  readonly identity?: RequestIdentity;
  readonly authorizer?: RequestAuthorizer;
  /** Request time, epoch milliseconds. */
  readonly requestTimeEpoch?: number;
}

/** The writable `$context.responseOverride` a response template may set. */
export interface ResponseOverride {
  status?: number | string;
  header: Record<string, string>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$context.requestTime` format (CLF): `09/Apr/2015:12:34:56 +0000`. Also the local server's proxy events. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/**
 * The `$context` object of one request. Values a request does not have are '' (API Gateway prints
 * a missing value as nothing). `responseOverride` and `requestOverride` are fresh, writable maps.
 */
export function contextVariable(request: ApiRequest): Record<string, unknown> {
  const stage = request.stage ?? 'dev';
  const epoch = request.requestTimeEpoch ?? 0;
  const identity = request.identity ?? {};
  const authorizer = request.authorizer ?? {};
  const identityFields = ['sourceIp', 'userAgent', 'accountId', 'apiKey', 'apiKeyId', 'caller', 'user', 'userArn', 'cognitoIdentityId',
    'cognitoIdentityPoolId', 'cognitoAuthenticationType', 'cognitoAuthenticationProvider'] as const;
  return {
    accountId: request.accountId ?? '123456789012',
    apiId: request.apiId ?? 'abcdef1234',
    authorizer: {
      ...Object.fromEntries(Object.entries(authorizer.context ?? {}).map(([k, v]) => [k, String(v)])),
      principalId: authorizer.principalId ?? '',
      claims: { ...authorizer.claims },
    },
    domainName: request.domainName ?? 'abcdef1234.execute-api.eu-west-1.amazonaws.com',
    domainPrefix: (request.domainName ?? 'abcdef1234').split('.')[0],
    extendedRequestId: request.requestId ?? 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    httpMethod: request.httpMethod.toUpperCase(),
    identity: Object.fromEntries(identityFields.map(f => [f, identity[f] ?? ''])),
    path: `/${stage}${request.path}`,
    protocol: 'HTTP/1.1',
    requestId: request.requestId ?? 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    requestTime: clfTime(epoch),
    requestTimeEpoch: epoch,
    resourceId: 'abc123',
    resourcePath: request.resourcePath,
    stage,
    requestOverride: { header: {}, path: {}, querystring: {} },
    responseOverride: { header: {} },
  };
}
