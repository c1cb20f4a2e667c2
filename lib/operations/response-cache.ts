import { CfnResource, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { ServerlessApi } from '../api/serverless-api';
import type { ParsedPath } from '../api/route-path';
import type { RouteAuthorization } from '../auth/route-authorization';
import { propError } from '../core/errors';
import { shortHash } from '../core/names';
import { acknowledgeCustomResourceProvider } from './custom-resource-nag';
import { resourcePathOf, wildcardMethod } from '../core/method-keys';
import { StageMethodSettings } from '../stages/method-settings';

/** The stage's response cache: an API Gateway cache cluster, billed by the hour while it exists. */
export interface StageCacheOptions {
  /**
   * The cache cluster's size in GB: '0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118' or '237'.
   * @default '0.5'
   */
  readonly clusterSize?: string;
}

/**
 * Caching of one GET route's responses in the stage's cache cluster. The cache key is the route's
 * path parameters, the parameters its integration declares, and the query parameters and headers
 * listed here (each declared as an optional request parameter: API Gateway only keys on declared
 * parameters). A stage without a cache cluster (`stage.cache`) ignores it, so one definition serves a
 * dev stage without a cache and a prod stage with one.
 */
export interface RouteCacheOptions {
  /**
   * How long a response stays cached (0 to 3600 seconds).
   * @default Duration.minutes(5)
   */
  readonly ttl?: Duration;
  /**
   * Query string parameters the response depends on, e.g. ['limit', 'nextToken'].
   * @default - none
   */
  readonly queryParameters?: string[];
  /**
   * Request headers the response depends on. A route with authorization must list the caller's
   * identity: 'Authorization' for IAM and Cognito, a header (or query parameter) of the Lambda
   * authorizer's identity sources; otherwise one caller's response would be served to another.
   * @default - none
   */
  readonly headers?: string[];
}

/** API Gateway's cache cluster sizes, in GB. @internal */
export const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];
const QUERY = /^[A-Za-z0-9_.~-]+$/;
const HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const MAX_TTL_SECONDS = 3600;

interface CachedRoute {
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly ttlSeconds: number;
  readonly queryParameters: string[];
  readonly headers: string[];
}

const CACHES = new WeakMap<ServerlessApi, ResponseCache>();

/**
 * The response cache of one API: the stage's cache cluster (encrypted), the cached routes' cache keys
 * in the OpenAPI body and their TTLs as stage method settings, and per-key invalidation that only
 * callers allowed `execute-api:InvalidateCache` may use.
 * @internal
 */
export class ResponseCache {
  /** Sets up the cache of `api`'s stage (a cluster only when `options` is given). */
  public static configure(api: ServerlessApi, options: StageCacheOptions | undefined): ResponseCache {
    const cache = new ResponseCache(api, options);
    CACHES.set(api, cache);
    return cache;
  }

  /** The cache of `api`, if configured. */
  public static of(api: ServerlessApi): ResponseCache | undefined {
    return CACHES.get(api);
  }

  /** Whether the stage has a cache cluster. */
  public readonly enabled: boolean;
  private readonly routes = new Map<string, CachedRoute>();
  private invalidationSetting?: cr.AwsCustomResource;

  private constructor(private readonly api: ServerlessApi, options: StageCacheOptions | undefined) {
    this.enabled = options !== undefined;
    if (options !== undefined) {
      const size = options.clusterSize ?? '0.5';
      if (!Token.isUnresolved(size) && !CACHE_CLUSTER_SIZES.includes(size)) {
        throw propError(api, 'stage.cache.clusterSize', size, 'is not an API Gateway cache cluster size',
          `Use one of ${CACHE_CLUSTER_SIZES.map(s => `'${s}'`).join(', ')} (GB).`);
      }
      // A cluster is billed by the hour: only while at least one route is cached.
      const cfnStage = api.stage.node.defaultChild as apigateway.CfnStage;
      cfnStage.cacheClusterEnabled = Lazy.any({ produce: () => this.routes.size > 0 });
      cfnStage.cacheClusterSize = Lazy.string({ produce: () => (this.routes.size > 0 ? size : undefined) });
    } else {
      // Written out, not left absent: CloudFormation does not act on a removed CacheClusterEnabled, and a
      // stage whose cache was dropped would go on caching, with cache keys no longer declared
      // (aws-cloudformation/cloudformation-coverage-roadmap#2231, aws/aws-cdk#32342). false is a change it applies.
      (api.stage.node.defaultChild as apigateway.CfnStage).cacheClusterEnabled = false;
    }
    api._extendOperations((method, path, operation) => this.renderOperation(`${method} ${path}`, operation));
  }

