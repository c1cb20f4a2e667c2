/**
 * Building blocks of the mapping templates (Velocity) the integrations generate, and the method and
 * integration responses around them. Every value a template takes from a request or a service
 * reaches JSON through `jsonString`/`escaped` (or is JSON already): no request can break out of a
 * string into the service request.
 *
 * Rendered with a real Velocity engine and hostile requests in test/integrations/templates.test.ts.
 */
import { CorsOptions } from '../auth/cors-options';

/**
 * Undoes `$util.escapeJavaScript`'s `\'`, which is not valid JSON, the way AWS documents:
 * escaping emits backslashes in pairs, so the regex only ever meets the `\'` of a quote.
 */
const UNESCAPE_QUOTE = String.raw`.replaceAll("\\'","'")`;

/** A VTL expression's value, escaped for the inside of a JSON string (no surrounding quotes). */
export function escaped(expression: string): string {
  return `$util.escapeJavaScript(${expression})${UNESCAPE_QUOTE}`;
}

/** A VTL expression's value as a JSON string literal, quotes included. */
export function jsonString(expression: string): string {
  return `"${escaped(expression)}"`;
}

/**
 * A VTL expression's value escaped twice: a string inside a JSON document that is itself the value
 * of a JSON string (Step Functions `input`). Surrounding quotes are written by the caller as `\"`.
 */
export function escapedTwice(expression: string): string {
  return `$util.escapeJavaScript(${escaped(expression)})${UNESCAPE_QUOTE}`;
}

/**
 * Whether a constant can be written into a template as a JSON string as is: no Velocity syntax
 * (`$`, `#`), no quotes or backslashes, no control characters.
 */
