import { CfnOutput, CfnResource, Fn, Lazy, Names, NestedStack, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApiGatewayAccount } from './api-gateway-account';
import { stageUrlOutput } from './api-outputs';
import { createRouteFunction, FunctionDefaults } from './route-function';
import { RouteFunctionOptions, RouteHandler } from './route-handler';
import { OPERATION_ID, uniqueOperationIds } from './operation-ids';
import { SharedFunctionRoles } from './shared-roles';
import { PathTree, resourcesQuotaWarning } from './path-tree';
import { HTTP_METHODS, ParsedPath, parsePath, routeKey } from './route-path';
import { ROUTE_STACK_DESCRIPTION, TemplateLimitsCheck } from './template-limits';
import { ApiSecurity } from '../auth/api-security';
import { securityRequirementErrors } from '../auth/security-requirements';
import { ApiUserPool, CognitoAuthOptions } from '../auth/api-user-pool';
import { CorsOptions } from '../auth/cors-options';
import { RouteAuthorization } from '../auth/route-authorization';
import { SourceIpPolicy } from '../auth/source-ip-policy';
import { propError } from '../core/errors';
import { lambdaInvocationUri } from '../core/lambda-uri';
import { CrudResource, CrudResourceOptions } from '../data/crud-resource';
import { pascal, pascalRouteId, shortHash } from '../core/names';
import { wildcardMethod } from '../core/method-keys';
import { checkStageName } from '../core/stage-name';
import { acknowledgePublicRoute } from '../nag/serverless-api-checks';
import { ApiConsumerKey, ApiConsumerKeyOptions } from '../traffic/api-consumer-key';
import { declareApiKeySource, requireApiKey, validateApiKeyRoutes } from '../traffic/api-key-security';
import { ApiUsagePlan, ApiUsagePlanOptions } from '../traffic/api-usage-plan';
import { ApiWebAcl, ApiWebAclOptions } from '../traffic/api-web-acl';
import { throttleRouteOnStage } from '../traffic/stage-route-throttles';
import { ThrottleLimits } from '../traffic/throttle-limits';
import { ApiDomain, ApiDomainOptions } from '../domain/api-domain';
import { resolveApiIpAddressType } from '../domain/ip-address-type';
import { Integration, routeIntegration } from '../integrations/integration';
import type { BoundIntegration, MonitoredResources } from '../integrations/integration-binding';
import { addFallback, FallbackOptions, onRouteAdded } from '../integrations/fallback-routes';
import { addPrivateEndpointPolicy, PrivateEndpointOptions, resolvePrivateEndpoints } from '../domain/private-endpoint';
import { ApiContracts } from '../contracts/api-contracts';
import { RouteContractOptions } from '../contracts/route-contract';
import { RouteSchema } from '../contracts/route-schema';
import { serveOpenApi, ServeOpenApiOptions } from '../contracts/openapi-route';
import { importOpenApi, OpenApiDocument, OpenApiImportOptions } from '../contracts/openapi-import';
import { GatewayResponseOptions, GatewayResponses } from '../operations/gateway-responses';
import { ApiMonitoring, ApiMonitoringOptions } from '../monitoring/api-monitoring';
import { GradualDeploymentOptions, GradualDeployments } from '../operations/gradual-deployment';
import { applyStageCanary, StageCanaryOptions } from '../operations/stage-canary';
import { ResponseCache, RouteCacheOptions, StageCacheOptions } from '../operations/response-cache';

/**
 * Stage settings: logs, tracing and default throttling of the API's one stage.
 */
export interface ApiStageOptions {
  /**
   * Retention of the JSON access logs and of the functions' logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * X-Ray tracing of the stage (the functions always trace).
   * @default true
   */
  readonly tracingEnabled?: boolean;
  /**
   * Execution logging level. Request and response bodies are never logged (data tracing stays off:
   * it would write Authorization headers and personal data to the logs).
   * @default apigateway.MethodLoggingLevel.ERROR
   */
  readonly executionLogLevel?: apigateway.MethodLoggingLevel;
  /**
   * Create the log group API Gateway writes execution logs to,
   * `API-Gateway-Execution-Logs_{restApiId}/{stageName}`, with `logRetention` and `logRemovalPolicy`,
   * before the stage. Otherwise API Gateway creates it on first use, outside the stack, never
   * expiring. Set false when that group already exists (an API deployed before this setting, whose
   * stage has logged): CloudFormation cannot create a group that exists. Ignored when
   * `executionLogLevel` is OFF.
   * @default true
   */
  readonly manageExecutionLogGroup?: boolean;
  /**
   * Detailed CloudWatch metrics per method.
   * @default false
   */
  readonly detailedMetrics?: boolean;
  /**
   * Steady-state request rate allowed for the whole stage, in requests per second.
   * @default 100
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst allowed for the whole stage, in requests. Must be at least the rate limit.
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * A response cache cluster for the stage (encrypted entries); routes opt in with `cache`.
   * @default - no cache: routes' `cache` options are ignored
   */
  readonly cache?: StageCacheOptions;
  /**
   * An API Gateway canary on the stage (a share of requests to the new deployment or other stage
   * variables). Dropping it clears the canary on the deployed stage.
   * @default - no canary
   */
  readonly canary?: StageCanaryOptions;
}

/**
 * Where the library places the functions of a large API, so that no CloudFormation template goes
 * over 500 resources.
 */
export interface ApiScalingOptions {
  /**
   * How many functions live in the API's own stack before new ones go into nested stacks.
   * @default 100
   */
  readonly functionsInApiStack?: number;
  /**
   * How many functions one nested stack holds (each costs two resources and one output).
   * @default 150
   */
  readonly functionsPerNestedStack?: number;
}

/**
 * A route: an HTTP method and path served by a handler (a Lambda function) or an integration.
 */