  /** Records a route's cache options (validated against its method and authorization). */
  public addRoute(key: string, method: string, parsed: ParsedPath, options: RouteCacheOptions, authorization: RouteAuthorization): void {
    const prop = `route '${key}' cache`;
    if (method !== 'GET' && method !== 'HEAD') {
      throw propError(this.api, prop, method, 'is set on a route that is not GET or HEAD',
        'Cache reads only: a cached write would be answered from the cache without reaching the backend.');
    }
    const ttl = options.ttl ?? Duration.minutes(5);
    const ttlSeconds = ttl.isUnresolved() ? undefined : ttl.toSeconds();
    if (ttlSeconds !== undefined && (!Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS)) {
      throw propError(this.api, `${prop}.ttl`, ttl.toHumanString(), 'must be from 0 to 3600 seconds', 'Use e.g. Duration.minutes(5).');
    }
    const queryParameters = [...(options.queryParameters ?? [])];
    const headers = [...(options.headers ?? [])];
    for (const name of queryParameters) {
      if (typeof name !== 'string' || !QUERY.test(name)) {
        throw propError(this.api, `${prop}.queryParameters`, name, 'is not a query parameter name', 'Use letters, digits, \'_\', \'.\', \'~\' or \'-\', e.g. \'limit\'.');
      }
    }
    for (const name of headers) {
      if (typeof name !== 'string' || !HEADER.test(name)) {
        throw propError(this.api, `${prop}.headers`, name, 'is not an HTTP header name', 'Use e.g. \'Accept-Language\'.');
      }
    }
    this.checkCallerInKey(prop, authorization, queryParameters, headers);
    this.routes.set(key, { key, method, path: parsed.path, ttlSeconds: ttlSeconds ?? ttl.toSeconds(), queryParameters, headers });
    if (this.enabled) {
      StageMethodSettings.of(this.api).set(wildcardMethod(method), parsed.path, {
        cachingEnabled: true,
        cacheTtlInSeconds: ttlSeconds ?? ttl.toSeconds(),
        cacheDataEncrypted: true,
      });
      this.requireAuthorizationForInvalidation();
    }
  }

  /**
   * Lets `grantee` invalidate cached entries (`Cache-Control: max-age=0` on a SigV4-signed request)
   * of one route, or of every route of the stage.
   */
  public grantInvalidate(grantee: iam.IGrantable, method?: string, path?: string): iam.Grant {
    const resourceArn = method !== undefined && path !== undefined
      ? this.api.arnForRoute(method, path)
      : this.api.restApi.arnForExecuteApi('*', '/*', this.api.stageName);
    return iam.Grant.addToPrincipal({ grantee, actions: ['execute-api:InvalidateCache'], resourceArns: [resourceArn] });
  }

  /**
   * A response that depends on the caller may only be cached with the caller's identity in the key.
   * API Gateway keys on request parameters only (not on the authorizer's principal), so the key must
   * hold what identifies the caller: the Authorization header (IAM, Cognito), or a header or query
   * parameter the Lambda authorizer decides on.
   */
  private checkCallerInKey(prop: string, authorization: RouteAuthorization, queryParameters: string[], headers: string[]): void {
    const type = authorization.authorizationType;
    if (type === apigateway.AuthorizationType.NONE) { return; }
    const keyed = new Set([
      ...headers.map(h => `method.request.header.${h.toLowerCase()}`),
      ...queryParameters.map(q => `method.request.querystring.${q.toLowerCase()}`),
    ]);
    const identities = type === apigateway.AuthorizationType.CUSTOM && authorization.authorizer
      ? authorization.authorizer._keyableIdentitySources()
      : ['method.request.header.Authorization'];
    if (identities.some(source => keyed.has(source.toLowerCase()))) { return; }
    const fix = identities.length === 0
      ? 'The Lambda authorizer decides on no header or query parameter that could be part of the key: do not cache this route, or make it public.'
      : `Add ${identities.map(s => `'${s.replace(/^method\.request\.(header|querystring)\./, '')}'`).join(' or ')} to the cache's `
        + `${identities[0].startsWith('method.request.querystring.') ? 'queryParameters' : 'headers'}, so that each caller has their own entries.`;
    throw propError(this.api, prop, { headers, queryParameters }, `leaves the caller out of the cache key of a route with ${type} authorization: `
      + 'one caller\'s cached response would be served to another', fix);
  }

