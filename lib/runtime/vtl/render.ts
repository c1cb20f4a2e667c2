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

/**
 * Renders `template` for `request`. `payload` is what `$input` reads: the request body for request
 * templates (the default), the integration's response body for response templates.
 *
 * Undefined references print as nothing, as in API Gateway. Throws `VtlError` for what API Gateway
 * would reject at runtime (a body that is not JSON read through `$input.json`, an unknown method).
 */
export function renderTemplate(template: string, request: ApiRequest, payload?: string, stageVariables: Record<string, string> = {}): RenderedTemplate {
  const input = new InputVariable(payload ?? request.body ?? '', inputParams(request));
  const util = utilVariable();
  const context = contextVariable(request);
  const compiled = new Compile(parse(template), {
    customMethodHandlers: [javaMethodHandler(new Set<object>([input, util]))],
  });
  const output = compiled.render({ input, util, context, stageVariables: { ...stageVariables } }, undefined, true);
  return {
    output,
    responseOverride: context.responseOverride as ResponseOverride,
    requestOverride: context.requestOverride as RenderedTemplate['requestOverride'],
  };
}