export interface RouteProps extends RouteFunctionOptions, RouteContractOptions {
  /** The HTTP method: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, or ANY. */
  readonly method: string;
  /** The path, starting with '/', with parameters as whole segments: '/items/{id}', '/files/{proxy+}'. */
  readonly path: string;
  /**
   * The code that serves it. Share one handler between routes to share one function. Exactly one of
   * `handler` and `integration`.
   * @default - none: `integration` serves the route
   */
  readonly handler?: RouteHandler;
  /**
   * What serves the route when it is not a Lambda handler: an HTTP backend, an AWS service, a mock
   * (see `Integration`). Exactly one of `handler` and `integration`.
   * @default - none: `handler` serves the route
   */
  readonly integration?: Integration;
  /**
   * Who may call the route.
   * @default - the API's `defaultAuthorization` (IAM unless set)
   */
  readonly authorization?: RouteAuthorization;
  /**
   * Whether callers must send an API key (header `x-api-key`) of one of the API's usage plans.
   * @default false
   */
  readonly apiKeyRequired?: boolean;
  /**
   * The operation's `operationId` in the OpenAPI definition (SDK generators name methods after it).
   * @default - derived from method and path, e.g. 'GetItemsById'; when two operations derive the same
   * id ('/a-b' and '/a/b'), each gets a suffix hashed from its own method and path ('GetAB_1F3A9C20')
   */
  readonly operationId?: string;
  /**
   * Cache the route's responses in the stage's cache cluster (GET and HEAD routes; ignored when the
   * stage has no `stage.cache`).
   * @default - not cached
   */
  readonly cache?: RouteCacheOptions;
}

/** A route the API serves. */
export interface ApiRoute {
  /** The HTTP method. */
  readonly method: string;
  /** The path. */
  readonly path: string;
  /** The function behind it, for a route served by a Lambda handler. */
  readonly function?: lambda.IFunction;
  /** What serves it: LAMBDA, HTTP, SQS, ... (see `Integration.kind`). */
  readonly integrationKind: string;
}

/** Props of {@link ServerlessApi}. */
export interface ServerlessApiProps {
  /**
   * The API's name in API Gateway.
   * @default - the construct's unique ID
   */
  readonly apiName?: string;
  /**
   * A description of the API.
   * @default - none
   */
  readonly description?: string;
  /**
   * The name of the API's stage (one per API; deploy dev, test and prod as separate `cdk.Stage`s).
   * @default 'dev'
   */
  readonly stageName?: string;
  /**
   * Stage logging, tracing and throttling.
   * @default - see `ApiStageOptions`
   */
  readonly stage?: ApiStageOptions;
  /**
   * Routes to add now; more can be added with `addRoute`.
   * @default - none
   */
  readonly routes?: RouteProps[];
  /**
   * Defaults for every function the API creates.
   * @default - Node.js 24 on arm64, 512 MB, 10 seconds
   */
  readonly functionDefaults?: FunctionDefaults;
  /**
   * The endpoint type of the API.
   * @default apigateway.EndpointType.EDGE
   */
  readonly endpointType?: apigateway.EndpointType;
  /**
   * Which IP addresses can call the API's execute-api endpoint: IPv4 only, or IPv4 and IPv6.
   * @default - DUAL_STACK, as AWS recommends; IPV4 when `sourceIpPolicy.allow` lists no IPv6 range
   * (its policy would deny every IPv6 caller). PRIVATE APIs are always dualstack.
   */
  readonly ipAddressType?: apigateway.IpAddressType;
  /**
   * For a PRIVATE API: the interface VPC endpoints it is reachable through (given, or created in a
   * VPC). The library attaches them and writes a resource policy that denies every request not coming
   * through one of them. Required for PRIVATE, an error for other endpoint types.
   * @default - none (EDGE and REGIONAL APIs)
   */
  readonly privateEndpoint?: PrivateEndpointOptions;
  /**
   * Manage the account-level CloudWatch role API Gateway needs for logging, once per stack and
   * retained on delete (see `ApiGatewayAccount` for why). Set false where the account's setting is
   * managed elsewhere.
   * @default true
   */
  readonly cloudWatchRole?: boolean;
  /**
   * Function placement for large APIs.
   * @default - 100 functions in the API's stack, then nested stacks of 150
   */
  readonly scaling?: ApiScalingOptions;
  /**
   * Authorization of routes that do not set their own. Secure by default: a public route is always
   * an explicit `RouteAuthorization.none()`.
   * @default RouteAuthorization.iam()
   */
  readonly defaultAuthorization?: RouteAuthorization;
  /**
   * The Cognito user pool of `RouteAuthorization.cognito()` routes: an existing one, or props for a new
   * `ApiUserPool`.
   * @default - no Cognito authorizer; cognito() routes are an error
   */
  readonly cognito?: CognitoAuthOptions;
  /**
   * Cross-origin access for browsers: OPTIONS preflights without auth, CORS headers on gateway errors.
   * @default - no CORS
   */
  readonly cors?: CorsOptions;
  /**
   * Client addresses allowed or denied by the API's resource policy.
   * @default - every address
   */
  readonly sourceIpPolicy?: SourceIpPolicy;
  /**
   * Emit the stage's URL as a CloudFormation output, which `cdk deploy` prints: the `Endpoint`
   * output of aws-cdk-lib's RestApi, logical ID `<API's ID>Endpoint<hash>`.
   * @default true
   */
  readonly cfnOutputs?: boolean;
  /**
   * JSON Schemas declared by name (API Gateway models, `components.schemas` of the OpenAPI document),
   * which routes use with `RouteSchema.ref('<name>')` and schemas with
   * `$ref: '#/components/schemas/<name>'`. More can be added with `addSchema`.
   * @default - none
   */
  readonly schemas?: { [name: string]: RouteSchema };
  /**
   * Changes to gateway responses (errors API Gateway answers itself). Every type answers in the
   * library's JSON error shape with its own status either way; see `addGatewayResponse`.
   * @default - none
   */
  readonly gatewayResponses?: GatewayResponseOptions[];
  /**
   * Deploy every function the API creates gradually (CodeDeploy canary or linear, rolled back on
   * alarms); a handler's own `gradualDeployment` overrides it. Each function then costs three more
   * resources (version, alias, deployment group), and `scaling` defaults drop to 60 functions in the
   * API's stack and 90 per nested stack.
   * @default - functions are updated all at once
   */
  readonly gradualDeployment?: GradualDeploymentOptions;
}

/** A route as a function sees it. */
interface RouteInfo {
  readonly key: string;
  readonly method: string;
  readonly parsed: ParsedPath;
}

interface RouteRecord extends RouteInfo {
  readonly integration: BoundIntegration;
  readonly kind: string;
  readonly apiKeyRequired: boolean;
  /** The operationId given by hand, if any. */
  readonly operationId?: string;
}

interface FunctionRecord {
  readonly fn: lambda.IFunction;
  /** What API Gateway invokes when it is not `fn` itself: the alias of a gradually deployed function. */
  readonly invokeTarget?: lambda.IFunction;
  /** The integration URI of the OpenAPI body (built from the name for functions in nested stacks). */
  readonly integrationUri: string;
  readonly routes: RouteInfo[];
}

