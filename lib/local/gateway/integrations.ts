import * as http from 'http';
import * as https from 'https';
import { IntegrationEntry, IntegrationResponseEntry, selectIntegrationResponse, VtlError } from '../../runtime/vtl';
import type { ServiceRequest, ServiceResponse } from '../services/aws-stand-ins';
import { GatewayError, GatewayErrors, HttpResponse, parameterValue } from './gateway-responses';
import { renderTemplate, TemplateInput } from './mapping-template';

/** What a non-Lambda integration needs of the request. */
export interface IntegrationRequest {
  readonly method: string;
  readonly input: TemplateInput;
  readonly contentType: string;
  readonly rawQuery: string;
  readonly rawHeaders: Array<[string, string]>;
  readonly body: Buffer;
  readonly timeoutMs: number;
  /** Where HTTP integrations to an origin go instead, by origin. */
  readonly backends?: { [origin: string]: string };
}

/** Headers never forwarded to an HTTP backend (hop-by-hop, and the ones the client sent for us). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

/**
 * The request mapping template for the request's content type, or what the passthrough behavior
 * does without one: WHEN_NO_MATCH passes the body through; WHEN_NO_TEMPLATES passes it through only when
 * no template is defined; NEVER rejects the content type with 415 Unsupported Media Type.
 * (AWS: "Method request data mapping and passthrough behaviors", API Gateway developer guide.)
 */
export function requestTemplate(integration: Record<string, any>, contentType: string): { template?: string } | GatewayError {
  const templates: Record<string, string> = integration.requestTemplates ?? {};
  const mediaType = contentType.split(';')[0].trim().toLowerCase() || 'application/json';
  const key = Object.keys(templates).find(k => k.toLowerCase() === mediaType);
  if (key !== undefined) { return { template: templates[key] }; }
  const behavior = String(integration.passthroughBehavior ?? 'when_no_match').toLowerCase();
  if (behavior === 'never' || (behavior === 'when_no_templates' && Object.keys(templates).length > 0)) {
    return GatewayErrors.unsupportedMediaType();
  }
  return {};
}

/**
 * A MOCK integration: the request template yields `{"statusCode": N}`, which selects the integration
 * response (selection patterns match the status code; `default` otherwise); its parameters become
 * headers and its template the body.
 */
export function mockIntegration(integration: Record<string, any>, request: IntegrationRequest): HttpResponse | GatewayError {
  const selected = requestTemplate(integration, request.contentType);
  if ('type' in selected) { return selected; }
  let statusCode = 200;
  if (selected.template !== undefined) {
    const rendered = renderTemplate(selected.template, request.input).body;
    try {
      const parsed = JSON.parse(rendered || '{}');
      if (parsed && parsed.statusCode !== undefined) { statusCode = Number(parsed.statusCode); }
    } catch {
      return GatewayErrors.configuration();
    }
  }
  return mapIntegrationResponse(integration, String(statusCode), { statusCode, headers: [], body: Buffer.alloc(0) }, request.input);
}

/**
 * An HTTP integration (non-proxy): the request template (or passthrough body) goes to the backend,
 * and its response is mapped through the integration responses.
 */
export async function httpIntegration(integration: Record<string, any>, request: IntegrationRequest): Promise<HttpResponse | GatewayError> {
  const selected = requestTemplate(integration, request.contentType);
  if ('type' in selected) { return selected; }
  const body = selected.template !== undefined ? Buffer.from(renderTemplate(selected.template, request.input).body) : request.body;
  const url = backendUrl(integration, request.input, request.backends);
  const headers = mappedRequestHeaders(integration, request.input);
  headers['content-type'] ??= selected.template !== undefined ? 'application/json' : request.contentType;
  const response = await callBackend(String(integration.httpMethod ?? request.method).toUpperCase(), url, headers, body, request.timeoutMs);
  if ('type' in response) { return response; }
  return mapIntegrationResponse(integration, String(response.statusCode), response, request.input);
}