export function isTemplateSafe(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  return /^[^$#"\\\x00-\x1f']*$/.test(text);
}

/** `{"error":{"code":..,"message":..,"requestId":..}}` with constant code and message. */
export function errorJson(code: string, message: string): string {
  return `{"error":{"code":${JSON.stringify(code)},"message":${JSON.stringify(message)},"requestId":"$context.requestId"}}`;
}

/**
 * A response template that renders nothing: an empty template is no template to API Gateway (the
 * service's body would pass through), so a 204 needs one that outputs nothing.
 */
export const NO_BODY = '#set($noBody = "")';

/** A response template line setting the status of the method response. */
export function setStatus(status: number): string {
  return `#set($context.responseOverride.status=${status})`;
}

/** How a service error (code, message) maps to the library's error shape. */
export interface ErrorRule {
  /** Service error codes (without the `com.amazon...#` prefix) this rule covers. */
  readonly codes: string[];
  /** The status the client gets. */
  readonly status: number;
  /** The library's error code, e.g. 'BadRequest'. */
  readonly code: string;
  /** A message for the client (never the service's own message: it may name ARNs and roles). */
  readonly message: string;
  /** Matches only when the service's message contains this text. */
  readonly messageContains?: string;
  /** Matches codes by this Java regex instead of `codes`. */
  readonly pattern?: string;
}

/** The library's error codes by status, for the fallbacks. */
export const INTERNAL_ERROR: Omit<ErrorRule, 'codes'> = { status: 500, code: 'InternalError', message: 'The request could not be completed.' };
export const THROTTLED: Omit<ErrorRule, 'codes'> = { status: 429, code: 'TooManyRequests', message: 'The service is busy; retry with backoff.' };

/** The error codes AWS services answer throttling with (ThrottlingException, ProvisionedThroughputExceededException, SlowDown, ...). */
export const THROTTLING_PATTERN = '.*(Throttl|ThroughputExceeded|LimitExceeded|TooManyRequests|SlowDown).*';
export const BAD_GATEWAY: Omit<ErrorRule, 'codes'> = { status: 502, code: 'BadGateway', message: 'The service behind this route failed.' };

/**
 * A response template for a service's error answer: reads the error code from the JSON error shapes
 * AWS services use (`__type` of JSON protocols, `Error.Code` of query protocols; only one is ever
 * present), picks the first matching rule, and answers the library's error shape with the rule's
 * status. Bodies that are not JSON (XML errors) fall through to `fallback`.
 *
 * Written compact, on one line: an API has one copy per route, in a template limited to 1 MB.
 */
export function serviceErrorTemplate(rules: ErrorRule[], fallback: Omit<ErrorRule, 'codes'>): string {
  const parts = [
    '#set($c="")#set($m="")',
    '#if($input.body.startsWith("{"))',
    '#set($c="$!input.path(\'$.__type\')$!input.path(\'$.Error.Code\')")',
    ...(rules.some(r => r.messageContains) ? ['#set($m="$!input.path(\'$.message\')$!input.path(\'$.Message\')$!input.path(\'$.Error.Message\')")'] : []),
    '#end',
    '#set($c=$c.replaceAll("^.*#",""))',
  ];
  // Each branch only picks status, code and message; one line at the end writes them.
  const pick = (rule: Omit<ErrorRule, 'codes'>): string => `#set($s=${rule.status})#set($k="${rule.code}")#set($t="${rule.message}")`;
  rules.forEach((rule, i) => {
    const codes = rule.pattern ? `$c.matches("${rule.pattern}")` : rule.codes.map(c => `$c=="${c}"`).join('||');
    const condition = rule.messageContains ? `(${codes})&&$m.contains("${rule.messageContains}")` : codes;
    parts.push(`${i === 0 ? '#if' : '#elseif'}(${condition})`, pick(rule));
  });
  parts.push(rules.length > 0 ? '#{else}' : '', pick(fallback), rules.length > 0 ? '#{end}' : '');
  parts.push('#set($context.responseOverride.status=$s){"error":{"code":"$k","message":"$t","requestId":"$context.requestId"}}');
  return parts.join('');
}

/** A response template answering one fixed error, whatever the service said. */
export function fixedErrorTemplate(error: Omit<ErrorRule, 'codes'>): string {
  return setStatus(error.status) + errorJson(error.code, error.message);
}

/** Method response headers every non-proxy JSON response carries (as the Lambda runtime's do). */
const STANDARD_HEADERS: Record<string, string> = {
  'Cache-Control': '\'no-store\'',
  'X-Content-Type-Options': '\'nosniff\'',
  'X-Request-Id': 'context.requestId',
};

/** CORS response headers of non-proxy responses: the preflight's origin rules, on every answer. */
function corsHeaders(cors: CorsOptions | undefined): { parameters: Record<string, string>; template: string } {
  if (!cors) { return { parameters: {}, template: '' }; }
  const origins = cors.allowOrigins;
  const parameters: Record<string, string> = { 'Access-Control-Allow-Origin': `'${origins[0]}'` };
  if (origins[0] !== '*') { parameters.Vary = '\'Origin\''; }
  if (cors.allowCredentials) { parameters['Access-Control-Allow-Credentials'] = '\'true\''; }
  const others = origins.slice(1);
  const template = others.length === 0 ? '' : [
    '#set($origin = $input.params().header.get("Origin"))',
    '#if("$!origin" == "")#set($origin = $input.params().header.get("origin"))#end',
    `#if(${others.map(o => `$origin == "${o}"`).join(' || ')})`,
    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    '#end',
  ].join('\n') + '\n';
  return { parameters, template };
}

/** One integration response of a non-proxy integration, before the standard and CORS headers. */
export interface ResponseSpec {
  /** The status the method response gets (a template may still override it). */
  readonly statusCode: number;
  /** The response template for application/json; undefined passes the service's body through. */
  readonly template?: string;
  /** Extra method response header mappings, e.g. `{ 'Content-Type': 'integration.response.header.Content-Type' }`. */
  readonly headers?: Record<string, string>;
}

/**
 * The `responses` of an integration entry (keyed by selection pattern) and the operation's method
 * responses, with the standard headers, CORS headers, and every status a template may set declared.
 */
export function renderResponses(specs: Record<string, ResponseSpec>, extraStatuses: number[], cors: CorsOptions | undefined)
  : { integrationResponses: Record<string, any>; methodResponses: Record<string, any> } {
  const corsPart = corsHeaders(cors);
  const integrationResponses: Record<string, any> = {};
  const headerNames = new Set<string>();
  const statuses = new Set<number>(extraStatuses);
  for (const [pattern, spec] of Object.entries(specs)) {
    const parameters = { ...STANDARD_HEADERS, ...corsPart.parameters, ...spec.headers };
    Object.keys(parameters).forEach(h => headerNames.add(h));
    statuses.add(spec.statusCode);
    integrationResponses[pattern] = {
      statusCode: String(spec.statusCode),
      responseParameters: Object.fromEntries(Object.entries(parameters).map(([h, v]) => [`method.response.header.${h}`, v])),
      ...(spec.template !== undefined ? { responseTemplates: { 'application/json': corsPart.template + spec.template } } : {}),
    };
  }
  // Headers are declared where integration responses map them; statuses only a template sets (by
  // $context.responseOverride) keep the headers of the response that rendered them.
  const mapped = new Set(Object.values(specs).map(spec => spec.statusCode));
  const headers = Object.fromEntries([...headerNames].sort().map(h => [h, { schema: { type: 'string' } }]));
  const methodResponses = Object.fromEntries([...statuses].sort((a, b) => a - b).map(status => [String(status), {
    description: `${status} response`,
    ...(mapped.has(status) ? { headers } : {}),
  }]));
  return { integrationResponses, methodResponses };
}