const DEFAULT_RATE = 100;
const DEFAULT_BURST = 200;

/**
 * A REST API on API Gateway with one Lambda function per route (or shared), deployed to one stage.
 *
 * Routes are written into the RestApi's OpenAPI body, not as `AWS::ApiGateway::Resource` and
 * `AWS::ApiGateway::Method` resources: a route with its own function costs two CloudFormation
 * resources (the function and one invoke permission), a route on a shared function none, and
 * functions beyond `scaling.functionsInApiStack` go into nested stacks. The Deployment's logical ID
 * is a hash of the whole definition, so any change of routes, auth or policy redeploys the stage.
 *
 * @example
 * const api = new ServerlessApi(this, 'Api', { stageName: 'dev' });
 * api.addRoute({ method: 'GET', path: '/hello', handler: RouteHandler.fromEntry('src/hello.ts') });
 */
export class ServerlessApi extends Construct {
  /** The API Gateway REST API. */
  public readonly restApi: apigateway.SpecRestApi;
  /** The API's stage. */
  public readonly stage: apigateway.Stage;
  /** The stage's name. */
  public readonly stageName: string;
  /** The log group receiving the stage's JSON access logs. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The log group every function of the API writes its JSON logs to. */
  public readonly functionLogGroup: logs.LogGroup;
  /**
   * The log group of the stage's execution logs (`API-Gateway-Execution-Logs_{restApiId}/{stage}`);
   * undefined when execution logging is OFF or `stage.manageExecutionLogGroup` is false.
   */
  public readonly executionLogGroup?: logs.LogGroup;
  /** The endpoint type. */
  public readonly endpointType: apigateway.EndpointType;
  /** The IP address type of the API's endpoint (dualstack unless IPv4 was chosen or implied). */
  public readonly ipAddressType: apigateway.IpAddressType;
  /** The interface VPC endpoints a PRIVATE API is reachable through (empty for other types). */
  public readonly vpcEndpoints: ec2.IInterfaceVpcEndpoint[];
  /** Function defaults for every function this API creates. @internal */
  public readonly _functionDefaults: FunctionDefaults;
  /** The user pool whose tokens `RouteAuthorization.cognito()` routes accept, when `cognito` is set. */
  public readonly userPool?: cognito.IUserPool;
  /** The user pool this API created, when `cognito` gives no existing pool. */
  public readonly apiUserPool?: ApiUserPool;
  /** The output holding the stage's URL, unless `cfnOutputs` is false. */
  public readonly urlOutput?: CfnOutput;
  private readonly security: ApiSecurity;
  private readonly gatewayResponses: GatewayResponses;
  private readonly responseCache: ResponseCache;
  private readonly gradualDeployment?: GradualDeploymentOptions;
  private readonly description?: string;
  /** The API's CORS options, for integrations rendering their responses. @internal */
  public readonly _cors?: CorsOptions;

  private readonly routeRecords = new Map<string, RouteRecord>();
  private readonly pathTree = new PathTree();
  private readonly functionRecords = new Map<RouteHandler | lambda.IFunction, FunctionRecord>();
  private readonly sharedRoles: SharedFunctionRoles;
  private readonly usedIds = new Set<string>();
  private readonly nestedStacks: NestedStack[] = [];
  private readonly functionsInApiStack: number;
  private readonly functionsPerNestedStack: number;
  private ownedFunctions = 0;
  private readonly definitionExtensions: Array<(definition: Record<string, any>) => void> = [];
  private readonly operationExtensions: Array<(method: string, path: string, operation: Record<string, any>) => void> = [];