/** An HTTP_PROXY integration: the request goes to the backend as is, and its response comes back as is. */
export async function httpProxyIntegration(integration: Record<string, any>, request: IntegrationRequest): Promise<HttpResponse | GatewayError> {
  const url = backendUrl(integration, request.input, request.backends);
  if (request.rawQuery) { url.search = url.search ? `${url.search}&${request.rawQuery}` : `?${request.rawQuery}`; }
  const headers: Record<string, string> = {};
  for (const [name, value] of request.rawHeaders) {
    if (!HOP_BY_HOP.has(name.toLowerCase())) { headers[name.toLowerCase()] = value; }
  }
  Object.assign(headers, mappedRequestHeaders(integration, request.input));
  const method = String(integration.httpMethod ?? 'ANY').toUpperCase();
  return callBackend(method === 'ANY' ? request.method : method, url, headers, request.body, request.timeoutMs);
}

/** What an AWS service integration calls: a local stand-in of the service, or `undefined` when there is none. */
export type ServiceCall = (request: ServiceRequest) => Promise<ServiceResponse | undefined>;

/** `arn:aws:apigateway:<region>:<service>:<action|path>/<target>` → its parts. */
export function serviceOf(uri: string): { service: string; form: string; target: string } | undefined {
  const m = /^arn:[^:]+:apigateway:[^:]*:([^:]+):(action|path)\/(.*)$/s.exec(uri);
  return m ? { service: m[1].split('.').pop()!, form: m[2], target: m[3] } : undefined;
}

/**
 * An AWS service integration: the request template (or passthrough body) and the mapped headers go to
 * the service's local stand-in, and its answer, in the service's own format, goes through the
 * integration responses (selected by its status code). `undefined` when the service or action has no
 * stand-in.
 */
export async function awsServiceIntegration(integration: Record<string, any>, request: IntegrationRequest, requestId: string,
  call: ServiceCall): Promise<HttpResponse | GatewayError | undefined> {
  const target = serviceOf(String(integration.uri ?? ''));
  if (!target) { return undefined; }
  const selected = requestTemplate(integration, request.contentType);
  if ('type' in selected) { return selected; }
  const body = selected.template !== undefined ? Buffer.from(renderTemplate(selected.template, request.input).body) : request.body;
  const headers = mappedRequestHeaders(integration, request.input);
  headers['content-type'] ??= request.contentType || 'application/json';
  const response = await call({
    service: target.service,
    form: target.form,
    target: target.form === 'path' ? fillPath(target.target, integration, request.input, false) : target.target,
    httpMethod: String(integration.httpMethod ?? request.method),
    headers,
    body,
    requestId,
  });
  if (!response) { return undefined; }
  return mapIntegrationResponse(integration, String(response.statusCode), response, request.input);
}

/**
 * `{name}` placeholders of an integration URI filled from `integration.request.path.name` parameters
 * (or the method's path parameter of that name); a greedy value ('a/b' of {proxy+}) keeps its slashes,
 * as in API Gateway's '{proxy}' URIs.
 */
function fillPath(uri: string, integration: Record<string, any>, input: TemplateInput, encode = true): string {
  const mapped = integrationParameters(integration, input);
  return uri.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = mapped.path[name.replace(/\+$/, '')] ?? input.pathParameters[name.replace(/\+$/, '')] ?? '';
    return encode ? value.split('/').map(encodeURIComponent).join('/') : value;
  });
}

/** The backend URL, with `{name}` placeholders filled from `integration.request.path.name` parameters. */
function backendUrl(integration: Record<string, any>, input: TemplateInput, backends?: { [origin: string]: string }): URL {
  const mapped = integrationParameters(integration, input);
  let url = new URL(fillPath(String(integration.uri ?? ''), integration, input));
  const replacement = backends?.[url.origin];
  if (replacement !== undefined) {
    const base = new URL(replacement);
    url = new URL(`${base.origin}${base.pathname.replace(/\/$/, '')}${url.pathname}${url.search}`);
  }
  for (const [name, value] of Object.entries(mapped.querystring)) { url.searchParams.set(name, value); }
  return url;
}

