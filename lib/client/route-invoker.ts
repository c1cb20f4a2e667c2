/**
 * Invoking a route's function directly, without API Gateway: an internal caller with IAM permission
 * (`api.grantDirectInvoke(role, 'GET', '/items/{id}')`) sends the function the same API Gateway-shaped
 * event a request through the API would produce, through `@aws-sdk/client-lambda` (an optional peer
 * dependency: the Lambda runtime has it; install it elsewhere). The local server's Lambda Invoke API
 * answers these calls too: point the client's endpoint at it.
 *
 *   import { RouteInvoker } from 'serverless-api-constructs/client';
 */
import { randomUUID } from 'crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

/** The API Gateway REST proxy event (payload format 1.0), as `directEvent` builds it. */
export interface ProxyEvent {
  readonly resource: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly queryStringParameters: Record<string, string> | null;
  readonly multiValueQueryStringParameters: Record<string, string[]> | null;
  readonly pathParameters: Record<string, string> | null;
  readonly stageVariables: Record<string, string> | null;
  readonly requestContext: Record<string, unknown>;
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}

/** What a proxy-integration function returns. */
export interface ProxyResult {
  readonly statusCode: number;
  readonly headers?: Record<string, string | number | boolean>;
  readonly multiValueHeaders?: Record<string, Array<string | number | boolean>>;
  readonly body: string;
  readonly isBase64Encoded?: boolean;
}

/** A request to a route, as the function will see it. */
export interface DirectRequest {
  /** The HTTP method, e.g. 'GET'. */
  readonly method: string;
  /** The route's resource path as declared, e.g. '/items/{id}'. */
  readonly resource: string;
  /** Values of the path parameters, e.g. { id: '42' }. */
  readonly pathParameters?: Record<string, string>;
  /** Query string parameters; a list gives several values. */
  readonly query?: Record<string, string | string[]>;
  readonly headers?: Record<string, string>;
  /** The body: a string as is, anything else as JSON (with content-type application/json). */
  readonly body?: unknown;
  /** Cognito-style claims for `requestContext.authorizer.claims` (as API Gateway renders them: strings). */
  readonly claims?: Record<string, string>;
  /** The stage name in `requestContext.stage`. Default: 'direct'. */
  readonly stage?: string;
}

/** The function failed (Lambda's `FunctionError`): its error type and message. */
export class DirectInvokeError extends Error {
  constructor(public readonly errorType: string, message: string, public readonly functionError: string) {
    super(message);
    this.name = 'DirectInvokeError';
  }
}

/** Options of {@link RouteInvoker}. */
export interface RouteInvokerOptions {
  /** The function's name or ARN (pass it to the caller, e.g. as an environment variable). */
  readonly functionName: string;
  /** The Lambda client. Default: `new LambdaClient({})` (region and credentials from the environment). */
  readonly client?: LambdaClient;
}

/**
 * Invokes the function behind a route with an API Gateway REST proxy event and returns its proxy
 * result.
 *
 * @example
 * const items = new RouteInvoker({ functionName: process.env.GET_ITEM_FUNCTION! });
 * const res = await items.invoke({ method: 'GET', resource: '/items/{id}', pathParameters: { id: '42' } });
 * if (res.statusCode === 200) { const item = JSON.parse(res.body); }
 */
export class RouteInvoker {
  private readonly client: LambdaClient;

  constructor(private readonly options: RouteInvokerOptions) {
    this.client = options.client ?? new LambdaClient({});
  }

  public async invoke(request: DirectRequest): Promise<ProxyResult> {
    const response = await this.client.send(new InvokeCommand({
      FunctionName: this.options.functionName,
      InvocationType: 'RequestResponse',
      Payload: Buffer.from(JSON.stringify(directEvent(request))),
    }));
    const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : 'null';
    const payload = JSON.parse(text);
    if (response.FunctionError) {
      throw new DirectInvokeError(String(payload?.errorType ?? 'Error'), String(payload?.errorMessage ?? text), response.FunctionError);
    }
    if (!payload || typeof payload.statusCode !== 'number') {
      throw new DirectInvokeError('MalformedProxyResponse', `The function did not return a proxy result: ${text.slice(0, 200)}`, 'Handled');
    }
    return payload as ProxyResult;
  }
}

/** The API Gateway REST proxy event for a direct request. */
export function directEvent(request: DirectRequest): ProxyEvent {
  const method = request.method.toUpperCase();
  const pathParameters = request.pathParameters ?? {};
  // event.path carries the decoded values, as API Gateway passes them.
  const path = request.resource.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
    const value = pathParameters[name];
    if (value === undefined) { throw new Error(`Path parameter '${name}' of ${request.resource} has no value.`); }
    return value;
  });
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  let body: string | null = null;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    if (typeof request.body !== 'string' && !Object.keys(headers).some(h => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
  }
  const query = request.query ?? {};
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(query)) {
    const values = Array.isArray(v) ? v : [v];
    multi[k] = values;
    single[k] = values[values.length - 1];
  }
  const now = Date.now();
  const stage = request.stage ?? 'direct';
  return {
    resource: request.resource,
    path,
    httpMethod: method,
    headers: Object.keys(headers).length ? headers : {},
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(single).length ? single : null,
    multiValueQueryStringParameters: Object.keys(multi).length ? multi : null,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: '',
      apiId: 'direct',
      authorizer: request.claims ? { claims: request.claims } : null,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null,
        cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: '127.0.0.1', user: null, userAgent: 'direct-invoke', userArn: null,
      },
      path: `/${stage}${path}`,
      stage,
      requestId: randomUUID(),
      requestTimeEpoch: now,
      resourceId: 'direct',
      resourcePath: request.resource,
    },
    body,
    isBase64Encoded: false,
  };
}