  constructor(scope: Construct, id: string, props: ServerlessApiProps = {}) {
    super(scope, id);
    // The stage's access log destination without the ':*' CloudWatch puts on log group ARNs (what
    // API Gateway stores, so drift detection stays IN_SYNC), whatever the app's cdk.json says.
    this.node.setContext('@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard', true);
    const stageOptions = props.stage ?? {};
    this.stageName = props.stageName ?? 'dev';
    this.description = props.description;
    this.endpointType = props.endpointType ?? apigateway.EndpointType.EDGE;
    this._functionDefaults = ApiSecurity.functionDefaults(props.functionDefaults ?? {}, props.cors);
    this.gradualDeployment = props.gradualDeployment;
    // A gradually deployed function costs five resources instead of two (see gradual-deployment.ts).
    this.functionsInApiStack = props.scaling?.functionsInApiStack ?? (props.gradualDeployment ? 60 : 100);
    this.functionsPerNestedStack = props.scaling?.functionsPerNestedStack ?? (props.gradualDeployment ? 90 : 150);
    this.validateProps(props);
    this.vpcEndpoints = resolvePrivateEndpoints(this, this.endpointType, props.privateEndpoint);
    this.ipAddressType = resolveApiIpAddressType(this, this.endpointType, props.ipAddressType, props.sourceIpPolicy);

    const logRetention = stageOptions.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const logRemovalPolicy = stageOptions.logRemovalPolicy ?? RemovalPolicy.RETAIN;
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention: logRetention, removalPolicy: logRemovalPolicy });
    this.functionLogGroup = new logs.LogGroup(this, 'FunctionLogs', { retention: logRetention, removalPolicy: logRemovalPolicy });
    this.sharedRoles = new SharedFunctionRoles(this, this.functionLogGroup);

    this.restApi = new apigateway.SpecRestApi(this, 'Resource', {
      restApiName: props.apiName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      // SpecRestApi does not pass description on; the body's info.description carries it (below).
      apiDefinition: apigateway.ApiDefinition.fromInline(Lazy.any({ produce: () => this.renderDefinition() })),
      endpointConfiguration: {
        types: [this.endpointType],
        vpcEndpoints: this.vpcEndpoints.length > 0 ? this.vpcEndpoints : undefined,
        ipAddressType: this.ipAddressType,
      },
      cloudWatchRole: false,
      // Anything the OpenAPI import would skip (an unknown scheme, a malformed extension) fails the
      // deployment instead of leaving a method silently misconfigured.
      failOnWarnings: true,
      deployOptions: {
        stageName: this.stageName,
        description: `${this.stageName} stage`,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
          caller: true, httpMethod: true, ip: true, protocol: true, requestTime: true,
          resourcePath: true, responseLength: true, status: true, user: true,
        }),
        tracingEnabled: stageOptions.tracingEnabled ?? true,
        loggingLevel: stageOptions.executionLogLevel ?? apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: stageOptions.detailedMetrics ?? false,
        throttlingRateLimit: stageOptions.throttlingRateLimit ?? DEFAULT_RATE,
        throttlingBurstLimit: stageOptions.throttlingBurstLimit ?? DEFAULT_BURST,
      },
    });
    this.node.defaultChild = this.restApi.node.defaultChild;
    this.stage = this.restApi.deploymentStage;
    const executionLogLevel = stageOptions.executionLogLevel ?? apigateway.MethodLoggingLevel.ERROR;
    if (executionLogLevel !== apigateway.MethodLoggingLevel.OFF && (stageOptions.manageExecutionLogGroup ?? true)) {
      // The name API Gateway writes to (docs: "Execution logging for REST APIs"). Created before the
      // stage, so that the first log line lands in a group with the stage's retention.
      this.executionLogGroup = new logs.LogGroup(this, 'ExecutionLogs', {
        logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${this.stageName}`,
        retention: logRetention,
        removalPolicy: logRemovalPolicy,
      });
      this.stage.node.addDependency(this.executionLogGroup);
    }
    this.urlOutput = stageUrlOutput(this.restApi, props.cfnOutputs ?? true);
    Validations.of(this.restApi.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason: 'Request validation is on for every operation, declared in the OpenAPI body (x-amazon-apigateway-request-validator: all). '
        + 'The rule only recognizes AWS::ApiGateway::RequestValidator resources, and such a resource would be attached to no operation of the body.',
    });
    if (props.cloudWatchRole ?? true) {
      this.stage.node.addDependency(ApiGatewayAccount.of(this));
    }
    this.gatewayResponses = new GatewayResponses(this);
    this.responseCache = ResponseCache.configure(this, stageOptions.cache);
    applyStageCanary(this, stageOptions.canary);
    (props.gatewayResponses ?? []).forEach(r => this.gatewayResponses.add(r));
    this.security = new ApiSecurity(this, props);
    if (this.vpcEndpoints.length > 0) {
      addPrivateEndpointPolicy(this.security.resourcePolicy, this.vpcEndpoints);
    }
    this._cors = props.cors;
    this.userPool = this.security.userPool;
    this.apiUserPool = this.security.apiUserPool;

    for (const [name, schema] of Object.entries(props.schemas ?? {})) {
      this.addSchema(name, schema);
    }
    for (const route of props.routes ?? []) {
      this.addRoute(route);
    }
    this.node.addValidation({ validate: () => (this.routeRecords.size === 0
      ? [`${this.node.path}: the API has no routes (received 0 routes). Add one with addRoute() or the 'routes' prop; API Gateway cannot deploy an empty API.`]
      : []) });
    this.node.addValidation({ validate: () => securityRequirementErrors(this, this.renderDefinition()) });
    this.node.addValidation({
      validate: () => validateApiKeyRoutes(this, [...this.routeRecords.values()].filter(r => r.apiKeyRequired).map(r => r.key)),
    });
    // API Gateway's per-API resource quota, counted on the final routes; CloudFormation's template limits,
    // checked on the templates as written (see template-limits.ts).
    this.node.addValidation({
      validate: () => {
        const warning = resourcesQuotaWarning(this.node.path, this.pathTree.size);
        if (warning) { Validations.of(this).addWarning('ServerlessApi-ResourcesPerApi', warning); }
        return [];
      },
    });
    TemplateLimitsCheck.registerFor(this);
  }

  /** The routes, keyed 'METHOD /path'. */
  public get routes(): ApiRoute[] {
    return [...this.routeRecords.values()].map(r => ({ method: r.method, path: r.parsed.path, function: r.integration.function, integrationKind: r.kind }));
  }

  /** The URL of the stage, e.g. https://abc.execute-api.eu-west-1.amazonaws.com/dev/. */
  public get url(): string {
    return this.restApi.url;
  }

  /** The nested stacks holding functions beyond `scaling.functionsInApiStack`. */
  public get routeStacks(): NestedStack[] {
    return [...this.nestedStacks];
  }

  /**
   * Adds a route. Throws at synth on a malformed path, an unknown method, or a method+path declared
   * twice.
   */
  public addRoute(props: RouteProps): ApiRoute {
    const method = this.validateMethod(props);
    const routeName = `${method} ${props.path}`;
    const integration = routeIntegration({ api: this, routeKey: routeName }, props.handler, props.integration);
    const parsed = parsePath(this, routeName, props.path);
    const key = routeKey(method, parsed.path);
    if (this.routeRecords.has(key)) {
      throw propError(this, `route '${key}'`, key, 'is declared twice', 'Declare each method and path once; use ANY to serve every method.');
    }
    this.checkSiblingParameters(key, parsed);
    this.checkOperationId(key, props.operationId);
    const authorization = this.security.addRoute(key, method, parsed, props.authorization);
    if (authorization.authorizationType === apigateway.AuthorizationType.NONE && !props.apiKeyRequired) {
      // Public by declaration: acknowledge this route's ServerlessApi-RouteAuth finding, and only it.
      acknowledgePublicRoute(this.restApi.node.defaultChild as CfnResource, method, parsed.path, props.authorization ? 'route' : 'api');
    }

    if (props.cache !== undefined) {
      this.responseCache.addRoute(key, method, parsed, props.cache, authorization);
    }
    const bound = integration._bind({ api: this, routeKey: key, method, parsed, functionOptions: props });
    ApiContracts.of(this).addRoute(key, method, parsed.path, props);
    const record: RouteRecord = { key, method, parsed, integration: bound, kind: integration.kind, apiKeyRequired: props.apiKeyRequired ?? false, operationId: props.operationId };
    this.routeRecords.set(key, record);
    this.pathTree.add(parsed.path, key);
    onRouteAdded(this, record);
    return { method, path: parsed.path, function: bound.function, integrationKind: integration.kind };
  }

  /**
   * Declares a JSON Schema by name (an API Gateway model, `components.schemas` of the OpenAPI
   * document), for routes to use with `RouteSchema.ref(name)`.
   *
   * @param name letters and digits, e.g. 'Item'
   */
  public addSchema(name: string, schema: RouteSchema): void {
    ApiContracts.of(this).addSchema(name, schema);
  }

  /**
   * Serves the API's OpenAPI document for clients (the one the cloud assembly holds under openapi/)
   * at `GET /openapi.json`, answered by API Gateway itself (a mock integration, no function).
   */
  public serveOpenApi(options: ServeOpenApiOptions = {}): void {
    serveOpenApi(this, options);
  }

  /**
   * Builds routes from an OpenAPI 3.0 or Swagger 2.0 document: its schemas become the API's named
   * schemas, each operation a route with its parameters, JSON request and response schemas and
   * security, served by the integration bound to its operationId. An unbound operation, a binding to
   * an unknown operationId, or what the library cannot represent fails, naming it.
   */
  public importOpenApi(document: OpenApiDocument, options: OpenApiImportOptions): ApiRoute[] {
    return importOpenApi(this, document, options);
  }

  /**
   * The strangler fig: sends every request this API does not serve to a legacy HTTP backend
   * (`ANY /` and `ANY /{proxy+}`), while every route declared on it, before or after, takes
   * precedence. Move a route from the backend to the API by declaring it.
   *
   * @param integration the backend: `Integration.http('https://legacy.example.com')` (its base URL),
   * `.nlb(nlb)` or `.alb(alb)`
   */
  public addFallback(integration: Integration, options: FallbackOptions = {}): void {
    addFallback(this, integration, options);
  }

  /**
   * Adds a DynamoDB-backed collection in one line: POST /name, GET /name, GET /name/{id},
   * PUT /name/{id}, DELETE /name/{id}, each its own least-privilege function.
   *
   * @param name the resource name, e.g. 'items' (also its construct ID, in PascalCase)
   */
  public addCrudResource(name: string, options: CrudResourceOptions = {}): CrudResource {
    return new CrudResource(this, pascal(name) || 'Crud', { ...options, api: this, resourceName: name });
  }

  /** The function serving a route, by 'METHOD /path', e.g. 'GET /items/{id}'. */
  public functionFor(route: string): lambda.IFunction {
    const [method, ...path] = route.trim().split(/\s+/);
    const record = this.routeRecords.get(routeKey(method, path.join(' ')));
    if (!record) {
      throw propError(this, 'route', route, 'is not a route of this API',
        `Use one of: ${[...this.routeRecords.keys()].join(', ') || '(no routes yet)'}.`);
    }
    if (!record.integration.function) {
      throw propError(this, 'route', route, `is served by a ${record.kind} integration, not a function`,
        'Ask for a route served by a handler.');
    }
    return record.integration.function;
  }

  /**
   * The alias API Gateway invokes for a route whose function is deployed gradually
   * (`gradualDeployment`), by 'METHOD /path'; undefined when it is not. Direct callers (`RouteInvoker`)
   * should invoke the alias too (`alias.functionArn`), so that they follow the same rollout and rollback.
   */
  public aliasFor(route: string): lambda.Alias | undefined {
    return GradualDeployments.aliasFor(this, this.functionFor(route));
  }

  /**
   * The execute-api ARN of a route, for IAM policies and Lambda permissions:
   * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path with * for parameters>`.
   */
  public arnForRoute(method: string, path: string): string {
    const parsed = parsePath(this, `${method} ${path}`, path);
    return this.restApi.arnForExecuteApi(wildcardMethod(method), parsed.arnPath, this.stageName);
  }

  /**
   * Serves this API on a custom domain, at `basePath` ('' for the domain root). To map several APIs
   * (e.g. v1 and v2) on one domain, create an `ApiDomain` and call `addBasePath` for each.
   *
   * @param basePath the path after the domain, e.g. 'v1'; '' for the root
   * @param id the construct ID of the domain under this API
   */
  public addDomain(options: ApiDomainOptions, basePath: string = '', id: string = 'Domain'): ApiDomain {
    return new ApiDomain(this, id, { endpointType: this.endpointType, ...options, mappings: [{ basePath, api: this }] });
  }

  /**
   * Adds a statement to the API's resource policy, which the library writes into the OpenAPI body
   * (`x-amazon-apigateway-policy`) so that it is deployed with every change of the routes. Use this
   * rather than `restApi.addToResourcePolicy()`, whose CloudFormation `Policy` property the body
   * would contradict (synth fails if it is set). Name resources in API Gateway's short form,
   * `execute-api:/<stage>/<METHOD>/<path>` (`execute-api:/*` for all): the import expands it to this
   * API's ARN, while the API's own ARN (e.g. `arnForRoute()`) would make the body refer to itself.
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    this.security.resourcePolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.restApi };
  }

  /**
   * Lets `grantee` call an IAM-authorized route (`execute-api:Invoke` on that route), or every route
   * of the stage when no route is given. Throws if the route does not exist or does not use IAM.
   */
  public grantInvoke(grantee: iam.IGrantable, method?: string, path?: string): iam.Grant {
    return this.security.grantInvoke(grantee, method, path);
  }

  /**
   * Lets `grantee` invalidate cached responses of a route (or of every route of the stage) by sending
   * `Cache-Control: max-age=0` on a SigV4-signed request (`execute-api:InvalidateCache`). Other callers
   * sending that header get 403: the stage requires authorization for invalidation.
   */
  public grantInvalidateCache(grantee: iam.IGrantable, method?: string, path?: string): iam.Grant {
    return this.responseCache.grantInvalidate(grantee, method, path);
  }

  /**
   * Lets `grantee` invoke the function behind a route directly (`lambda:InvokeFunction`), bypassing
   * API Gateway: for internal callers using `RouteInvoker` (serverless-api-constructs/client) with an API
   * Gateway-shaped event. Throws if the route does not exist.
   */
  public grantDirectInvoke(grantee: iam.IGrantable, method: string, path: string): iam.Grant {
    return this.functionFor(`${method} ${path}`).grantInvoke(grantee);
  }

  /**
   * Adds a usage plan on this API's stage: per-key throttling, quota and per-route throttles.
   */
  public addUsagePlan(id: string, options: ApiUsagePlanOptions = {}): ApiUsagePlan {
    return new ApiUsagePlan(this, id, { ...options, api: this });
  }

  /**
   * Adds an API key for one consumer, with a value API Gateway generates, named
   * `<consumerName>-<stage name>`.
   */
  public addApiKey(id: string, options: ApiConsumerKeyOptions = {}): ApiConsumerKey {
    return new ApiConsumerKey(this, id, { ...options, api: this });
  }

  /**
   * Throttles one route on the stage (for every caller, with or without a key), as a stage method
   * setting next to the stage-wide limits. The route must exist by synth.
   */
  public throttleRoute(method: string, path: string, limits: ThrottleLimits): void {
    throttleRouteOnStage(this, { method, path, rateLimit: limits.rateLimit, burstLimit: limits.burstLimit });
  }

  /**
   * Protects the stage with AWS WAF: a new web ACL (managed rules and a per-IP rate limit) or an
   * existing one.
   */
  public addWebAcl(id: string = 'WebAcl', options: ApiWebAclOptions = {}): ApiWebAcl {
    return new ApiWebAcl(this, id, { ...options, api: this });
  }

  /**
   * Changes one gateway response (an error API Gateway answers itself: THROTTLED, UNAUTHORIZED,
   * WAF_FILTERED, ...): its status, its message, extra headers. It stays in the library's JSON error
   * shape, with CORS headers when `cors` is set.
   */
  public addGatewayResponse(options: GatewayResponseOptions): void {
    this.gatewayResponses.add(options, 'addGatewayResponse');
  }

  /** The gateway responses of an imported OpenAPI document (lib/contracts/openapi-import.ts). @internal */
  public _addDocumentGatewayResponses(responses: Record<string, any>): void {
    this.gatewayResponses.addDocumentResponses(responses);
  }

  /**
   * Alarms (notifying an SNS topic) and a dashboard for this stage, with thresholds of the stage's
   * profile (STRICT in prod, QUIET elsewhere). Call it after the last route: it watches the functions
   * that exist.
   */
  public addMonitoring(id: string = 'Monitoring', options: ApiMonitoringOptions = {}): ApiMonitoring {
    return new ApiMonitoring(this, id, { ...options, api: this });
  }

  /**
   * Whether a route ('METHOD /path') requires an API key; undefined when the API has no such route.
   * @internal
   */
  public _routeApiKeyRequired(key: string): boolean | undefined {
    return this.routeRecords.get(key)?.apiKeyRequired;
  }

  /** The state machines and dead-letter queues behind the API's routes, for its monitoring. @internal */
  public _monitoredResources(): MonitoredResources[] {
    return [...this.routeRecords.values()].map(r => r.integration.monitored).filter((m): m is MonitoredResources => m !== undefined);
  }

  /** Requests to the stage. */
  public metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricCount(props);
  }

  /** Server-side errors (5XX) of the stage. */
  public metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricServerError(props);
  }

  /**
   * Client-side errors (4XX) of the stage. API Gateway has no metric of its own for throttling: a
   * request over the stage, route or usage-plan limits (or over a key's quota) is answered 429 and
   * counted here.
   */
  public metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricClientError(props);
  }

  /** Latency of the stage, p99 by default. */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricLatency({ statistic: 'p99', ...props });
  }

  /**
   * Lets another part of the library add to the OpenAPI definition (security schemes, gateway
   * responses, policies). @internal
   */
  public _extendDefinition(extension: (definition: Record<string, any>) => void): void {
    this.definitionExtensions.push(extension);
  }

  /** Lets another part of the library add to each route's operation. @internal */
  public _extendOperations(extension: (method: string, path: string, operation: Record<string, any>) => void): void {
    this.operationExtensions.push(extension);
  }

  /** The API's OpenAPI 3 definition, as deployed (with CloudFormation tokens). */
  public renderDefinition(): Record<string, any> {
    const paths: Record<string, Record<string, any>> = {};
    const sorted = [...this.routeRecords.values()].sort((a, b) => a.key.localeCompare(b.key));
    for (const route of sorted) {
      const operationKey = route.method === 'ANY' ? 'x-amazon-apigateway-any-method' : route.method.toLowerCase();
      const rendered = route.integration.render({ cors: this._cors });
      const parameters = [
        ...route.parsed.parameters.map(name => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...(rendered.parameters ?? []),
      ];
      const operation: Record<string, any> = {
        operationId: route.operationId ?? pascalRouteId(route.method, route.parsed.path),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(rendered.requestBody ? { requestBody: rendered.requestBody } : {}),
        responses: rendered.responses ?? {},
        'x-amazon-apigateway-integration': rendered.integration,
      };
      for (const extend of this.operationExtensions) {
        extend(route.method, route.parsed.path, operation);
      }
      if (route.apiKeyRequired) {
        requireApiKey(operation); // after the extensions: joins the authorizer's security requirement
      }
      (paths[route.parsed.path] ??= {})[operationKey] = operation;
    }
    const definition: Record<string, any> = {
      openapi: '3.0.1',
      info: { title: this.restApi.restApiName, ...(this.description !== undefined ? { description: this.description } : {}), version: '1.0' },
      paths,
      'x-amazon-apigateway-gateway-responses': this.gatewayResponses.render(),
      // API Gateway checks what each operation declares (required parameters, body models) before
      // invoking a function; a request failing it gets 400 in the DEFAULT_4XX shape.
      'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true, validateRequestParameters: true } },
      'x-amazon-apigateway-request-validator': 'all',
    };
    for (const extend of this.definitionExtensions) {
      extend(definition);
    }
    if (sorted.some(r => r.apiKeyRequired)) {
      declareApiKeySource(definition);
    }
    uniqueOperationIds(this, definition, new Set(sorted.filter(r => r.operationId !== undefined).map(r => r.key)));
    return definition;
  }

  private validateProps(props: ServerlessApiProps): void {
    const stage = props.stage ?? {};
    if (props.stageName !== undefined) { checkStageName(this, 'stageName', props.stageName); }
    const rate = stage.throttlingRateLimit ?? DEFAULT_RATE;
    const burst = stage.throttlingBurstLimit ?? DEFAULT_BURST;
    if (!Token.isUnresolved(rate) && (!Number.isFinite(rate) || rate < 0)) {
      throw propError(this, 'stage.throttlingRateLimit', stage.throttlingRateLimit, 'must be a number >= 0', 'Give requests per second, e.g. 100.');
    }
    if (!Token.isUnresolved(burst) && (!Number.isInteger(burst) || burst < 0)) {
      throw propError(this, 'stage.throttlingBurstLimit', stage.throttlingBurstLimit, 'must be an integer >= 0', 'Give a number of requests, e.g. 200.');
    }
    if (!Token.isUnresolved(rate) && !Token.isUnresolved(burst) && burst < rate) {
      throw propError(this, 'stage.throttlingBurstLimit', burst, `is below stage.throttlingRateLimit (${rate})`,
        'Set the burst to at least the rate limit.');
    }
    for (const [name, value, max] of [
      ['scaling.functionsInApiStack', this.functionsInApiStack, 200],
      ['scaling.functionsPerNestedStack', this.functionsPerNestedStack, 200],
    ] as const) {
      if (!Number.isInteger(value) || value < (name === 'scaling.functionsInApiStack' ? 0 : 1) || value > max) {
        throw propError(this, name, value, `must be an integer from ${name === 'scaling.functionsInApiStack' ? 0 : 1} to ${max}`,
          'Each function costs two resources of a template\'s 500 and one of its 200 outputs; keep the default unless a template overflows.');
      }
    }
  }

  private validateMethod(props: RouteProps): string {
    const raw = props.method;
    const method = typeof raw === 'string' ? raw.toUpperCase() : raw;
    if (typeof method !== 'string' || !(HTTP_METHODS as readonly string[]).includes(method)) {
      throw propError(this, `route '${String(raw)} ${props.path}' method`, raw, 'is not an HTTP method API Gateway supports',
        `Use one of ${HTTP_METHODS.join(', ')}.`);
    }
    return method;
  }

  private checkOperationId(key: string, operationId: string | undefined): void {
    if (operationId === undefined) { return; }
    if (typeof operationId !== 'string' || !OPERATION_ID.test(operationId)) {
      throw propError(this, `route '${key}' operationId`, operationId, 'is not an identifier',
        'Use letters, digits and underscores, starting with a letter, e.g. \'ListThings\'.');
    }
    const other = [...this.routeRecords.values()].find(r => r.operationId === operationId);
    if (other) {
      throw propError(this, `route '${key}' operationId`, operationId, `is already the operationId of route '${other.key}'`,
        'Give each route its own operationId.');
    }
  }

  /**
   * API Gateway allows one parameter name per position under the same parent. The path tree answers in
   * O(path length): checking every declared route made `addRoute` quadratic in the number of routes.
   */
  private checkSiblingParameters(key: string, parsed: ParsedPath): void {
    const conflict = this.pathTree.parameterConflict(parsed.path);
    if (conflict) {
      throw propError(this, `route '${key}' path`, parsed.path,
        `names the parameter ${conflict.ours} where route '${conflict.route}' names ${conflict.theirs} at the same position`,
        `API Gateway allows one parameter name per position: use ${conflict.theirs} in both.`);
    }
  }

  /**
   * The function of a Lambda route: created (placed, named, with a shared role and one invoke
   * permission) the first time its handler is used, shared after. @internal
   */
  public _lambdaTarget(handler: RouteHandler, options: RouteFunctionOptions, route: RouteInfo): { fn: lambda.IFunction; integrationUri: string } {
    const record = this.resolveFunction(handler, options, route.key);
    record.routes.push(route);
    return record;
  }

  private resolveFunction(handler: RouteHandler, options: RouteFunctionOptions, routeName: string): FunctionRecord {
    const source = handler._source;
    const identity = source.kind === 'function' ? source.fn : handler;
    const existing = this.functionRecords.get(identity);
    if (existing) {
      const conflicting = (['memorySize', 'timeout', 'environment', 'description', 'dataAccess', 'role', 'gradualDeployment'] as const)
        .filter(k => options[k] !== undefined);
      if (conflicting.length > 0) {
        throw propError(this, `route '${routeName}' ${conflicting[0]}`, options[conflicting[0]],
          `is set on a route whose handler is already used by route '${existing.routes[0]?.key}'`,
          'Set function options on the shared handler (RouteHandler.fromEntry(entry, { ... })), not on its routes.');
      }
      return existing;
    }
    if (options.role && options.dataAccess) {
      throw propError(this, `route '${routeName}' role`, 'a role', 'and dataAccess are both set',
        'Grant the permissions to your role yourself, or drop the role and let dataAccess pick a shared one.');
    }
    const merged: RouteFunctionOptions = { ...handler._options, ...definedOnly(options) };
    if (merged.role && merged.dataAccess) {
      throw propError(this, `route '${routeName}' role`, 'a role', 'and dataAccess are both set',
        'Grant the permissions to your role yourself, or drop the role and let dataAccess pick a shared one.');
    }

    let fn: lambda.IFunction;
    let scope: Construct;
    let integrationUri: string;
    let invokeTarget: lambda.IFunction | undefined;
    if (source.kind === 'function') {
      if (options.gradualDeployment !== undefined) {
        throw propError(this, `route '${routeName}' gradualDeployment`, 'a deployment', 'is set on a function you own (RouteHandler.fromFunction)',
          'The library publishes versions only of functions it creates: give your function its own alias and LambdaDeploymentGroup, and pass the alias to RouteHandler.fromFunction.');
      }
      fn = source.fn;
      scope = this;
      // Partition and region are literals when the stack has an explicit environment: short body entries.
      integrationUri = lambdaInvocationUri(this, fn.functionArn);
    } else {
      scope = this.placeNextFunction();
      const id = this.uniqueId(pascalRouteId(...splitRoute(routeName)), 'Function');
      // Every function the API creates gets a physical name, and the body integrates with the ARN
      // built from that name. Referencing its GetAtt instead would (a) make the RestApi depend on a
      // nested stack whose permissions depend on the RestApi, a cycle, and (b) cost a multi-line
      // Fn::Join per route, which at 1,000 routes pushes the template past 1 MB.
      const functionName = routeFunctionName(this, scope, id);
      fn = createRouteFunction(scope, id, {
        functionName,
        source,
        options: merged,
        defaults: this._functionDefaults,
        role: merged.role ?? this.sharedRole(merged),
        logGroup: this.functionLogGroup,
        description: merged.description ?? Lazy.string({ produce: () => `${Stack.of(this).stackName} ${record.routes.map(r => r.key).join(', ')}`.slice(0, 256) }),
        routeName,
      });
      integrationUri = this.namedFunctionIntegrationUri(functionName);
      const gradual = merged.gradualDeployment ?? this.gradualDeployment;
      if (gradual) {
        const { alias } = GradualDeployments.of(this).deploy(scope, id.replace(/Function$/, ''), fn as lambda.Function, gradual, `route '${routeName}'`);
        invokeTarget = alias;
        integrationUri = this.namedFunctionIntegrationUri(`${functionName}:${alias.aliasName}`);
        this.restApi.latestDeployment?.node.addDependency(scope instanceof NestedStack ? scope : alias);
      }
      // Deploy the stage only once the functions it integrates with exist.
      this.restApi.latestDeployment?.node.addDependency(scope instanceof NestedStack ? scope : fn);
    }
    const record: FunctionRecord = { fn, invokeTarget, integrationUri, routes: [] };
    this.functionRecords.set(identity, record);
    this.addInvokePermission(scope, record, routeName);
    return record;
  }

  /**
   * Creates the function of a Lambda authorizer's `handlerCode` the way route functions are created
   * (same defaults, shared role, physical name, placement), and returns it with its invocation URI.
   * @internal
   */
  public _authorizerFunction(authorizerName: string, handler: RouteHandler): { fn: lambda.IFunction; uri: string } {
    const source = handler._source;
    const subject = `authorizer '${authorizerName}' handlerCode`;
    if (source.kind === 'function') {
      throw new Error(`${this.node.path}: ${subject} wraps an existing function; pass it as handler.`); // the caller does
    }
    const options = handler._options;
    if (options.role && options.dataAccess) {
      throw propError(this, `${subject} role`, 'a role', 'and dataAccess are both set',
        'Grant the permissions to your role yourself, or drop the role and let dataAccess pick a shared one.');
    }
    const scope = this.placeNextFunction();
    const id = this.uniqueId(pascal(authorizerName) || 'Lambda', 'Function');
    const functionName = routeFunctionName(this, scope, id);
    const fn = createRouteFunction(scope, id, {
      functionName,
      source,
      options,
      defaults: this._functionDefaults,
      role: options.role ?? this.sharedRole(options),
      logGroup: this.functionLogGroup,
      description: options.description ?? `${Stack.of(this).stackName} authorizer ${authorizerName}`.slice(0, 256),
      routeName: authorizerName,
      subject,
    });
    // Deploy the stage only once the authorizer function exists.
    this.restApi.latestDeployment?.node.addDependency(scope instanceof NestedStack ? scope : fn);
    return { fn, uri: this.namedFunctionIntegrationUri(functionName) };
  }

  /**
   * One permission per function (aws-cdk-lib adds two per method): scoped to the route's method and
   * path when the function serves one route, to this API's stage when it serves several. One
   * statement per function also keeps its resource policy far from Lambda's 20 KB cap.
   */
  private addInvokePermission(scope: Construct, record: FunctionRecord, routeName: string): void {
    const sourceArn = Lazy.string({
      produce: () => {
        if (record.routes.length === 1) {
          const only = record.routes[0];
          return this.restApi.arnForExecuteApi(wildcardMethod(only.method), only.parsed.arnPath, this.stageName);
        }
        return this.restApi.arnForExecuteApi('*', '/*', this.stageName);
      },
    });
    const principal = new iam.ServicePrincipal('apigateway.amazonaws.com');
    const fn = record.invokeTarget ?? record.fn;
    if (fn instanceof lambda.Function || fn instanceof lambda.Alias) {
      fn.addPermission('ApiGatewayInvoke', { principal, sourceArn, action: 'lambda:InvokeFunction' });
    } else {
      new lambda.CfnPermission(scope, this.uniqueId(pascalRouteId(...splitRoute(routeName)), 'Invoke'), {
        action: 'lambda:InvokeFunction',
        functionName: fn.functionArn,
        principal: principal.service,
        sourceArn,
      });
    }
  }

  /**
   * The integration URI of a function known by name: one literal string (explicit environment) or one
   * `Fn::Sub` string. At 1,000 routes the body is most of the API stack's template, and a `Fn::Join`
   * per route would push it past CloudFormation's 1 MB.
   */
  private namedFunctionIntegrationUri(functionName: string): string {
    const stack = Stack.of(this);
    const template = 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/'
      + 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:' + functionName + '/invocations';
    if (Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account) || Token.isUnresolved(stack.partition)) {
      return Fn.sub(template);
    }
    return template.replace(/\$\{AWS::Partition\}/g, stack.partition).replace(/\$\{AWS::Region\}/g, stack.region)
      .replace(/\$\{AWS::AccountId\}/g, stack.account);
  }

  /** Functions that need the same permissions share one role. */
  private sharedRole(options: RouteFunctionOptions): iam.IRole {
    return this.sharedRoles.roleFor(options.dataAccess);
  }

  /** The scope the next owned function goes into: the API's own stack, then nested stacks. */
  private placeNextFunction(): Construct {
    const index = this.ownedFunctions++;
    if (index < this.functionsInApiStack) {
      return this;
    }
    const shard = Math.floor((index - this.functionsInApiStack) / this.functionsPerNestedStack);
    while (this.nestedStacks.length <= shard) {
      const nested = new NestedStack(this, `Routes${this.nestedStacks.length + 1}`, {
        description: `${ROUTE_STACK_DESCRIPTION}${this.nestedStacks.length + 1} of ${this.node.path}`,
      });
      this.nestedStacks.push(nested);
    }
    return this.nestedStacks[shard];
  }

  /**
   * `base + suffix`, or `base + n + suffix` when taken: 'GetABFunction', then 'GetAB2Function', so a
   * function's physical name reads 'Prod-Api-GetAB2-1A2B3C4D', not '...-GetABFunction2-...'.
   */
  private uniqueId(base: string, suffix: string): string {
    let id = `${base}${suffix}`;
    for (let n = 2; this.usedIds.has(id); n++) {
      id = `${base}${n}${suffix}`;
    }
    this.usedIds.add(id);
    return id;
  }
}

function splitRoute(routeName: string): [string, string] {
  const [method, ...rest] = routeName.split(' ');
  return [method, rest.join(' ')];
}

/**
 * The physical name of a route function: unique per account and region (it includes the API stack's
 * name, which carries the cdk.Stage prefix, and a hash of the construct path), at most 64
 * characters, stable for a path, and readable in the console: `Prod-Api-GetItemsById-1A2B3C4D`.
 */
function routeFunctionName(api: Construct, scope: Construct, id: string): string {
  const stackName = Stack.of(api).stackName;
  const prefix = Token.isUnresolved(stackName) ? 'api' : stackName.replace(/[^A-Za-z0-9-_]/g, '');
  const hash = shortHash(`${scope.node.path}/${id}`);
  return `${prefix.slice(0, 28)}-${id.replace(/Function$/, '').slice(0, 25)}-${hash}`;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