function mappedRequestHeaders(integration: Record<string, any>, input: TemplateInput): Record<string, string> {
  return Object.fromEntries(Object.entries(integrationParameters(integration, input).header).map(([k, v]) => [k.toLowerCase(), v]));
}

function integrationParameters(integration: Record<string, any>, input: TemplateInput): { path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string> } {
  const out = { path: {} as Record<string, string>, querystring: {} as Record<string, string>, header: {} as Record<string, string> };
  for (const [target, source] of Object.entries<string>(integration.requestParameters ?? {})) {
    const m = /^integration\.request\.(path|querystring|header)\.(.+)$/.exec(target);
    if (!m) { continue; }
    const value = parameterValue(String(source), input);
    if (value !== undefined) { out[m[1] as 'path' | 'querystring' | 'header'][m[2]] = value; }
  }
  return out;
}

/**
 * Picks the integration response whose selection pattern matches `selector` (a status code, or a
 * Lambda error message), else `default`, and renders it: status, `method.response.header.*`
 * parameters, and the response template (or the backend body passed through).
 */
export function mapIntegrationResponse(integration: Record<string, any>, selector: string, backend: HttpResponse, input: TemplateInput): HttpResponse | GatewayError {
  let chosen: IntegrationResponseEntry;
  try {
    [, chosen] = selectIntegrationResponse(integration as IntegrationEntry, selector);
  } catch (err) {
    // "No match for output mapping and no default output mapping": an API configuration error (500).
    if (err instanceof VtlError) { return GatewayErrors.configuration(); }
    throw err;
  }
  const backendBody = backend.body.toString('utf8');
  const backendHeaders = Object.fromEntries(backend.headers.map(([k, v]) => [k.toLowerCase(), v]));
  const responseInput: TemplateInput = { ...input, body: backendBody };
  const headers: Array<[string, string]> = [];
  for (const [target, source] of Object.entries<string>(chosen.responseParameters ?? {})) {
    const m = /^method\.response\.header\.(.+)$/.exec(target);
    if (!m) { continue; }
    const integrationHeader = /^integration\.response\.header\.(.+)$/.exec(String(source));
    const value = integrationHeader
      ? backendHeaders[integrationHeader[1].toLowerCase()]
      : String(source) === 'integration.response.body' ? backendBody : parameterValue(String(source), input);
    if (value !== undefined) { headers.push([m[1], value]); }
  }
  const templates: Record<string, string> = chosen.responseTemplates ?? {};
  const contentType = Object.keys(templates).find(k => k.toLowerCase() === 'application/json') ?? Object.keys(templates)[0];
  let body = backend.body;
  let statusCode = Number(chosen.statusCode ?? backend.statusCode ?? 200);
  if (contentType !== undefined) {
    const rendered = renderTemplate(templates[contentType], responseInput);
    body = Buffer.from(rendered.body);
    if (rendered.statusOverride !== undefined) { statusCode = rendered.statusOverride; }
    for (const [name, value] of Object.entries(rendered.headerOverrides)) {
      const index = headers.findIndex(([k]) => k.toLowerCase() === name.toLowerCase());
      if (index >= 0) { headers.splice(index, 1); }
      headers.push([name, value]);
    }
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type') && body.length > 0) {
      headers.push(['Content-Type', contentType]);
    }
  } else if (backendHeaders['content-type'] && !headers.some(([k]) => k.toLowerCase() === 'content-type')) {
    headers.push(['Content-Type', backendHeaders['content-type']]);
  }
  return { statusCode, headers, body };
}

function callBackend(method: string, url: URL, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<HttpResponse | GatewayError> {
  return new Promise(resolve => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method, headers: { ...headers, 'content-length': String(body.length) } }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const out: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (!HOP_BY_HOP.has(res.rawHeaders[i].toLowerCase())) { out.push([res.rawHeaders[i], res.rawHeaders[i + 1]]); }
        }
        resolve({ statusCode: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
      });
      res.on('error', () => resolve(GatewayErrors.integrationFailure()));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve(GatewayErrors.integrationTimeout());
    });
    req.on('error', () => resolve(GatewayErrors.integrationFailure()));
    req.end(body);
  });
}
