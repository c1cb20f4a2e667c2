import { Validations } from 'aws-cdk-lib';
import { ParsedPath, parsePath } from '../api/route-path';
import type { ServerlessApi } from '../api/serverless-api';
import { preflightOperation } from '../auth/cors-options';
import { RouteAuthorization } from '../auth/route-authorization';
import { propError } from '../core/errors';
import { pascalRouteId } from '../core/names';
import { routeFinding } from '../nag/open-api-body';
import { HttpIntegrationKind } from './http-integration';
import { Integration } from './integration';
import type { BoundIntegration, IntegrationBindContext } from './integration-binding';

/** Options of {@link ServerlessApi.addFallback}. */
export interface FallbackOptions {
  /**
   * Who may call the paths the fallback serves.
   * @default - the API's `defaultAuthorization`
   */
  readonly authorization?: RouteAuthorization;
  /**
   * Whether callers of the fallback need an API key.
   * @default false
   */
  readonly apiKeyRequired?: boolean;
}

interface FallbackState {
  readonly kind: HttpIntegrationKind;
  /** Derived fallback routes by path: 'ANY' on each declared path and its ancestors. */
  readonly derived: Map<string, BoundIntegration>;
  /** The reason `ANY /{proxy+}` is acknowledged public, when it is: its derived routes are too. */
  publicReason?: string;
}

const FALLBACKS = new WeakMap<ServerlessApi, FallbackState>();
const HTTP_KINDS = ['HTTP', 'NLB', 'ALB', 'VPC_LINK'];
const CATCH_ALL = '/{proxy+}';

/**
 * The strangler fig: every request the API does not serve goes to a legacy HTTP backend, and every
 * route declared on the API (Lambda or any integration) takes precedence, whether declared before
 * or after.
 *
 * API Gateway routes a request to the most specific resource, and a resource answers only the
 * methods it declares: with `ANY /{proxy+}` alone, `POST /orders/1` would get 403 once
 * `GET /orders/{id}` is declared, and `GET /orders` once `/orders/{id}` exists. So besides
 * `ANY /` and `ANY /{proxy+}`, the fallback puts `ANY` (the backend at the same path) on every
 * declared path and on each of its ancestors, unless the path declares `ANY` itself. Moving a route
 * from the backend to the API changes that route's branch of the body, nothing else.
 * @internal
 */
export function addFallback(api: ServerlessApi, integration: Integration, options: FallbackOptions): void {
  if (FALLBACKS.has(api)) {
    throw propError(api, 'addFallback', integration?.kind, 'is called twice', 'An API has one fallback backend.');
  }
  if (!(integration instanceof Integration) || !HTTP_KINDS.includes(integration.kind)) {
    throw propError(api, 'addFallback integration', integration instanceof Integration ? integration.kind : integration,
      'is not an HTTP integration: a fallback forwards any path to a backend', 'Use Integration.http(\'https://legacy.example.com\'), .nlb(nlb) or .alb(alb).');
  }
  let kind = integration._impl as HttpIntegrationKind;
  const fixed = kind._fixedUrl;
  if (fixed !== undefined) {
    if (fixed.includes('{') || fixed.endsWith('/')) {
      throw propError(api, 'addFallback integration url', fixed, 'is not a base URL: the fallback appends each request\'s path to it',
        `Give the backend's base URL without a trailing '/' or path parameters, e.g. '${fixed.replace(/\/?\{.*$|\/+$/, '')}'.`);
    }
    kind = kind._withUrl(context => fixed + context.parsed.path.replace(/\{([A-Za-z0-9_]+)\+\}/, '{$1}').replace(/^\/$/, '/'));
  }
  const state: FallbackState = { kind, derived: new Map() };
  FALLBACKS.set(api, state);
  for (const path of ['/', CATCH_ALL]) {
    api.addRoute({ method: 'ANY', path, integration: Integration._of(integration.kind, kind), authorization: options.authorization, apiKeyRequired: options.apiKeyRequired });
  }
  state.publicReason = acknowledgementOf(api, `ServerlessApi-RouteAuth[${routeFinding('ANY', CATCH_ALL)}]`);
  for (const route of api.routes) {
    derive(api, state, parsePath(api, `${route.method} ${route.path}`, route.path));
  }
  api._extendDefinition(definition => renderFallbacks(api, state, definition));
}

