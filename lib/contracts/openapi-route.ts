import type { ServerlessApi } from '../api/serverless-api';
import { RouteAuthorization } from '../auth/route-authorization';
import { propError } from '../core/errors';
import { Integration } from '../integrations/integration';
import type { BoundIntegration, IntegrationBindContext, IntegrationKind } from '../integrations/integration-binding';
import { renderResponses } from '../integrations/mapping-templates';
import { apiClientDocument } from './openapi-document';

/** Options of `ServerlessApi.serveOpenApi()`. */
export interface ServeOpenApiOptions {
  /**
   * The path the document is served at.
   * @default '/openapi.json'
   */
  readonly path?: string;
  /**
   * Who may read it.
   * @default - the API's `defaultAuthorization`
   */
  readonly authorization?: RouteAuthorization;
}

/** API Gateway's quota on one mapping template. */
const MAX_TEMPLATE_BYTES = 300 * 1024;
const RENDERING = new WeakSet<ServerlessApi>();

/**
 * A mock integration answering the API's own client document, rendered from the definition at every
 * synthesis (so it always describes the deployed routes, itself included).
 * @internal
 */
class OpenApiDocumentKind implements IntegrationKind {
  public bind(context: IntegrationBindContext): BoundIntegration {
    const api = context.api;
    return {
      render: render => {
        let body = '{}';
        // The document is rendered from the definition, which renders this route again: that inner
        // rendering answers '{}' (and is dropped: only its operation, not its template, is exported).
        if (!RENDERING.has(api)) {
          RENDERING.add(api);
          try {
            body = JSON.stringify(apiClientDocument(api));
          } finally {
            RENDERING.delete(api);
          }
          if (Buffer.byteLength(body) > MAX_TEMPLATE_BYTES || body.includes(']]#')) {
            throw propError(api, `route '${context.routeKey}'`, `${Buffer.byteLength(body)} bytes`,
              `serves an OpenAPI document that does not fit a mapping template (at most ${MAX_TEMPLATE_BYTES} bytes, no ']]#')`,
              'Serve the document from S3 or a function instead; the cloud assembly holds it (openapi/ folder).');
          }
        }
        const { integrationResponses, methodResponses } = renderResponses({
          default: { statusCode: 200, template: `#[[${body}]]#`, headers: { 'Cache-Control': '\'max-age=300\'' } },
        }, [], render.cors);
        return {
          integration: {
            type: 'mock',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            passthroughBehavior: 'never',
            responses: integrationResponses,
          },
          responses: methodResponses,
        };
      },
    };
  }
}

/** Adds the route serving the API's OpenAPI document. @internal */
export function serveOpenApi(api: ServerlessApi, options: ServeOpenApiOptions): void {
  api.addRoute({
    method: 'GET',
    path: options.path ?? '/openapi.json',
    integration: Integration._of('MOCK', new OpenApiDocumentKind()),
    authorization: options.authorization,
    operationId: 'GetOpenApiDocument',
  });
}
