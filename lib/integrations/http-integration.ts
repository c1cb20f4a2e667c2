import { Duration, Token } from 'aws-cdk-lib';
import { propError } from '../core/errors';
import { checkPathParametersUsed, parametersUsedBy, timeoutMillis } from './aws-service';
import type { BoundIntegration, IntegrationBindContext, IntegrationKind, RenderedIntegration } from './integration-binding';
import { BAD_GATEWAY, fixedErrorTemplate, renderResponses, ResponseSpec } from './mapping-templates';

/** Options of {@link Integration.http} and the private (VPC link) HTTP integrations. */
export interface HttpIntegrationOptions {
  /**
   * Forward the request as it is (method, path, query string, headers, body) and the backend's
   * response as it is (HTTP_PROXY). Set false to shape both with mapping templates (HTTP).
   * @default true
   */
  readonly proxy?: boolean;
  /**
   * The method API Gateway uses towards the backend.
   * @default - the route's method (ANY forwards the client's)
   */
  readonly httpMethod?: string;
  /**
   * How long API Gateway waits for the backend.
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
  /**
   * Non-proxy only: the request mapping template (Velocity) for `application/json` requests; other
   * content types are answered 415.
   * @default - the request body as it is
   */
  readonly requestTemplate?: string;
  /**
   * Non-proxy only: the response mapping template of a 2XX answer.
   * @default - the backend's body as it is
   */
  readonly responseTemplate?: string;
}

/** Backend statuses a non-proxy route passes on to the client, body included. */
const PASSED_STATUSES = [400, 401, 403, 404, 409, 422, 429];

/** The connection of a private integration (VPC link). @internal */
export interface HttpConnection {
  readonly connectionType: 'VPC_LINK';
  readonly connectionId: string;
  /** VPC link V2: the load balancer to send to. */
  readonly integrationTarget?: string;
}

/**
 * A route → an HTTP backend. The URL may name the route's path parameters in braces
 * (`https://legacy.example.com/orders/{id}`, `.../{proxy}` for a greedy '{proxy+}' route); every
 * path parameter of the route must appear in it. Public backends must use https.
 * @internal
 */
export class HttpIntegrationKind implements IntegrationKind {
  constructor(
    private readonly url: string | ((context: IntegrationBindContext) => string),
    private readonly options: HttpIntegrationOptions,
    private readonly connection?: (context: IntegrationBindContext) => HttpConnection,
  ) {}

  /** The same backend at the URL a route derives from its path (the strangler fig's fallbacks). @internal */
  public _withUrl(url: (context: IntegrationBindContext) => string): HttpIntegrationKind {
    return new HttpIntegrationKind(url, this.options, this.connection);
  }

  /** The URL given, when it is a string (not derived per route). @internal */
  public get _fixedUrl(): string | undefined {
    return typeof this.url === 'string' ? this.url : undefined;
  }

  public bind(context: IntegrationBindContext): BoundIntegration {
    const options = this.options ?? {};
    const prop = `route '${context.routeKey}' integration`;
    const url = typeof this.url === 'function' ? this.url(context) : this.url;
    if (typeof url !== 'string' || url === '') {
      throw propError(context.api, `${prop} url`, url, 'is missing', 'Pass the backend\'s URL, e.g. \'https://legacy.example.com/{proxy}\'.');
    }
    const used: string[] = [];
    // Tokens (a load balancer's DNS name) are checked as a plain host name.
    const checkable = Token.isUnresolved(url) ? url.replace(/\$\{Token\[[^\]]*\]\}/g, 'token') : url;
    if (!Token.isUnresolved(checkable)) {
      const scheme = /^(https?):\/\/[^/\s{}]+(\/\S*)?$/.exec(checkable)?.[1];
      if (!scheme) {
        throw propError(context.api, `${prop} url`, url, 'is not an absolute http(s) URL', 'Use e.g. \'https://legacy.example.com/{proxy}\'.');
      }
      if (scheme === 'http' && !this.connection) {
        throw propError(context.api, `${prop} url`, url, 'is not https: requests and their credentials would cross the internet in clear text',
          'Use https://; a backend without TLS belongs in a VPC, behind Integration.nlb(), .alb() or .vpcLink().');
      }
      for (const match of checkable.matchAll(/\{([^}]*)\}/g)) {
        const name = match[1];
        if (!context.parsed.parameters.includes(name)) {
          throw propError(context.api, `${prop} url`, url, `uses the parameter {${name}}, which route '${context.routeKey}' does not have`,
            `Use the route's path parameters: ${context.parsed.parameters.map(p => `{${p}}`).join(', ') || '(none)'}; a greedy {proxy+} is {proxy} in the URL.`);
        }
        used.push(name);
      }
      checkPathParametersUsed(context, [...used, ...(options.requestTemplate ? parametersUsedBy(options.requestTemplate, context.parsed.parameters) : [])],
        `${prop} url`, 'Put it in the URL in braces, or drop it from the path.');
    }
    const proxy = options.proxy ?? true;
    if (proxy && (options.requestTemplate !== undefined || options.responseTemplate !== undefined)) {
      throw propError(context.api, `${prop} ${options.requestTemplate !== undefined ? 'requestTemplate' : 'responseTemplate'}`, 'a template',
        'is set on a proxy integration, which forwards requests and responses as they are', 'Set proxy: false to use templates.');
    }
    const httpMethod = (options.httpMethod ?? context.method).toUpperCase();
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'].includes(httpMethod)) {
      throw propError(context.api, `${prop} httpMethod`, options.httpMethod, 'is not an HTTP method', 'Use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY.');
    }
    const timeout = timeoutMillis(context, `${prop} timeout`, options.timeout);
    const connection = this.connection?.(context);
    const requestParameters = Object.fromEntries(used.map(p => [`integration.request.path.${p}`, `method.request.path.${p}`]));
    return {
      render: (render): RenderedIntegration => {
        const base = {
          ...(requestParameters && Object.keys(requestParameters).length > 0 ? { requestParameters } : {}),
          uri: url,
          httpMethod,
          ...(connection ?? {}),
          timeoutInMillis: timeout,
        };
        if (proxy) {
          return { integration: { type: 'http_proxy', ...base, passthroughBehavior: 'when_no_match' } };
        }
        const specs: Record<string, ResponseSpec> = {
          default: { statusCode: 200, template: options.responseTemplate },
        };
        for (const status of PASSED_STATUSES) {
          specs[String(status)] = { statusCode: status };
        }
        specs['5\\d{2}'] = { statusCode: 502, template: fixedErrorTemplate(BAD_GATEWAY) };
        const { integrationResponses, methodResponses } = renderResponses(specs, [], render.cors);
        return {
          integration: {
            type: 'http',
            ...base,
            requestTemplates: { 'application/json': options.requestTemplate ?? '$input.body' },
            passthroughBehavior: 'never',
            responses: integrationResponses,
          },
          responses: methodResponses,
        };
      },
    };
  }
}
