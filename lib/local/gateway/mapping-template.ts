/**
 * Mapping templates (Velocity) as the local server renders them: the library's one Velocity runtime
 * (lib/runtime/vtl: velocityjs with API Gateway's `$input`, `$util` and Java semantics), given the
 * `$context` this server builds for the request (identity, authorizer, `$context.error` for gateway
 * responses). Only the adaptation from the server's request shape lives here.
 */
import { renderInScope } from '../../runtime/vtl';

/** What a template sees of the request. */
export interface TemplateInput {
  readonly context: Record<string, any>;
  readonly stageVariables: { [name: string]: string };
  readonly headers: { [name: string]: string };
  readonly query: { [name: string]: string };
  readonly pathParameters: { [name: string]: string };
  readonly body: string;
}

/** The rendered body and what the template overrode (`$context.responseOverride`). */
export interface TemplateOutput {
  readonly body: string;
  readonly statusOverride?: number;
  readonly headerOverrides: { [name: string]: string };
}

/**
 * Renders `template` for a request (`input.body` is what `$input` reads: the request body, or the
 * integration's answer for a response template). Throws the runtime's `VtlError` for what API
 * Gateway rejects at run time (`InvalidJsonBodyError` for a body `$input.json` cannot read), and
 * velocityjs's error for a template it cannot parse.
 */
export function renderTemplate(template: string, input: TemplateInput): TemplateOutput {
  if (!template.includes('$') && !template.includes('#')) {
    return { body: template, headerOverrides: {} }; // static text: nothing to evaluate
  }
  const rendered = renderInScope(template, {
    payload: input.body,
    params: { path: input.pathParameters, querystring: input.query, header: input.headers },
    context: input.context,
    stageVariables: input.stageVariables,
  });
  const override = rendered.responseOverride;
  const headerOverrides: Record<string, string> = {};
  for (const [name, value] of Object.entries(override.header ?? {})) { headerOverrides[name] = String(value); }
  const status = override.status === undefined || override.status === '' ? undefined : Number(override.status);
  return { body: rendered.output, statusOverride: status !== undefined && Number.isFinite(status) ? status : undefined, headerOverrides };
}
