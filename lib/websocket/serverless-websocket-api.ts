import { Annotations, ArnFormat, Duration, Fn, Lazy, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { WebSocketAuthorization, CognitoTokenUse, WebSocketTokenSource } from './websocket-authorization';
import { WebSocketDomain, WebSocketDomainOptions } from './websocket-domain';
import { WebSocketTarget, WebSocketTargetBinding } from './websocket-target';
import { ApiGatewayAccount } from '../api/api-gateway-account';
import { createRouteFunction, FunctionDefaults } from '../api/route-function';
import { RouteFunctionOptions, RouteHandler } from '../api/route-handler';
import type { ApiStageOptions } from '../api/serverless-api';
import { SharedFunctionRoles } from '../api/shared-roles';
import { propError } from '../core/errors';
import { lambdaInvocationUri } from '../core/lambda-uri';
import { checkStageName } from '../core/stage-name';
import { libraryHandler } from '../core/library-handler';
import { pascal } from '../core/names';
import { DataAccess } from '../data/data-access';
import { ServerlessTable } from '../data/serverless-table';
import { acknowledgeWildcardResource } from '../nag/wildcard-resource';
import {
  BY_PRINCIPAL_INDEX, BY_TOPIC_INDEX, CONNECTION_ID, DEFAULT_TTL_MARGIN_SECONDS, ENV_ATTRIBUTE_PARAMETERS, ENV_ENDPOINT, ENV_TABLE_NAME,
  ENV_TOPIC_PARAMETER, ENV_TTL_SECONDS, EXPIRES_AT, MAX_CONNECTION_SECONDS, PARAMETER_NAME, PRINCIPAL, TOPIC,
} from '../runtime/websocket/schema';
import type { ApiQuota } from '../traffic/api-usage-plan';
import { ThrottleLimits, validateThrottle } from '../traffic/throttle-limits';

/** Where API Gateway reads the API key of a $connect. */
export enum WebSocketApiKeySource {
  /** The `x-api-key` header of the handshake (non-browser clients). */
  HEADER = 'HEADER',
  /** The `usageIdentifierKey` a Lambda authorizer returns (browsers, which cannot set headers). */
  AUTHORIZER = 'AUTHORIZER',
}

/** The connections table the library manages. */
export interface ConnectionTrackingOptions {
  /**
   * A query string parameter of the $connect whose value becomes the connection's topic (a room,
   * a channel), for `broadcastToTopic`: `wss://.../dev?room=lobby`.
   * @default - no topic
   */
  readonly topicParameter?: string;
  /**
   * Query string parameters of the $connect stored with the connection (values of 1-256 printable
   * characters; a bad value refuses the handshake with 400).
   * @default - none
   */
  readonly attributeParameters?: string[];
  /**
   * How long after its $connect a row may be removed by TTL if no $disconnect and no 410 removed it
   * first. At least API Gateway's 2-hour connection cap.
   * @default Duration.minutes(135) (2 hours + 15 minutes)
   */
  readonly timeToLive?: Duration;
  /**
   * What happens to the table when it leaves the stack. Rows live at most `timeToLive`, so nothing
   * is lost by DESTROY; clients reconnect.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Point-in-time recovery of the table.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
}

/** A route of a WebSocket API: a route key and what its messages go to. */
export interface WebSocketRouteProps {
  /**
   * The value of the route selection expression that selects this route (e.g. 'sendMessage' for
   * `{"action":"sendMessage"}`), or '$default' for every message no other route matches.
   * '$connect' and '$disconnect' belong to the library (connection tracking).
   */
  readonly routeKey: string;
  /**
   * A Lambda handler for the route's messages (shorthand for `target: WebSocketTarget.handler(...)`).
   * Exactly one of `handler` and `target`.
   * @default - none; `target` is required instead
   */
  readonly handler?: RouteHandler;
  /**
   * What the route's messages go to. Exactly one of `handler` and `target`.
   * @default - none; `handler` is required instead
   */
  readonly target?: WebSocketTarget;
  /**
   * A two-way route: the integration's answer is sent back to the sender (a route response).
   * @default false
   */
  readonly returnResponse?: boolean;
  /**
   * Throttling of this route on the stage (for every connection together).
   * @default - the stage's limits
   */
  readonly throttle?: ThrottleLimits;
  /**
   * Not supported for routes: API Gateway authorizes WebSocket APIs on `$connect` only (messages
   * travel on a connection authorized when it opened). Setting it is an error that says so; use the
   * API's `connectAuthorization`.
   * @default - the connection's authorization
   */
  readonly authorization?: WebSocketAuthorization;
}

/** A usage plan of a WebSocket API's stage. */
export interface WebSocketUsagePlanOptions {
  /**
   * The plan's name; the stage name is appended.
   * @default - the construct ID
   */
  readonly planName?: string;
  /**
   * Throttling of each key's messages.
   * @default - the stage's limits only
   */
  readonly throttle?: ThrottleLimits;
  /**
   * Messages each key may send per period.
   * @default - no quota
   */
  readonly quota?: ApiQuota;
}

/** Props of {@link ServerlessWebSocketApi}. */
export interface ServerlessWebSocketApiProps {
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
   * The stage's name (one stage per API; deploy dev, test and prod as separate `cdk.Stage`s).
   * @default 'dev'
   */
  readonly stageName?: string;
  /**
   * Logs and throttling of the stage: the same `ApiStageOptions` as a REST `ServerlessApi`, so one
   * `EnvironmentConfig` serves both. `tracingEnabled` does not apply (API Gateway does not trace
   * WebSocket APIs; the functions still do).
   * @default - JSON access logs kept one month, ERROR execution logs, 100 messages/s, burst 200
   */
  readonly stage?: ApiStageOptions;
  /**
   * The route selection expression: which part of a JSON message picks the route. API Gateway
   * supports `$request.body.<path>` (also inside `${...}` with literal text around) or the
   * literal `\$default` (every message to $default).
   * @default '$request.body.action'
   */
  readonly routeSelectionExpression?: string;
  /**
   * Who may connect. Secure by default: a public API is always an explicit `WebSocketAuthorization.none()`.
   * @default WebSocketAuthorization.iam()
   */
  readonly connectAuthorization?: WebSocketAuthorization;
  /**
   * Whether a $connect needs an API key of one of the API's usage plans (`addUsagePlan`, `addApiKey`).
   * @default false
   */
  readonly apiKeyRequired?: boolean;
  /**
   * Where the API key comes from when `apiKeyRequired`.
   * @default WebSocketApiKeySource.HEADER
   */
  readonly apiKeySource?: WebSocketApiKeySource;
  /**
   * The connections table.
   * @default - no topic, no attributes, TTL 2 h 15 min, PITR on, DESTROY
   */
  readonly connections?: ConnectionTrackingOptions;
  /**
   * Routes to add now; more with `addRoute`.
   * @default - none
   */
  readonly routes?: WebSocketRouteProps[];
  /**
   * Defaults for every function the API creates (its handlers' and the library's own).
   * @default - Node.js 24 on arm64, 512 MB, 10 seconds
   */
  readonly functionDefaults?: FunctionDefaults;
  /**
   * Manage the account-level CloudWatch role API Gateway needs for logging (see `ApiGatewayAccount`).
   * @default true
   */
  readonly cloudWatchRole?: boolean;
}

/** A route the API serves. */
export interface WebSocketApiRoute {
  /** The route key. */
  readonly routeKey: string;
  /** The route. */
  readonly route: apigwv2.WebSocketRoute;
  /** The function behind it, for handler routes. */
  readonly function?: lambda.IFunction;
}

interface FunctionRecord {
  readonly fn: lambda.IFunction;
  readonly integration: apigwv2.WebSocketRouteIntegration;
  readonly routeKeys: string[];
}

const RESERVED = ['$connect', '$disconnect', '$default'];
const LIBRARY_ROUTES = ['$connect', '$disconnect'];
const DEFAULT_RATE = 100;
const DEFAULT_BURST = 200;
const ROUTE_KEY = /^[\x20-\x7E]{1,128}$/;
/** A variable of a route selection expression: $request.body.a.b or ${request.body.a.b}. */
const BODY_VARIABLE = /\$\{request\.body\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\}|\$request\.body\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*/g;

/**
 * A WebSocket API on API Gateway that does the whole job of real-time messaging, per stage:
 *
 * - **Connections tracked for you.** A DynamoDB table (on-demand, PITR, TTL past API Gateway's
 *   2-hour connection cap) gets a row on every `$connect` (connection id, the principal the
 *   authorizer established, connect time, optional topic and attributes from the query string) and
 *   loses it on `$disconnect`, by the library's own functions: no code of yours.
 * - **Sending that cleans up after itself.** `grantManageConnections(fn)` lets a function use the
 *   runtime helper `WebSocketConnections` (send to one connection, a principal, a topic, everyone;
 *   bounded concurrency; throttling retried; 410 Gone rows deleted in the same call).
 * - **Routes** `$default` and custom ones (chosen by the route selection expression), each a Lambda
 *   handler with the same `RouteHandler`, function defaults and shared roles as REST routes, a mock
 *   or an SQS queue; two-way routes answer the sender.
 * - **Auth on $connect**: IAM, your Lambda authorizer, or Cognito tokens verified by the library's
 *   authorizer; API keys and usage plans.
 * - **Stage** with JSON access logs, execution logs without data trace, stage and per-route
 *   throttling, a REGIONAL custom domain, cdk-nag clean.
 *
 * Why library functions rather than direct DynamoDB integrations for $connect/$disconnect: a direct
 * integration would build the PutItem request in a Velocity template, and a value from the query
 * string (a room name) cannot be escaped into JSON safely there (`$util.escapeJavaScript` turns `'`
 * into `\'`, which is not JSON, so such a value breaks or rewrites the request), nor be validated; the
 * template also cannot be tested offline. The functions are small (a PutItem, a DeleteItem), least
 * privilege, tested against DynamoDB, share the table schema with the send helper, and log JSON. The
 * cost is one short invocation per connect and disconnect, which is small next to the messages.
 *
 * @example
 * const chat = new ServerlessWebSocketApi(this, 'Chat', {
 *   connectAuthorization: WebSocketAuthorization.cognito({ userPool, userPoolClients: [client] }),
 *   connections: { topicParameter: 'room' },
 * });
 * chat.addRoute({ routeKey: 'sendMessage', handler: RouteHandler.fromEntry('src/send.ts', { dataAccess: [chat.manageConnections] }) });
 */
export class ServerlessWebSocketApi extends Construct {
  /** The API Gateway WebSocket API. */
  public readonly webSocketApi: apigwv2.WebSocketApi;
  /** The API's stage (auto-deployed: every change of routes or integrations is live after deploy). */
  public readonly stage: apigwv2.WebSocketStage;
  /** The stage's name. */
  public readonly stageName: string;
  /** The connections table. */
  public readonly connectionsTable: dynamodb.Table;
  /** The log group of the stage's JSON access logs. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The log group every function of the API writes to. */
  public readonly functionLogGroup: logs.LogGroup;
  /** The library's $connect function (records the connection). */
  public readonly connectFunction: lambda.IFunction;
  /** The library's $disconnect function (deletes the row). */
  public readonly disconnectFunction: lambda.IFunction;
  /** The $connect authorizer function (yours, or the library's Cognito one), for Lambda and Cognito authorization. */
  public readonly authorizerFunction?: lambda.IFunction;
  /** The $connect route. */
  public readonly connectRoute: apigwv2.WebSocketRoute;
  /** How connections are authorized. */
  public readonly connectAuthorization: WebSocketAuthorization;
  /**
   * Permission to send to this API's connections with the runtime helper: `execute-api:ManageConnections`
   * on this stage's `@connections`, and the table reads and deletes the helper makes. Give it to a
   * RouteHandler's `dataAccess` (functions with the same accesses share a role); the library sets
   * the helper's environment on every function this API creates.
   */
  public readonly manageConnections: DataAccess;

  private readonly functionDefaults: FunctionDefaults;
  private readonly sharedRoles: SharedFunctionRoles;
  private readonly routeRecords = new Map<string, WebSocketApiRoute>();
  private readonly functionRecords = new Map<RouteHandler | lambda.IFunction, FunctionRecord>();
  private readonly throttles = new Map<string, ThrottleLimits>();
  private readonly usedIds = new Set<string>();
  private readonly executionLogLevel: string;
  private readonly detailedMetrics: boolean;
  private readonly apiKeyRequired: boolean;

  constructor(scope: Construct, id: string, props: ServerlessWebSocketApiProps = {}) {
    super(scope, id);
    const stageOptions = props.stage ?? {};
    this.stageName = props.stageName ?? 'dev';
    this.connectAuthorization = props.connectAuthorization ?? WebSocketAuthorization.iam();
    this.apiKeyRequired = props.apiKeyRequired ?? false;
    this.functionDefaults = props.functionDefaults ?? {};
    this.executionLogLevel = String(stageOptions.executionLogLevel ?? apigateway.MethodLoggingLevel.ERROR);
    this.detailedMetrics = stageOptions.detailedMetrics ?? false;
    const connections = props.connections ?? {};
    const ttlSeconds = this.validateProps(props, connections);

    const logRetention = stageOptions.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const logRemovalPolicy = stageOptions.logRemovalPolicy ?? RemovalPolicy.RETAIN;
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention: logRetention, removalPolicy: logRemovalPolicy });
    this.functionLogGroup = new logs.LogGroup(this, 'FunctionLogs', { retention: logRetention, removalPolicy: logRemovalPolicy });
    this.sharedRoles = new SharedFunctionRoles(this, this.functionLogGroup);

    this.webSocketApi = new apigwv2.WebSocketApi(this, 'Resource', {
      apiName: props.apiName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      description: props.description,
      routeSelectionExpression: props.routeSelectionExpression ?? '$request.body.action',
      apiKeySelectionExpression: this.apiKeyRequired
        ? ((props.apiKeySource ?? WebSocketApiKeySource.HEADER) === WebSocketApiKeySource.AUTHORIZER
          ? apigwv2.WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY
          : apigwv2.WebSocketApiKeySelectionExpression.HEADER_X_API_KEY)
        : undefined,
    });
    this.node.defaultChild = this.webSocketApi.node.defaultChild;

    const table = new ServerlessTable(this, 'Connections', {
      partitionKey: { name: CONNECTION_ID, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: EXPIRES_AT,
      removalPolicy: connections.removalPolicy ?? RemovalPolicy.DESTROY,
      pointInTimeRecovery: connections.pointInTimeRecovery ?? true,
      globalSecondaryIndexes: [
        { indexName: BY_PRINCIPAL_INDEX, partitionKey: { name: PRINCIPAL, type: dynamodb.AttributeType.STRING }, projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [EXPIRES_AT] },
        { indexName: BY_TOPIC_INDEX, partitionKey: { name: TOPIC, type: dynamodb.AttributeType.STRING }, projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [EXPIRES_AT] },
      ],
    });
    this.connectionsTable = table.table;

    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.webSocketApi,
      stageName: this.stageName,
      description: `${this.stageName} stage`,
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.defaultRouteSettings = {
      throttlingRateLimit: stageOptions.throttlingRateLimit ?? DEFAULT_RATE,
      throttlingBurstLimit: stageOptions.throttlingBurstLimit ?? DEFAULT_BURST,
      loggingLevel: this.executionLogLevel,
      // Data trace would write message bodies and tokens to the execution logs.
      dataTraceEnabled: false,
      detailedMetricsEnabled: this.detailedMetrics,
    };
    cfnStage.routeSettings = Lazy.any({ produce: () => this.renderRouteSettings() });
    if (props.cloudWatchRole ?? true) {
      this.stage.node.addDependency(ApiGatewayAccount.of(this));
    }
    if (stageOptions.tracingEnabled === true) {
      Annotations.of(this).addInfo('stage.tracingEnabled does not apply to WebSocket APIs: API Gateway traces REST APIs only. The functions trace with X-Ray.');
    }

    this.manageConnections = DataAccess._of(`manage-connections:${Names.uniqueId(this)}`,
      `execute-api:ManageConnections on ${Names.uniqueId(this)}, connections of ${Names.uniqueId(this.connectionsTable)}`, grantee => {
      this.grantManageConnectionsTo(grantee);
    });

    // The library's own functions, each with exactly the table action it makes.
    const env = {
      [ENV_TABLE_NAME]: this.connectionsTable.tableName,
      [ENV_TTL_SECONDS]: String(ttlSeconds),
      ...(connections.topicParameter ? { [ENV_TOPIC_PARAMETER]: connections.topicParameter } : {}),
      ...(connections.attributeParameters?.length ? { [ENV_ATTRIBUTE_PARAMETERS]: connections.attributeParameters.join(',') } : {}),
    };
    this.connectFunction = this.libraryFunction('ConnectFunction', 'connect', env, ['dynamodb:PutItem'], '$connect: records the connection');
    this.disconnectFunction = this.libraryFunction('DisconnectFunction', 'disconnect', { [ENV_TABLE_NAME]: this.connectionsTable.tableName },
      ['dynamodb:DeleteItem'], '$disconnect: deletes the connection');

    const authorizer = this.createAuthorizer();
    this.authorizerFunction = authorizer?.fn;
    this.connectRoute = new apigwv2.WebSocketRoute(this, 'ConnectRoute', {
      webSocketApi: this.webSocketApi,
      routeKey: '$connect',
      integration: this.functionRecord(this.connectFunction, '$connect').integration,
      authorizer: authorizer?.routeAuthorizer ?? (this.connectAuthorization.kind === 'iam' ? new WebSocketIamAuthorizer() : undefined),
      apiKeyRequired: this.apiKeyRequired || undefined,
    });
    this.routeRecords.set('$connect', { routeKey: '$connect', route: this.connectRoute, function: this.connectFunction });
    if (this.connectAuthorization.kind === 'none') {
      Validations.of(this.connectRoute.node.defaultChild!).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Declared public with WebSocketAuthorization.none() as the API\'s connectAuthorization: anyone may open a connection.',
      });
    }
    const disconnectRoute = new apigwv2.WebSocketRoute(this, 'DisconnectRoute', {
      webSocketApi: this.webSocketApi,
      routeKey: '$disconnect',
      integration: this.functionRecord(this.disconnectFunction, '$disconnect').integration,
    });
    acknowledgeMessageRoute(disconnectRoute);
    this.routeRecords.set('$disconnect', { routeKey: '$disconnect', route: disconnectRoute, function: this.disconnectFunction });

    for (const route of props.routes ?? []) {
      this.addRoute(route);
    }
  }

  /** The stage's WebSocket URL, e.g. wss://abc.execute-api.eu-west-1.amazonaws.com/dev. */
  public get url(): string {
    return this.stage.url;
  }

  /** The stage's management endpoint (https), what the runtime helper posts to. */
  public get callbackUrl(): string {
    return this.stage.callbackUrl;
  }

  /** The environment of the runtime helper: table name and management endpoint. */
  public get connectionsEnvironment(): { [key: string]: string } {
    return { [ENV_TABLE_NAME]: this.connectionsTable.tableName, [ENV_ENDPOINT]: this.callbackUrl };
  }

  /** The routes, the library's $connect and $disconnect included. */
  public get routes(): WebSocketApiRoute[] {
    return [...this.routeRecords.values()];
  }

  /** Adds a route. Throws at synth on a reserved or duplicate route key and on bad props. */
  public addRoute(props: WebSocketRouteProps): WebSocketApiRoute {
    const routeKey = props.routeKey;
    this.validateRoute(props);
    const returnResponse = props.returnResponse ?? false;
    const target = props.target ?? WebSocketTarget.handler(props.handler!);
    const routeId = this.uniqueId(routeKey === '$default' ? 'DefaultRoute' : `Route${pascal(routeKey) || 'Custom'}`);
    let fn: lambda.IFunction | undefined;
    const binding: WebSocketTargetBinding = {
      scope: this,
      routeKey,
      returnResponse,
      uniqueId: base => this.uniqueId(base),
      handlerIntegration: handler => {
        const record = this.handlerRecord(handler, routeKey);
        fn = record.fn;
        return record.integration;
      },
    };
    const integration = target._bind(binding);
    const route = new apigwv2.WebSocketRoute(this, routeId, {
      webSocketApi: this.webSocketApi,
      routeKey,
      integration,
      returnResponse,
    });
    acknowledgeMessageRoute(route);
    const record: WebSocketApiRoute = { routeKey, route, function: fn };
    this.routeRecords.set(routeKey, record);
    if (props.throttle) {
      this.throttleRoute(routeKey, props.throttle);
    } else if (this.throttles.has(routeKey)) {
      this.stage.node.addDependency(route);
    }
    return record;
  }

  /** The function serving a route, e.g. functionFor('sendMessage'). */
  public functionFor(routeKey: string): lambda.IFunction {
    const fn = this.routeRecords.get(routeKey)?.function;
    if (!fn) {
      throw propError(this, 'route', routeKey, 'is not a handler route of this API',
        `Use one of: ${[...this.routeRecords.values()].filter(r => r.function).map(r => r.routeKey).join(', ')}.`);
    }
    return fn;
  }

  /**
   * Throttles one route on the stage (all connections together), next to the stage-wide limits.
   * '$connect' limits new connections (a reconnect storm after a deploy).
   */
  public throttleRoute(routeKey: string, limits: ThrottleLimits): void {
    validateThrottle(this, `route '${routeKey}' throttle`, limits);
    if (this.throttles.has(routeKey)) {
      throw propError(this, `throttleRoute('${routeKey}')`, routeKey, 'is called twice for the same route', 'Throttle each route once.');
    }
    this.throttles.set(routeKey, limits);
    // API Gateway rejects settings of a route that does not exist yet.
    const existing = this.routeRecords.get(routeKey)?.route;
    if (existing) {
      this.stage.node.addDependency(existing);
    }
    this.node.addValidation({
      validate: () => (this.routeRecords.has(routeKey) ? [] : [
        propError(this, 'throttleRoute', routeKey, 'names a route the API does not have', `Throttle one of: ${[...this.routeRecords.keys()].join(', ')}.`).message,
      ]),
    });
  }

  /**
   * Lets `grantee` send to this API's connections with the runtime helper: `execute-api:ManageConnections`
   * on this stage's `@connections` (POST, GET, DELETE), and the reads and deletes the helper makes on the
   * connections table (Query on its two indexes, Scan, GetItem, UpdateItem for `setTopic`, DeleteItem and
   * BatchWriteItem for 410 clean-up). For a `lambda.Function`, also sets the helper's environment.
   */
  public grantManageConnections(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grantManageConnectionsTo(grantee);
    if (grantee instanceof lambda.Function) {
      for (const [key, value] of Object.entries(this.connectionsEnvironment)) {
        grantee.addEnvironment(key, value);
      }
    }
    return grant;
  }

  /** Lets `grantee` open connections when `connectAuthorization` is IAM (`execute-api:Invoke` on $connect). */
  public grantConnect(grantee: iam.IGrantable): iam.Grant {
    if (this.connectAuthorization.kind !== 'iam') {
      throw propError(this, 'connectAuthorization', this.connectAuthorization.kind, 'is not IAM, so grantConnect has no effect',
        'Use WebSocketAuthorization.iam() to authorize SigV4-signed connections, or authorize clients with the authorizer you chose.');
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.arnForRoute('$connect')],
    });
  }

  /** The execute-api ARN of a route of this stage: `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<routeKey>`. */
  public arnForRoute(routeKey: string): string {
    return Stack.of(this).formatArn({
      service: 'execute-api', resource: this.webSocketApi.apiId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME, resourceName: `${this.stageName}/${routeKey}`,
    });
  }

  /**
   * Serves the stage on a REGIONAL custom domain of its own, e.g. 'ws.example.com' next to the REST
   * API's 'api.example.com' (API Gateway cannot map a WebSocket API on a REST API's domain).
   *
   * @param mappingKey the path after the domain ('' for the root)
   */
  public addDomain(options: WebSocketDomainOptions, mappingKey: string = '', id: string = 'Domain'): WebSocketDomain {
    return new WebSocketDomain(this, id, { ...options, mappings: [{ api: this, mappingKey }] });
  }

  /** Adds a usage plan on this stage; keys join it with `addApiKey`. Needs `apiKeyRequired`. */
  public addUsagePlan(id: string, options: WebSocketUsagePlanOptions = {}): apigwv2.UsagePlan {
    if (!this.apiKeyRequired) {
      throw propError(this, 'apiKeyRequired', false, 'is off, so a usage plan would limit nothing',
        'Set apiKeyRequired: true on the API (clients then send a key on $connect), or drop the usage plan.');
    }
    if (options.throttle) {
      validateThrottle(this, `usage plan '${id}' throttle`, options.throttle);
    }
    const quota = options.quota;
    if (quota && (!Number.isInteger(quota.limit) || quota.limit < 1)) {
      throw propError(this, `usage plan '${id}' quota.limit`, quota.limit, 'must be an integer >= 1', 'Give messages per period, e.g. 100000.');
    }
    return new apigwv2.UsagePlan(this, id, {
      usagePlanName: `${options.planName ?? id}-${this.stageName}`,
      apiStages: [{ api: this.webSocketApi, stage: this.stage }],
      throttle: options.throttle ? { rateLimit: options.throttle.rateLimit, burstLimit: options.throttle.burstLimit } : undefined,
      quota: quota ? { limit: quota.limit, period: quota.period, offset: quota.offset } : undefined,
    });
  }

  /** Adds an API key (value generated by API Gateway) to a usage plan of this API. */
  public addApiKey(id: string, usagePlan: apigwv2.UsagePlan, apiKeyName?: string): apigwv2.ApiKey {
    const key = new apigwv2.ApiKey(this, id, { apiKeyName: apiKeyName ? `${apiKeyName}-${this.stageName}` : undefined });
    usagePlan.addApiKey(key);
    return key;
  }

  /** New connections per period (the `ConnectCount` metric). */
  public metricConnectCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ConnectCount', { statistic: 'Sum', ...props });
  }

  /** Messages received and sent (the `MessageCount` metric). */
  public metricMessageCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('MessageCount', { statistic: 'Sum', ...props });
  }

  /** Requests answered 4XX before reaching the integration, throttling included (`ClientError`). */
  public metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ClientError', { statistic: 'Sum', ...props });
  }

  /** Integration errors (`IntegrationError`): a function failing or timing out. */
  public metricIntegrationError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('IntegrationError', { statistic: 'Sum', ...props });
  }

  /** Errors inside API Gateway while calling the integration (`ExecutionError`). */
  public metricExecutionError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ExecutionError', { statistic: 'Sum', ...props });
  }

  private metric(name: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName: name,
      dimensionsMap: { ApiId: this.webSocketApi.apiId, Stage: this.stageName },
      ...props,
    });
  }

  private grantManageConnectionsTo(grantee: iam.IGrantable): iam.Grant {
    // The stage's own grant: execute-api:ManageConnections on <api>/<stage>/*/@connections/*.
    const manage = this.stage.grantManagementApiAccess(grantee);
    const tableArn = this.connectionsTable.tableArn;
    const table = iam.Grant.addToPrincipal({
      grantee,
      // BatchWriteItem: a broadcast deletes its gone rows 25 per call (the helper sends DeleteRequests only).
      // IAM cannot limit it to deletes, but it allows nothing UpdateItem (an upsert) and DeleteItem do not already.
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
      // The two indexes by name: no index/* wildcard.
      resourceArns: [tableArn, `${tableArn}/index/${BY_PRINCIPAL_INDEX}`, `${tableArn}/index/${BY_TOPIC_INDEX}`],
    });
    const principal = grantee.grantPrincipal;
    const policy = principal instanceof iam.Role ? principal.node.tryFindChild('DefaultPolicy') : undefined;
    const connectionsArn = manage.principalStatements[0]?.resources[0];
    if (policy && connectionsArn) {
      acknowledgeWildcardResource(policy, connectionsArn,
        `execute-api:ManageConnections on ${this.node.path}'s stage '${this.stageName}' only: connection ids exist at run time, `
        + 'so @connections/* (and its POST, GET and DELETE methods) is the narrowest resource IAM offers.');
    }
    return manage.combine(table);
  }

  /** A library handler of lib/runtime/websocket, with exactly the table actions it makes. */
  private libraryFunction(id: string, handlerName: string, environment: Record<string, string>, actions: string[], description: string): lambda.IFunction {
    const table = this.connectionsTable;
    const access = DataAccess._of(`actions:${Names.uniqueId(table)}:${actions.join(',')}:table-only`,
      `${actions.join(', ')} on ${Names.uniqueId(table)} (table only)`, grantee => {
      iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [table.tableArn] });
    });
    const options: RouteFunctionOptions = { environment, dataAccess: [access], description: `${this.node.path} ${description}`.slice(0, 256) };
    return this.createFunction(id, libraryHandler(`websocket/${handlerName}`, options), handlerName, undefined, false);
  }

  private createFunction(id: string, handler: RouteHandler, routeName: string, subject?: string, helperEnvironment = true): lambda.IFunction {
    const source = handler._source;
    if (source.kind === 'function') {
      return source.fn;
    }
    const options = handler._options;
    if (options.role && options.dataAccess) {
      throw propError(this, `${subject ?? `route '${routeName}'`} role`, 'a role', 'and dataAccess are both set',
        'Grant the permissions to your role yourself, or drop the role and let dataAccess pick a shared one.');
    }
    const fn = createRouteFunction(this, this.uniqueId(id), {
      source,
      options: helperEnvironment ? { ...options, environment: { ...this.connectionsEnvironment, ...options.environment } } : options,
      defaults: this.functionDefaults,
      role: options.role ?? this.sharedRoles.roleFor(options.dataAccess),
      logGroup: this.functionLogGroup,
      description: options.description ?? `${this.node.path} ${routeName}`.slice(0, 256),
      routeName,
      subject,
    });
    return fn;
  }

  /** One function, one integration and one invoke permission per handler, whatever the number of routes. */
  private handlerRecord(handler: RouteHandler, routeKey: string): FunctionRecord {
    const identity = handler._source.kind === 'function' ? handler._source.fn : handler;
    const existing = this.functionRecords.get(identity);
    if (existing) {
      existing.routeKeys.push(routeKey);
      return existing;
    }
    const fn = this.createFunction(`${pascal(routeKey) || 'Default'}Function`, handler, routeKey);
    return this.functionRecord(fn, routeKey, identity);
  }

  private functionRecord(fn: lambda.IFunction, routeKey: string, identity: RouteHandler | lambda.IFunction = fn): FunctionRecord {
    const uri = lambdaInvocationUri(this, fn.functionArn);
    const record: FunctionRecord = { fn, integration: new LambdaProxyIntegration(this.uniqueId(`${pascal(routeKey) || 'Default'}Integration`), uri), routeKeys: [routeKey] };
    // One statement per function: its route, or this stage's routes when it serves several.
    const sourceArn = Lazy.string({
      produce: () => this.arnForRoute(record.routeKeys.length === 1 ? record.routeKeys[0] : '*'),
    });
    const principal = new iam.ServicePrincipal('apigateway.amazonaws.com');
    if (fn instanceof lambda.Function) {
      let permissionId = 'WebSocketInvoke';
      for (let n = 2; fn.node.tryFindChild(permissionId); n++) {
        permissionId = `WebSocketInvoke${n}`; // the same function behind routes of several WebSocket APIs
      }
      fn.addPermission(permissionId, { principal, sourceArn, action: 'lambda:InvokeFunction' });
    } else {
      new lambda.CfnPermission(this, this.uniqueId(`${pascal(routeKey) || 'Default'}Invoke`), {
        action: 'lambda:InvokeFunction', functionName: fn.functionArn, principal: principal.service, sourceArn,
      });
    }
    this.functionRecords.set(identity, record);
    return record;
  }

  private createAuthorizer(): { fn: lambda.IFunction; routeAuthorizer: apigwv2.IWebSocketRouteAuthorizer } | undefined {
    const auth = this.connectAuthorization;
    let fn: lambda.IFunction;
    let identitySource: string[];
    let authorizerName: string;
    if (auth._cognito) {
      const c = auth._cognito;
      const tokenUse = c.tokenUse ?? CognitoTokenUse.ACCESS;
      const source = c.tokenSource ?? WebSocketTokenSource.queryString();
      identitySource = [source._identitySource()];
      authorizerName = 'CognitoConnectAuthorizer';
      const options: RouteFunctionOptions = {
        environment: {
          USER_POOL_ID: c.userPool.userPoolId,
          CLIENT_IDS: Fn.join(',', c.userPoolClients.map(client => client.userPoolClientId)),
          TOKEN_USE: tokenUse,
          ...(source.location === 'header' ? { TOKEN_HEADER: source.name } : { TOKEN_QUERY_PARAMETER: source.name }),
          ...(c.requiredScopes?.length ? { REQUIRED_SCOPES: c.requiredScopes.join(' ') } : {}),
        },
        description: `${this.node.path} $connect authorizer: Cognito ${tokenUse} tokens`.slice(0, 256),
      };
      fn = this.createFunction('CognitoAuthorizerFunction', libraryHandler('websocket/cognito-authorizer', options), 'authorizer', undefined, false);
    } else if (auth._lambda) {
      const l = auth._lambda;
      identitySource = l.identitySources;
      authorizerName = l.authorizerName ?? 'ConnectAuthorizer';
      fn = l.handler ?? this.createFunction('AuthorizerFunction', l.handlerCode!, 'authorizer', 'connectAuthorization handlerCode');
    } else {
      return undefined;
    }
    const authorizer = new apigwv2.WebSocketAuthorizer(this, 'ConnectAuthorizer', {
      webSocketApi: this.webSocketApi,
      type: apigwv2.WebSocketAuthorizerType.LAMBDA,
      identitySource,
      authorizerName,
      authorizerUri: lambdaInvocationUri(this, fn.functionArn),
    });
    const sourceArn = Stack.of(this).formatArn({
      service: 'execute-api', resource: this.webSocketApi.apiId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME, resourceName: `authorizers/${authorizer.authorizerId}`,
    });
    new lambda.CfnPermission(this, 'ConnectAuthorizerInvoke', {
      action: 'lambda:InvokeFunction', functionName: fn.functionArn, principal: 'apigateway.amazonaws.com', sourceArn,
    });
    return { fn, routeAuthorizer: { bind: () => ({ authorizerId: authorizer.authorizerId, authorizationType: 'CUSTOM' }) } };
  }

  /**
   * A route's entry replaces the stage's DefaultRouteSettings for that route, field by field left
   * unset falling back to API Gateway's own defaults, not to DefaultRouteSettings (detailed metrics
   * off; seen on deployed stages, e.g. terraform-aws-modules/terraform-aws-apigateway-v2#78/#80): every
   * setting of DefaultRouteSettings is therefore repeated in each entry.
   */
  private renderRouteSettings(): Record<string, unknown> | undefined {
    if (this.throttles.size === 0) { return undefined; }
    const settings: Record<string, unknown> = {};
    for (const [routeKey, limits] of [...this.throttles].sort(([a], [b]) => a.localeCompare(b))) {
      settings[routeKey] = {
        ThrottlingRateLimit: limits.rateLimit,
        ThrottlingBurstLimit: limits.burstLimit,
        LoggingLevel: this.executionLogLevel,
        DataTraceEnabled: false,
        DetailedMetricsEnabled: this.detailedMetrics,
      };
    }
    return settings;
  }

  private validateProps(props: ServerlessWebSocketApiProps, connections: ConnectionTrackingOptions): number {
    checkStageName(this, 'stageName', this.stageName);
    const stage = props.stage ?? {};
    validateThrottle(this, 'stage throttling', { rateLimit: stage.throttlingRateLimit ?? DEFAULT_RATE, burstLimit: stage.throttlingBurstLimit ?? DEFAULT_BURST });
    const expression = props.routeSelectionExpression;
    if (expression !== undefined && !Token.isUnresolved(expression)) {
      validateRouteSelectionExpression(this, expression);
    }
    if (!(this.connectAuthorization instanceof WebSocketAuthorization)) {
      throw propError(this, 'connectAuthorization', this.connectAuthorization, 'is not a WebSocketAuthorization',
        'Use WebSocketAuthorization.iam(), .cognito({...}), .lambda({...}) or .none().');
    }
    this.connectAuthorization._validate(this, 'connectAuthorization');
    if (this.apiKeyRequired && props.apiKeySource === WebSocketApiKeySource.AUTHORIZER && this.connectAuthorization.kind !== 'lambda') {
      throw propError(this, 'apiKeySource', props.apiKeySource, `needs a Lambda authorizer, but connectAuthorization is ${this.connectAuthorization.kind}`,
        'Use WebSocketAuthorization.lambda({...}) returning usageIdentifierKey, or apiKeySource HEADER (x-api-key on the handshake).');
    }
    if (props.apiKeySource !== undefined && !this.apiKeyRequired) {
      throw propError(this, 'apiKeySource', props.apiKeySource, 'is set but apiKeyRequired is not', 'Set apiKeyRequired: true, or drop apiKeySource.');
    }
    const names = [connections.topicParameter, ...(connections.attributeParameters ?? [])].filter((n): n is string => n !== undefined);
    for (const name of names) {
      if (typeof name !== 'string' || !PARAMETER_NAME.test(name)) {
        throw propError(this, 'connections query parameter', name, 'is not a valid query parameter name',
          'Use a letter, then up to 63 letters, digits, \'_\' or \'-\', e.g. \'room\'.');
      }
    }
    if (new Set(names).size !== names.length) {
      throw propError(this, 'connections.attributeParameters', connections.attributeParameters, 'repeats a parameter (or the topicParameter)',
        'Name each query parameter once; the topic is stored as the connection\'s topic already.');
    }
    const ttl = connections.timeToLive ?? Duration.seconds(MAX_CONNECTION_SECONDS + DEFAULT_TTL_MARGIN_SECONDS);
    if (!ttl.isUnresolved() && !Number.isInteger(ttl.toSeconds({ integral: false }))) {
      throw propError(this, 'connections.timeToLive', ttl.toHumanString(), 'is not a whole number of seconds',
        'DynamoDB expires rows by epoch seconds: use e.g. Duration.hours(3).');
    }
    if (!ttl.isUnresolved() && ttl.toSeconds() < MAX_CONNECTION_SECONDS) {
      throw propError(this, 'connections.timeToLive', ttl.toHumanString(), 'is shorter than API Gateway\'s 2-hour connection cap',
        'TTL would remove rows of live connections, which then receive nothing: keep the default (2 hours 15 minutes) or longer.');
    }
    return ttl.toSeconds();
  }

  private validateRoute(props: WebSocketRouteProps): void {
    const routeKey = props?.routeKey;
    if (typeof routeKey !== 'string' || !ROUTE_KEY.test(routeKey)) {
      throw propError(this, 'routeKey', routeKey, 'is not a route key', 'Use 1-128 printable characters, e.g. \'sendMessage\'.');
    }
    if (LIBRARY_ROUTES.includes(routeKey)) {
      throw propError(this, 'routeKey', routeKey, 'is reserved: the library owns $connect and $disconnect (it records and deletes connections there)',
        'Authorize connections with connectAuthorization, and name your route otherwise (e.g. \'join\').');
    }
    if (routeKey.startsWith('$') && !RESERVED.includes(routeKey)) {
      throw propError(this, 'routeKey', routeKey, `starts with '$', which API Gateway reserves for ${RESERVED.join(', ')}`,
        `Use '$default' for unmatched messages, or a name without '$', e.g. '${routeKey.slice(1) || 'custom'}'.`);
    }
    if (this.routeRecords.has(routeKey)) {
      throw propError(this, 'routeKey', routeKey, 'is declared twice', 'Declare each route key once; share a handler between routes instead.');
    }
    if (props.authorization !== undefined) {
      throw propError(this, `route '${routeKey}' authorization`, props.authorization.kind,
        'is set, but API Gateway runs authorizers on $connect only (a message travels on a connection authorized when it opened)',
        'Set connectAuthorization on the API; check per-message permissions in the handler, e.g. from the connection\'s principal.');
    }
    if ((props.handler === undefined) === (props.target === undefined)) {
      throw propError(this, `route '${routeKey}' handler`, props.handler === undefined ? undefined : 'a handler',
        props.handler === undefined ? 'and target are both missing' : 'and target are both set',
        'Give exactly one: handler: RouteHandler.fromEntry(\'src/handler.ts\') or target: WebSocketTarget.mock(...), .sqs(queue), .eventBridge(bus, {...}), .stepFunctions(machine), .dynamoDb(table, {...}).');
    }
    if (props.target !== undefined && !(props.target instanceof WebSocketTarget)) {
      throw propError(this, `route '${routeKey}' target`, props.target, 'is not a WebSocketTarget', 'Use WebSocketTarget.handler(...), .mock(...), .sqs(queue), .eventBridge(bus, {...}), .stepFunctions(machine) or .dynamoDb(table, {...}).');
    }
  }

  private uniqueId(base: string): string {
    let id = base;
    for (let n = 2; this.usedIds.has(id) || this.node.tryFindChild(id); n++) {
      id = `${base}${n}`;
    }
    this.usedIds.add(id);
    return id;
  }
}

