import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

let counter = 0;

export interface EventOptions {
  method?: string;
  path?: string;
  /** JSON-serialized unless a string is given. `undefined` → no body. */
  body?: unknown;
  rawBody?: string | null;
  headers?: Record<string, string>;
  /** Set to false to omit the default Content-Type: application/json. */
  contentType?: string | false;
  pathParameters?: Record<string, string> | null;
  query?: Record<string, string> | null;
  isBase64Encoded?: boolean;
  apiKey?: string | null;
  requestId?: string;
}

/** Builds an API Gateway REST (v1) proxy event. */
export function apiEvent(opts: EventOptions = {}): APIGatewayProxyEvent {
  counter += 1;
  const requestId = opts.requestId ?? `req-${counter}`;
  const headers: Record<string, string> = {};
  let body: string | null = null;
  if (opts.rawBody !== undefined) {
    body = opts.rawBody;
  } else if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  if (body !== null && opts.contentType !== false) {
    headers['Content-Type'] = opts.contentType ?? 'application/json';
  }
  Object.assign(headers, opts.headers ?? {});
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    multiValueHeaders[k] = [v];
  }
  const query = opts.query ?? null;
  return {
    httpMethod: opts.method ?? 'GET',
    path: opts.path ?? '/items',
    resource: opts.pathParameters ? '/items/{id}' : '/items',
    body,
    isBase64Encoded: opts.isBase64Encoded ?? false,
    headers,
    multiValueHeaders,
    pathParameters: opts.pathParameters ?? null,
    queryStringParameters: query,
    multiValueQueryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]))
      : null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: opts.method ?? 'GET',
      path: `/test${opts.path ?? '/items'}`,
      stage: 'test',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'res',
      resourcePath: opts.pathParameters ? '/items/{id}' : '/items',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: opts.apiKey ?? null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '127.0.0.1',
        user: null,
        userAgent: 'jest',
        userArn: null,
      },
    },
  };
}

/** `/items/<id>` percent-encoded; an id encodeURIComponent refuses (lone surrogate) is put in raw. */
function itemPath(id: string): string {
  try {
    return `/items/${encodeURIComponent(id)}`;
  } catch {
    return `/items/${id}`;
  }
}

export const post = (body: unknown, opts: EventOptions = {}) =>
  apiEvent({ method: 'POST', path: '/items', body, ...opts });
export const getOne = (id: string, opts: EventOptions = {}) =>
  apiEvent({ method: 'GET', path: itemPath(id), pathParameters: { id }, ...opts });
export const list = (query: Record<string, string> | null = null, opts: EventOptions = {}) =>
  apiEvent({ method: 'GET', path: '/items', query, ...opts });
export const put = (id: string, body: unknown, opts: EventOptions = {}) =>
  apiEvent({ method: 'PUT', path: itemPath(id), pathParameters: { id }, body, ...opts });
export const del = (id: string, opts: EventOptions = {}) =>
  apiEvent({ method: 'DELETE', path: itemPath(id), pathParameters: { id }, ...opts });

export function lambdaContext(awsRequestId = `aws-${++counter}`): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
    memoryLimitInMB: '128',
    awsRequestId,
    logGroupName: '/aws/lambda/fn',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 30000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function parseBody(res: APIGatewayProxyResult): any {
  return JSON.parse(res.body);
}

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Invokes a handler and checks the invariants every response must satisfy: never throws,
 * never 5xx unless allowed, standard headers, X-Request-Id = event requestId, JSON body (except 204).
 */
export async function invoke(handler: Handler, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const res = await handler(event, lambdaContext());
  const headers = res.headers ?? {};
  expect(headers['Cache-Control']).toBe('no-store');
  expect(headers['X-Content-Type-Options']).toBe('nosniff');
  expect(headers['X-Request-Id']).toBe(event.requestContext.requestId);
  if (res.statusCode === 204) {
    expect(res.body).toBe('');
    expect(headers['Content-Type']).toBeUndefined();
  } else {
    expect(headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(() => JSON.parse(res.body)).not.toThrow();
    if (res.statusCode >= 400) {
      const err = JSON.parse(res.body).error;
      expect(typeof err.code).toBe('string');
      expect(typeof err.message).toBe('string');
      expect(err.requestId).toBe(event.requestContext.requestId);
    }
  }
  return res;
}

/** Captures everything written to console.log/info/warn/error (and keeps the test output quiet). */
export function captureConsole(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    }),
  );
  return { lines, restore: () => spies.forEach((s) => s.mockRestore()) };
}
