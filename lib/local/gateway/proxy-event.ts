import { randomBytes } from 'crypto';
import { clfTime } from '../../runtime/vtl';

/** A request as the gateway received it. */
export interface GatewayRequest {
  readonly requestId: string;
  readonly method: string;
  /** The full request path as sent (percent-encoded), without the query string. */
  readonly rawPath: string;
  readonly rawQuery: string;
  /** Headers in the order and case received: [name, value] pairs. */
  readonly rawHeaders: Array<[string, string]>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly requestTimeEpoch: number;
  /** The Host header (e.g. 127.0.0.1:3000). */
  readonly host: string;
}

/** Where the request landed: the API's stage, the route, and the path below the base path. */
export interface MatchedRoute {
  readonly apiId: string;
  readonly accountId: string;
  readonly stage: string;
  /** The resource path as declared, e.g. '/items/{id}'. */
  readonly resourcePath: string;
  /** The path the API sees: below the base path for domain mappings ('/items/1' of '/v1/items/1' is '/v1/items/1' on AWS). */
  readonly path: string;
  /** `requestContext.path`: '/dev/items/1' on the stage URL, the full path on a custom domain. */
  readonly contextPath: string;
  readonly pathParameters: { [name: string]: string };
  readonly stageVariables: { [name: string]: string };
  readonly domainName: string;
  readonly binaryMediaTypes: string[];
}

/** `requestContext.identity` fields filled by IAM auth or an API key. */
export interface CallerIdentity {
  readonly accessKey?: string;
  readonly accountId?: string;
  readonly caller?: string;
  readonly user?: string;
  readonly userArn?: string;
  readonly apiKey?: string;
  readonly apiKeyId?: string;
}

/** Single- and multi-value views of headers and query parameters, as the REST proxy event has them. */
export function requestMaps(request: GatewayRequest): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  query: Record<string, string>;
  multiValueQuery: Record<string, string[]>;
} {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of request.rawHeaders) {
    const existing = Object.keys(multiValueHeaders).find(k => k.toLowerCase() === name.toLowerCase()) ?? name;
    (multiValueHeaders[existing] ??= []).push(value);
    headers[existing] = value;
  }
  const query: Record<string, string> = {};
  const multiValueQuery: Record<string, string[]> = {};
  for (const part of request.rawQuery.split('&')) {
    if (part === '') { continue; }
    const eq = part.indexOf('=');
    const key = decodeQuery(eq < 0 ? part : part.slice(0, eq));
    const value = decodeQuery(eq < 0 ? '' : part.slice(eq + 1));
    (multiValueQuery[key] ??= []).push(value);
    query[key] = value;
  }
  return { headers, multiValueHeaders, query, multiValueQuery };
}

/**
 * The Lambda proxy integration event API Gateway sends for a REST API (payload format 1.0): the
 * request's headers and query string in single- and multi-value form (the last value wins in the
 * single-value maps), URL-decoded query values and path parameters, the body as a string (base64
 * with `isBase64Encoded` when its content type is one of the API's binary media types), and the
 * `requestContext` (identity, authorizer, stage, ids and times).
 */
export function proxyEvent(
  request: GatewayRequest,
  route: MatchedRoute,
  extra: { identity?: CallerIdentity; authorizer?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const maps = requestMaps(request);
  const headers = { ...maps.headers };
  const multiValueHeaders = { ...maps.multiValueHeaders };
  // Headers API Gateway adds on the way to the integration.
  for (const [name, value] of [
    ['X-Forwarded-For', request.sourceIp],
    ['X-Forwarded-Port', request.host.split(':')[1] ?? '80'],
    ['X-Forwarded-Proto', 'http'],
    ['X-Amzn-Trace-Id', traceId(request.requestTimeEpoch)],
  ] as const) {
    if (!Object.keys(headers).some(k => k.toLowerCase() === name.toLowerCase())) {
      headers[name] = value;
      multiValueHeaders[name] = [value];
    }
  }
  const contentType = maps.headers[Object.keys(maps.headers).find(k => k.toLowerCase() === 'content-type') ?? ''] ?? '';
  const binary = isBinary(contentType, route.binaryMediaTypes);
  const userAgent = maps.headers[Object.keys(maps.headers).find(k => k.toLowerCase() === 'user-agent') ?? ''] ?? null;
  const identity = extra.identity ?? {};
  return {
    resource: route.resourcePath,
    path: route.path,
    httpMethod: request.method,
    headers: nullIfEmpty(headers),
    multiValueHeaders: nullIfEmpty(multiValueHeaders),
    queryStringParameters: nullIfEmpty(maps.query),
    multiValueQueryStringParameters: nullIfEmpty(maps.multiValueQuery),
    pathParameters: nullIfEmpty(route.pathParameters),
    stageVariables: nullIfEmpty(route.stageVariables),
    requestContext: {
      resourceId: resourceId(route.resourcePath),
      ...(extra.authorizer ? { authorizer: extra.authorizer } : {}),
      resourcePath: route.resourcePath,
      httpMethod: request.method,
      extendedRequestId: extendedRequestId(request.requestId),
      requestTime: clfTime(request.requestTimeEpoch),
      path: route.contextPath,
      accountId: route.accountId,
      protocol: 'HTTP/1.1',
      stage: route.stage,
      domainPrefix: route.domainName.split('.')[0],
      requestTimeEpoch: request.requestTimeEpoch,
      requestId: request.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        ...(identity.apiKey !== undefined ? { apiKey: identity.apiKey, apiKeyId: identity.apiKeyId } : {}),
        accountId: identity.accountId ?? null,
        cognitoIdentityId: null,
        caller: identity.caller ?? null,
        sourceIp: request.sourceIp,
        principalOrgId: null,
        accessKey: identity.accessKey ?? null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: identity.userArn ?? null,
        userAgent,
        user: identity.user ?? null,
      },
      domainName: route.domainName,
      deploymentId: resourceId(`${route.apiId}/${route.stage}`),
      apiId: route.apiId,
    },
    body: request.body.length === 0 ? null : binary ? request.body.toString('base64') : request.body.toString('utf8'),
    isBase64Encoded: binary && request.body.length > 0,
  };
}

/** Whether a content type is one of the API's binary media types (`image/png`, `image/*`, `*\/*`). */
export function isBinary(contentType: string, binaryMediaTypes: string[]): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (!type) { return false; }
  return binaryMediaTypes.some(t => {
    const pattern = t.replace(/~1/g, '/').toLowerCase();
    if (pattern === '*/*') { return true; }
    if (pattern.endsWith('/*')) { return type.startsWith(pattern.slice(0, -1)); }
    return pattern === type;
  });
}

function nullIfEmpty<T extends object>(o: T): T | null {
  return Object.keys(o).length === 0 ? null : o;
}

function decodeQuery(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function resourceId(seed: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(6, '0').slice(0, 6);
}

function extendedRequestId(requestId: string): string {
  return Buffer.from(requestId.replace(/-/g, '').slice(0, 12), 'hex').toString('base64').replace(/[+/=]/g, 'A').slice(0, 16);
}

function traceId(epochMs: number): string {
  return `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}