/** The JSON access log line of a WebSocket stage: who, which route, what happened. No query string, no body. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  eventType: '$context.eventType',
  routeKey: '$context.routeKey',
  connectionId: '$context.connectionId',
  status: '$context.status',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  principalId: '$context.authorizer.principalId',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  errorMessage: '$context.error.message',
};

/** A Lambda proxy integration of a function by its invocation URI (the permission is added by the API). */
class LambdaProxyIntegration extends apigwv2.WebSocketRouteIntegration {
  constructor(id: string, private readonly uri: string) {
    super(id);
  }

  public bind(_options: apigwv2.WebSocketRouteIntegrationBindOptions): apigwv2.WebSocketRouteIntegrationConfig {
    return { type: apigwv2.WebSocketIntegrationType.AWS_PROXY, uri: this.uri };
  }
}

/**
 * Every route but $connect is "unauthorized" to cdk-nag's APIG4, which reads each AWS::ApiGatewayV2::Route:
 * API Gateway accepts authorizers on $connect only.
 */
function acknowledgeMessageRoute(route: apigwv2.WebSocketRoute): void {
  Validations.of(route.node.defaultChild!).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason: `WebSocket route ${route.routeKey}: API Gateway authorizes WebSocket APIs on $connect only and rejects an authorizer on any other route; `
      + 'its messages arrive on a connection authorized by the API\'s $connect.',
  });
}

/** Checks a route selection expression as API Gateway would. */
function validateRouteSelectionExpression(scope: Construct, expression: string): void {
  const fix = 'Use $request.body.<property>, e.g. \'$request.body.action\' (or \'${request.body.type}-${request.body.version}\'), or \'\\$default\' to send every message to $default.';
  if (expression === '\\$default') { return; }
  const variables = expression.match(BODY_VARIABLE) ?? [];
  const rest = expression.replace(BODY_VARIABLE, '').replace(/\\\$/g, '');
  if (rest.includes('$')) {
    throw propError(scope, 'routeSelectionExpression', expression, 'uses a variable API Gateway does not support for WebSocket route selection (only $request.body.*)', fix);
  }
  if (variables.length === 0) {
    throw propError(scope, 'routeSelectionExpression', expression, 'selects nothing from the message (no $request.body.* variable)', fix);
  }
  if (expression.length > 1024) {
    throw propError(scope, 'routeSelectionExpression', `${expression.slice(0, 40)}...`, 'is longer than 1024 characters', fix);
  }
}
