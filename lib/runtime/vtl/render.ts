/**
 * Renders API Gateway mapping templates with velocityjs, a JavaScript implementation of Apache
 * Velocity (the engine API Gateway runs), and the API Gateway variables `$input`, `$util`,
 * `$context` and `$stageVariables`.
 *
 * Why velocityjs: it is the maintained Velocity engine for Node (MIT, one small dependency), parses
 * the full VTL grammar (#set, #if/#elseif, #foreach with $foreach.hasNext, #define, #macro), and lets
 * method calls be answered by our handlers, which is how Java's string/map/list semantics are given
 * back to templates (see ./java.ts). Writing a VTL parser would be the larger and riskier code.
 */
import { Compile, parse } from 'velocityjs';
import { ApiRequest, contextVariable, ResponseOverride } from './context';
import { InputParams, InputVariable } from './input';
import { javaMethodHandler } from './java';
import { utilVariable } from './util';

/** The outcome of one rendering. */
export interface RenderedTemplate {
  /** The template's output. */
  readonly output: string;
  /** What a response template set in `$context.responseOverride` (status and headers). */
  readonly responseOverride: ResponseOverride;
  /** What a request template set in `$context.requestOverride`. */
  readonly requestOverride: { header: Record<string, string>; path: Record<string, string>; querystring: Record<string, string> };
}

/** The parameters of a request, as `$input.params()` gives them. */
export function inputParams(request: ApiRequest): InputParams {
  return {
    path: { ...request.pathParameters },
    querystring: { ...request.queryStringParameters },
    header: { ...request.headers },
  };
}

/** What a template sees besides `$util`: `$input`'s payload and parameters, `$context`, `$stageVariables`. */
export interface TemplateScope {
  /** What `$input.body`, `$input.json()` and `$input.path()` read. */
  readonly payload: string;
  /** What `$input.params()` reads. */
  readonly params: InputParams;
  /**
   * `$context`. Rendering adds fresh `requestOverride` and `responseOverride` maps to a copy of it
   * (those a caller passes are replaced).
   */
  readonly context: Record<string, unknown>;
  readonly stageVariables?: Record<string, string>;
}

/** Parsed templates by text: parsing is pure and costs more than rendering short templates. */
const parsed = new Map<string, ReturnType<typeof parse>>();
const MAX_PARSED = 500;

function parseCached(template: string): ReturnType<typeof parse> {
  let asts = parsed.get(template);
  if (asts === undefined) {
    asts = parse(template);
    if (parsed.size >= MAX_PARSED) { parsed.clear(); }
    parsed.set(template, asts);
  }
  return asts;
}

/**
 * Renders `template` in `scope`: the engine under `renderTemplate`, for callers (the local server)
 * that build `$context` themselves, e.g. with `$context.error` for gateway responses.
 */
export function renderInScope(template: string, scope: TemplateScope): RenderedTemplate {
  const input = new InputVariable(scope.payload, scope.params);
  const util = utilVariable();
  const responseOverride: ResponseOverride = { header: {} };
  const context: Record<string, unknown> = {
    ...scope.context,
    requestOverride: { header: {}, path: {}, querystring: {} },
    responseOverride,
  };
  const compiled = new Compile(parseCached(template), {
    customMethodHandlers: [javaMethodHandler(new Set<object>([input, util]))],
  });
  const output = compiled.render({ input, util, context, stageVariables: { ...scope.stageVariables } }, undefined, true);
  return {
    output,
    responseOverride: context.responseOverride as ResponseOverride,
    requestOverride: context.requestOverride as RenderedTemplate['requestOverride'],
  };
}

/**
 * Renders `template` for `request`. `payload` is what `$input` reads: the request body for request
 * templates (the default), the integration's response body for response templates.
 *
 * Undefined references print as nothing, as in API Gateway. Throws `VtlError` for what API Gateway
 * would reject at runtime (a body that is not JSON read through `$input.json`, an unknown method).
 */
export function renderTemplate(template: string, request: ApiRequest, payload?: string, stageVariables: Record<string, string> = {}): RenderedTemplate {
  return renderInScope(template, {
    payload: payload ?? request.body ?? '',
    params: inputParams(request),
    context: contextVariable(request),
    stageVariables,
  });
}