/** Called by the API for every route it adds. @internal */
export function onRouteAdded(api: ServerlessApi, route: { readonly parsed: ParsedPath }): void {
  const state = FALLBACKS.get(api);
  if (state) {
    derive(api, state, route.parsed);
  }
}

/**
 * The reason of an acknowledgement the library made on the API's RestApi, if it made it: whether the
 * catch-all route was declared public is decided where routes are added, and read back here.
 */
function acknowledgementOf(api: ServerlessApi, id: string): string | undefined {
  for (const entry of api.restApi.node.defaultChild!.node.metadata) {
    if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) { continue; }
    for (const [qualifiedId, reason] of Object.entries(entry.data as Record<string, unknown>)) {
      if (qualifiedId.replace(/^annotation::/i, '') === id && typeof reason === 'string') { return reason; }
    }
  }
  return undefined;
}

/** Records (and binds, so errors surface now) the fallback of a path and of its ancestors. */
function derive(api: ServerlessApi, state: FallbackState, parsed: ParsedPath): void {
  if (parsed.path === '/' || parsed.path === CATCH_ALL) { return; }
  const segments = parsed.path.split('/').filter(Boolean);
  for (let n = 1; n <= segments.length; n++) {
    const path = '/' + segments.slice(0, n).join('/');
    if (state.derived.has(path)) { continue; }
    const derivedParsed = parsePath(api, `ANY ${path}`, path);
    const context: IntegrationBindContext = { api, routeKey: `ANY ${path}`, method: 'ANY', parsed: derivedParsed, functionOptions: {} };
    state.derived.set(path, state.kind.bind(context));
    if (state.publicReason) {
      Validations.of(api.restApi.node.defaultChild!).acknowledge({
        id: `ServerlessApi-RouteAuth[${routeFinding('ANY', path)}]`,
        reason: `Route 'ANY ${path}' is the API's fallback to its legacy backend on this path, public like 'ANY ${CATCH_ALL}': ${state.publicReason}`,
      });
    }
  }
}

/** Adds `ANY` fallbacks to the body: on declared paths without `ANY`, and on their ancestors. */
function renderFallbacks(api: ServerlessApi, state: FallbackState, definition: Record<string, any>): void {
  const paths: Record<string, Record<string, any>> = definition.paths;
  const catchAll = paths[CATCH_ALL]?.['x-amazon-apigateway-any-method'];
  if (!catchAll) { return; }
  const cors = api._cors;
  for (const [path, bound] of state.derived) {
    const item = paths[path];
    if (item?.['x-amazon-apigateway-any-method']) { continue; }
    const parameters = parsePath(api, `ANY ${path}`, path).parameters;
    const rendered = bound.render({ cors });
    const operation: Record<string, any> = {
      operationId: `${pascalRouteId('ANY', path)}Fallback`,
      ...(parameters.length > 0 ? { parameters: parameters.map(name => ({ name, in: 'path', required: true, schema: { type: 'string' } })) } : {}),
      responses: rendered.responses ?? {},
      'x-amazon-apigateway-integration': rendered.integration,
      ...(catchAll.security !== undefined ? { security: catchAll.security } : {}),
    };
    if (item) {
      item['x-amazon-apigateway-any-method'] = operation;
    } else {
      paths[path] = { 'x-amazon-apigateway-any-method': operation };
      if (cors) {
        paths[path].options = preflightOperation(cors, pascalRouteId('OPTIONS', path), parameters, ['ANY']);
      }
    }
  }
}
