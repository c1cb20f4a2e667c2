import { propError } from '../core/errors';
import type { BoundIntegration, IntegrationBindContext, IntegrationKind } from './integration-binding';
import { renderResponses } from './mapping-templates';

/** Options of {@link Integration.mock}. */
export interface MockIntegrationOptions {
  /** The status of the answer, 200-599. */
  readonly statusCode: number;
  /**
   * A fixed body, sent as is (it is not a template: `$` and `#` are plain text). For
   * `application/json` it must be JSON. Excludes `template`.
   * @default - no body (unless `template` is set)
   */
  readonly body?: string;
  /**
   * A response mapping template (Velocity) rendering the body per request, with `$input.params()`,
   * `$context` and `$util`. Excludes `body`.
   * @default - no template
   */
  readonly template?: string;
  /**
   * Fixed response headers, e.g. `{ 'Cache-Control': 'max-age=60' }`.
   * @default - the library's standard headers only
   */
  readonly headers?: { [name: string]: string };
}

const HEADER = /^[A-Za-z0-9!#$%&*+.^_`|~-]{1,128}$/;

/**
 * A route answered by API Gateway itself: a fixed or templated response, no backend. For `/health`,
 * or the stub of an API not built yet.
 * @internal
 */
export class MockIntegrationKind implements IntegrationKind {
  constructor(private readonly options: MockIntegrationOptions) {}

  public bind(context: IntegrationBindContext): BoundIntegration {
    const options = this.options ?? {} as MockIntegrationOptions;
    const prop = `route '${context.routeKey}' integration`;
    const status = options.statusCode;
    if (status === undefined) {
      throw propError(context.api, `${prop} statusCode`, status, 'is missing: a mock answers with a fixed status',
        'Pass statusCode, e.g. Integration.mock({ statusCode: 200, body: \'{"status":"ok"}\' }).');
    }
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw propError(context.api, `${prop} statusCode`, status, 'must be an integer from 200 to 599', 'Use e.g. 200.');
    }
    if (options.body !== undefined && options.template !== undefined) {
      throw propError(context.api, `${prop} body`, options.body, 'and template are both set', 'Pass a fixed body, or a template, not both.');
    }
    if (options.body !== undefined) {
      try {
        JSON.parse(options.body);
      } catch {
        throw propError(context.api, `${prop} body`, options.body, 'is not JSON', 'Mock bodies are answered as application/json: give JSON, e.g. \'{"status":"ok"}\'.');
      }
      if (options.body.includes(']]#')) {
        throw propError(context.api, `${prop} body`, options.body, 'contains \']]#\', which ends the unparsed block it is written in',
          'Write it as \']] #\' inside strings, or use a template.');
      }
    }
    const headers = options.headers ?? {};
    for (const [name, value] of Object.entries(headers)) {
      if (!HEADER.test(name) || typeof value !== 'string' || value.includes('\'') || /[\r\n]/.test(value)) {
        throw propError(context.api, `${prop} headers['${name}']`, value, 'is not a valid header name and plain value (no single quote, no line break)',
          'Give a header name and a plain value, e.g. { \'Cache-Control\': \'max-age=60\' }.');
      }
    }
    // Path parameters of a mock route only route (a stub of '/orders/{id}' answers every id): nothing is
    // forwarded, so unlike other integrations a mock may leave them unused.
    // An unparsed block: the body is text, never Velocity.
    const template = options.template ?? (options.body !== undefined ? `#[[${options.body}]]#` : '');
    return {
      render: render => {
        const { integrationResponses, methodResponses } = renderResponses({
          default: {
            statusCode: status,
            template,
            headers: Object.fromEntries(Object.entries(headers).map(([h, v]) => [h, `'${v}'`])),
          },
        }, [], render.cors);
        return {
          integration: {
            type: 'mock',
            requestTemplates: { 'application/json': `{"statusCode": ${status}}` },
            passthroughBehavior: 'never',
            responses: integrationResponses,
          },
          responses: methodResponses,
        };
      },
    };
  }
}
