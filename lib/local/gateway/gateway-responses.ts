import { GATEWAY_RESPONSE_STATUS } from '../../core/gateway-response-types';
import type { GatewayResponseSpec } from '../assembly/stage-model';
import { renderTemplate, TemplateInput } from './mapping-template';

/** An error API Gateway answers itself (no integration involved), by gateway response type. */
export interface GatewayError {
  /** The gateway response type, e.g. 'MISSING_AUTHENTICATION_TOKEN'. */
  readonly type: string;
  /** `$context.error.message` (null for AuthorizerConfigurationException, as on AWS). */
  readonly message: string | null;
  /** `x-amzn-ErrorType`, when API Gateway sends one. */
  readonly errorType?: string;
  /** `$context.error.validationErrorString`. */
  readonly validationErrorString?: string;
}

/** A response ready to write. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
}


/** The errors of this server, with AWS's messages and `x-amzn-ErrorType`s. */
export const GatewayErrors = {
  missingAuthenticationToken: (): GatewayError => ({ type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' }),
  invalidApiKey: (): GatewayError => ({ type: 'INVALID_API_KEY', message: 'Forbidden', errorType: 'ForbiddenException' }),
  throttled: (): GatewayError => ({ type: 'THROTTLED', message: 'Too Many Requests', errorType: 'TooManyRequestsException' }),
  quotaExceeded: (): GatewayError => ({ type: 'QUOTA_EXCEEDED', message: 'Limit Exceeded', errorType: 'LimitExceededException' }),
  unauthorized: (): GatewayError => ({ type: 'UNAUTHORIZED', message: 'Unauthorized', errorType: 'UnauthorizedException' }),
  accessDenied: (message: string): GatewayError => ({ type: 'ACCESS_DENIED', message, errorType: 'AccessDeniedException' }),
  invalidSignature: (message: string, errorType: string): GatewayError => ({ type: 'INVALID_SIGNATURE', message, errorType }),
  badRequestBody: (validation: string): GatewayError => ({ type: 'BAD_REQUEST_BODY', message: 'Invalid request body', errorType: 'BadRequestException', validationErrorString: validation }),
  badRequestParameters: (names: string[]): GatewayError => ({
    type: 'BAD_REQUEST_PARAMETERS', message: `Missing required request parameters: [${names.join(', ')}]`, errorType: 'BadRequestException',
  }),
  unsupportedMediaType: (): GatewayError => ({ type: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Media Type', errorType: 'UnsupportedMediaTypeException' }),
  integrationTimeout: (): GatewayError => ({ type: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out', errorType: 'InternalServerErrorException' }),
  integrationFailure: (): GatewayError => ({ type: 'INTEGRATION_FAILURE', message: 'Internal server error', errorType: 'InternalServerErrorException' }),
  /** A Lambda function error or a malformed Lambda proxy response: 502 with DEFAULT_5XX's shape. */
  badGateway: (): GatewayError => ({ type: 'DEFAULT_5XX', message: 'Internal server error', errorType: 'InternalServerErrorException' }),
  configuration: (): GatewayError => ({ type: 'API_CONFIGURATION_ERROR', message: 'Internal server error', errorType: 'InternalServerErrorException' }),
  authorizerConfiguration: (): GatewayError => ({ type: 'AUTHORIZER_CONFIGURATION_ERROR', message: null, errorType: 'AuthorizerConfigurationException' }),
  /** `$input.json`/`$input.path` on a body that is not JSON: 400 with the parser's message. */
  badRequestJson: (message: string): GatewayError => ({ type: 'BAD_REQUEST_BODY', message, errorType: 'BadRequestException' }),
  /**
   * An integration the local server does not serve (not an AWS answer): 501 in the DEFAULT_5XX shape,
   * its message naming the integration and the route.
   */
  notServedLocally: (detail: string): GatewayError => ({ type: 'LOCAL_NOT_SERVED', message: detail, errorType: 'NotImplementedLocally' }),
  requestTooLarge: (): GatewayError => ({ type: 'REQUEST_TOO_LARGE', message: 'Request Too Long', errorType: 'RequestTooLargeException' }),
};

/**
 * Renders a gateway error as the API's gateway responses define it: the response of its type, else
 * DEFAULT_4XX / DEFAULT_5XX, else API Gateway's built-in `{"message":"..."}`. Status codes follow the
 * type's default unless the response (or its DEFAULT_ group) sets one; headers come from
 * `gatewayresponse.header.*` parameters ('static', `method.request.header.X`, ...), the body from the
 * `application/json` template with `$context` variables.
 */
export function renderGatewayError(
  responses: { [type: string]: GatewayResponseSpec },
  error: GatewayError,
  input: TemplateInput,
  statusOverride?: number,
): HttpResponse {
  const defaultStatus = statusOverride ?? GATEWAY_RESPONSE_STATUS[error.type] ?? 500;
  const group = defaultStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const specific = error.type.startsWith('DEFAULT_') ? undefined : responses[error.type];
  const fallback = responses[group];
  const chosen = specific ?? fallback;
  const statusCode = Number(specific?.statusCode ?? fallback?.statusCode ?? defaultStatus);
  const context = {
    ...input.context,
    error: {
      message: error.message,
      messageString: JSON.stringify(error.message),
      responseType: error.type,
      // Substituted JSON-escaped, as API Gateway's answers show it inside a template's JSON string
      // ('"message": "$context.error.validationErrorString"' answers "[object has missing required
      // properties ([\"name\"])]"): raw quotes would make the library's BAD_REQUEST_BODY body invalid JSON.
      validationErrorString: JSON.stringify(error.validationErrorString ?? '').slice(1, -1),
    },
  };
  const templates = chosen?.responseTemplates ?? {};
  const template = templates['application/json'] ?? Object.values(templates)[0] ?? '{"message":$context.error.messageString}';
  const body = renderTemplate(template, { ...input, context }).body;
  const headers: Array<[string, string]> = [['Content-Type', 'application/json']];
  if (error.errorType) { headers.push(['x-amzn-ErrorType', error.errorType]); }
  for (const [name, source] of Object.entries(chosen?.responseParameters ?? {})) {
    const match = /^gatewayresponse\.header\.(.+)$/.exec(name);
    if (!match) { continue; }
    const value = parameterValue(source, { ...input, context });
    if (value !== undefined) { headers.push([match[1], value]); }
  }
  return { statusCode, headers, body: Buffer.from(body) };
}

/**
 * The value of a mapping expression of `responseParameters`: `'literal'`, `method.request.header.X`,
 * `method.request.querystring.x`, `method.request.path.x`, `stageVariables.x`, `context.x.y`.
 */
export function parameterValue(source: string, input: TemplateInput): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) { return literal[1]; }
  const request = /^method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.(.+)$/.exec(source);
  if (request) {
    const [, where, name] = request;
    if (where === 'header' || where === 'multivalueheader') {
      const found = Object.entries(input.headers).find(([k]) => k.toLowerCase() === name.toLowerCase());
      return found?.[1];
    }
    if (where === 'querystring' || where === 'multivaluequerystring') { return input.query[name]; }
    return input.pathParameters[name];
  }
  const stageVariable = /^stageVariables\.(.+)$/.exec(source);
  if (stageVariable) { return input.stageVariables[stageVariable[1]]; }
  const context = /^context\.(.+)$/.exec(source);
  if (context) {
    let value: any = input.context;
    for (const part of context[1].split('.')) { value = value?.[part]; }
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}
