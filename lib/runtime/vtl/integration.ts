/**
 * What API Gateway does with an operation's `x-amazon-apigateway-integration` entry (non-proxy
 * integrations): pick the request template by content type, map request parameters, render the
 * request; then pick the integration response by the service's status, render its template and
 * apply its parameters and overrides. Pure functions of the entry and the request, shared by the
 * tests and (later) the local server.
 */
import { ApiRequest } from './context';
import { VtlError } from './java';
import { renderTemplate } from './render';

/** An integration response of an `x-amazon-apigateway-integration` entry. */
export interface IntegrationResponseEntry {
  readonly statusCode: string;
  readonly responseTemplates?: Record<string, string>;
  readonly responseParameters?: Record<string, string>;
}

/** The parts of an `x-amazon-apigateway-integration` entry the simulation reads. */
export interface IntegrationEntry {
  readonly type: string;
  readonly uri?: unknown;
  readonly httpMethod?: string;
  readonly requestParameters?: Record<string, string>;
  readonly requestTemplates?: Record<string, string>;
  readonly passthroughBehavior?: string;
  readonly responses?: Record<string, IntegrationResponseEntry>;
}

/** The integration request API Gateway would send, or the 4xx it answers instead. */
export type IntegrationRequestResult =
  | { readonly rejected: false; readonly body: string; readonly headers: Record<string, string>;
    readonly pathParameters: Record<string, string>; readonly queryStringParameters: Record<string, string>; readonly contentType: string }
  | { readonly rejected: true; readonly statusCode: number; readonly reason: string };

/** The media type of a Content-Type header, lower-case without parameters; JSON when absent. */
export function mediaType(headers: Record<string, string> = {}): string {
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type');
  const value = entry?.[1]?.split(';')[0].trim().toLowerCase();
  return value === undefined || value === '' ? 'application/json' : value;
}

/** The value of a `method.request.*` / `context.*` / `'static'` mapping expression. */
function mappingValue(expression: string, request: ApiRequest): string | undefined {
  const literal = /^'(.*)'$/s.exec(expression);
  if (literal) { return literal[1]; }
  const [, source, name] = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(expression) ?? [];
  if (source === 'path') { return request.pathParameters?.[name]; }
  if (source === 'querystring') { return request.queryStringParameters?.[name]; }
  if (source === 'header') {
    return Object.entries(request.headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  }
  if (expression === 'context.requestId') { return request.requestId; }
  throw new VtlError(`request parameter mapping '${expression}' is not supported by this simulation`);
}

/**
 * The integration request for `request`: 415 when the content type has no template and the
 * passthrough behaviour is NEVER (or WHEN_NO_TEMPLATES with templates), else the rendered body.
 */
export function renderIntegrationRequest(entry: IntegrationEntry, request: ApiRequest): IntegrationRequestResult {
  const templates = entry.requestTemplates ?? {};
  const type = mediaType(request.headers);
  const template = templates[type];
  const passthrough = String(entry.passthroughBehavior ?? 'when_no_match').toLowerCase();
  let body: string;
  if (template !== undefined) {
    body = renderTemplate(template, request).output;
  } else if (passthrough === 'never' || (passthrough === 'when_no_templates' && Object.keys(templates).length > 0)) {
    return { rejected: true, statusCode: 415, reason: `Unsupported Media Type: no template for '${type}'` };
  } else {
    body = request.body ?? '';
  }
  const headers: Record<string, string> = {};
  const pathParameters: Record<string, string> = {};
  const queryStringParameters: Record<string, string> = {};
  for (const [target, expression] of Object.entries(entry.requestParameters ?? {})) {
    const value = mappingValue(expression, request);
    const [, kind, name] = /^integration\.request\.(header|path|querystring)\.(.+)$/.exec(target) ?? [];
    if (!kind) { throw new VtlError(`request parameter target '${target}' is not supported by this simulation`); }
    if (value === undefined) { continue; }
    (kind === 'header' ? headers : kind === 'path' ? pathParameters : queryStringParameters)[name] = value;
  }
  return { rejected: false, body, headers, pathParameters, queryStringParameters, contentType: type };
}

/** What the integration (the AWS service or HTTP backend) answered. */
export interface ServiceResponse {
  readonly statusCode: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

/** The method response API Gateway sends the client. */
export interface MethodResponse {
  readonly statusCode: number;
  readonly body: string;
  readonly headers: Record<string, string>;
  /** The key of the integration response that was selected ('default' or a selection pattern). */
  readonly selected: string;
}

/**
 * The integration response for a service status: the first response whose selection pattern (a
 * Java regex over the status code, for AWS and HTTP integrations; over the error message, '' on
 * success, for Lambda integrations) matches it entirely, else `default`.
 */
export function selectIntegrationResponse(entry: IntegrationEntry, statusCode: number | string): [string, IntegrationResponseEntry] {
  const responses = entry.responses ?? {};
  for (const [pattern, response] of Object.entries(responses)) {
    if (pattern !== 'default' && new RegExp(`^(?:${pattern})$`).test(String(statusCode))) {
      return [pattern, response];
    }
  }
  const fallback = responses.default;
  if (!fallback) {
    throw new VtlError(`no integration response matches status ${statusCode} and there is no default`);
  }
  return ['default', fallback];
}

/** The method response for a service response: template rendered, parameters mapped, overrides applied. */
export function renderIntegrationResponse(entry: IntegrationEntry, request: ApiRequest, service: ServiceResponse): MethodResponse {
  const [selected, response] = selectIntegrationResponse(entry, service.statusCode);
  const templates = response.responseTemplates ?? {};
  const template = templates['application/json'] ?? Object.values(templates)[0];
  let body = service.body;
  let statusCode = Number(response.statusCode);
  const headers: Record<string, string> = {};
  for (const [target, expression] of Object.entries(response.responseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
    if (!name) { continue; }
    const literal = /^'(.*)'$/s.exec(expression);
    const fromHeader = /^integration\.response\.header\.(.+)$/.exec(expression);
    const value = literal ? literal[1] : fromHeader ? service.headers?.[fromHeader[1]] : mappingValue(expression, request);
    if (value !== undefined) { headers[name] = value; }
  }
  if (template !== undefined && template !== '') {
    const rendered = renderTemplate(template, request, service.body);
    body = rendered.output;
    if (rendered.responseOverride.status !== undefined && String(rendered.responseOverride.status) !== '') {
      statusCode = Number(rendered.responseOverride.status);
    }
    Object.assign(headers, rendered.responseOverride.header);
  }
  return { statusCode, body, headers, selected };
}