  /** The route's cache key in the body: declared parameters and `cacheKeyParameters`. */
  private renderOperation(key: string, operation: Record<string, any>): void {
    const route = this.routes.get(key);
    if (!route) { return; }
    const parameters: Array<Record<string, any>> = operation.parameters = [...(operation.parameters ?? [])];
    const declared = (location: string, name: string) =>
      parameters.some(p => p.in === location && String(p.name).toLowerCase() === name.toLowerCase());
    for (const name of route.queryParameters) {
      if (!declared('query', name)) { parameters.push({ name, in: 'query', required: false, schema: { type: 'string' } }); }
    }
    for (const name of route.headers) {
      if (!declared('header', name)) { parameters.push({ name, in: 'header', required: false, schema: { type: 'string' } }); }
    }
    const locations: Record<string, string> = { path: 'path', query: 'querystring', header: 'header' };
    operation['x-amazon-apigateway-integration'] = {
      ...operation['x-amazon-apigateway-integration'],
      cacheKeyParameters: parameters.filter(p => locations[p.in] !== undefined).map(p => `method.request.${locations[p.in]}.${p.name}`),
    };
  }

  /**
   * CloudFormation cannot set per-key invalidation's authorization (aws/aws-cdk#18794; the stage's
   * MethodSetting has no such property), and API Gateway's default then lets anyone flush an entry
   * with `Cache-Control: max-age=0` (it only adds a warning header). One custom resource per stage
   * sets `FAIL_WITH_403` on every cached route, again on every deployment.
   */
  private requireAuthorizationForInvalidation(): void {
    if (this.invalidationSetting) { return; }
    const api = this.api;
    const stack = Stack.of(api);
    const patchOperations = (): any[] => [...this.routes.values()].flatMap(r => {
      // '/~1items~1{id}/GET/caching/...'; the root resource is '/~1'.
      const prefix = `${r.path === '/' ? '/~1' : resourcePathOf(r.path)}/${wildcardMethod(r.method)}/caching`;
      return [
        { op: 'replace', path: `${prefix}/requireAuthorizationForCacheControl`, value: 'true' },
        { op: 'replace', path: `${prefix}/unauthorizedCacheControlHeaderStrategy`, value: 'FAIL_WITH_403' },
      ];
    });
    const call = (): cr.AwsSdkCall => ({
      service: 'APIGateway',
      action: 'updateStage',
      parameters: {
        restApiId: api.restApi.restApiId,
        stageName: api.stage.stageName,
        patchOperations: Lazy.any({ produce: patchOperations }),
      },
      physicalResourceId: cr.PhysicalResourceId.of(`${api.node.addr}-cache-invalidation`),
    });
    this.invalidationSetting = new cr.AwsCustomResource(api, 'CacheInvalidationAuthorization', {
      onCreate: call(),
      onUpdate: call(),
      installLatestAwsSdk: false,
      // The provider (one per stack) logs to the API's function log group, with its retention, whatever the
      // app's feature flags (with some, aws-cdk-lib would create a log group of its own).
      logGroup: api.functionLogGroup,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['apigateway:PATCH'],
        resources: [`arn:${stack.partition}:apigateway:${stack.region}::/restapis/${api.restApi.restApiId}/stages/${api.stage.stageName}`],
      })]),
    });
    // Changes with every deployment: the settings are written again after CloudFormation updated the stage.
    const resource = this.invalidationSetting.node.findChild('Resource').node.defaultChild as CfnResource;
    resource.addPropertyOverride('Deployment', api.restApi.latestDeployment?.deploymentId ?? shortHash(api.node.path));
    this.invalidationSetting.node.addDependency(api.stage);
    acknowledgeCustomResourceProvider(stack);
  }
}
