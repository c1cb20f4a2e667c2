import * as path from 'path';
import { Duration, Stack, StackProps, Stage, StageProps, Validations } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import {
  ApiDomain, ApiMonitoring, DataAccess, EntryHandlerOptions, EnvironmentConfig, EnvironmentConfigs, LambdaAuthorizer, RouteAuthorization, RouteHandler,
  RouteSchema, ServerlessApi, ServerlessTable,
} from '../lib';

/**
 * The item's own attributes, written once: API Gateway validates POST and PUT bodies against it, the
 * CRUD functions check what they store against it, and the exported OpenAPI document and the typed
 * client (`npm run client -- Dev`) are generated from it.
 */
const ITEM_SCHEMA = RouteSchema.fromFile(path.join(__dirname, 'schemas', 'item.json'));

/** A handler of bin/handlers, bundled like every route function; the example's handlers are small. */
function exampleHandler(name: string, options: EntryHandlerOptions = {}): RouteHandler {
  return RouteHandler.fromEntry(path.join(__dirname, 'handlers', `${name}.ts`), { memorySize: 256, ...options });
}

/** Props of the example items service. */
export interface ItemsApiStackProps extends StackProps {
  /** The environment's settings. */
  readonly config: EnvironmentConfig;
}

/** The example application: an items API on Lambda and DynamoDB. */
export class ItemsApiStack extends Stack {
  public readonly api: ServerlessApi;
  public readonly items: ServerlessTable;
  /** Version 2 of the items API: the same table, one more route. Served at /v2 of the domain. */
  public readonly apiV2: ServerlessApi;
  /** Alarms and dashboard of `api` (those of `apiV2` share its topic). */
  public readonly monitoring: ApiMonitoring;
  /** The stage's custom domain (edge-optimized): /v1 is `api`, /v2 is `apiV2`. */
  public readonly domain?: ApiDomain;

  constructor(scope: Construct, id: string, props: ItemsApiStackProps) {
    super(scope, id, props);
    const { config } = props;

    // Retained and deletion-protected in prod, destroyable in dev and test: the stage's config decides.
    this.items = new ServerlessTable(this, 'ItemsTable', { timeToLiveAttribute: 'expiresAt' });

    this.api = new ServerlessApi(this, 'ItemsApi', {
      apiName: `items-${config.name}`,
      description: `Items API (${config.name})`,
      stageName: config.name,
      // Per-method metrics feed the dashboard's busiest-routes graphs (billed per metric: a few routes here).
      stage: { ...config.stage, detailedMetrics: true },
      // Routes are IAM-only unless they say otherwise; writes take tokens of the stage's user pool
      // (kept like the table: the stage's config decides).
      cognito: {},
      // Prod: every function of v1 takes a change gradually (10% of its traffic for 5 minutes, then all),
      // rolled back by CodeDeploy when its alarms (added by addMonitoring below) or the stage's 5XX rate fire.
      gradualDeployment: config.name === 'prod' ? { deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES } : undefined,
    });
    // Reads need an API key of the free or standard plan (when the environment defines plans).
    this.api.addCrudResource('items', {
      table: this.items.table,
      itemSchema: ITEM_SCHEMA,
      readApiKeyRequired: config.usagePlans !== undefined,
      readAuthorization: RouteAuthorization.none(),
      writeAuthorization: RouteAuthorization.cognito(),
      // Public and the same for every caller: cached for a minute where the stage has a cache (prod).
      listCache: { ttl: Duration.minutes(1) },
    });
    this.api.addRoute({
      method: 'GET',
      path: '/health',
      handler: exampleHandler('health'),
      authorization: RouteAuthorization.none(),
      responseSchemas: { 200: RouteSchema.fromJson('{"type":"object","required":["status"],"properties":{"status":{"type":"string","enum":["ok"]}}}') },
    });
    // Operators only: SigV4-signed calls of principals given `api.grantInvoke(role, 'GET', '/admin/stats')`.
    this.api.addRoute({
      method: 'GET',
      path: '/admin/stats',
      handler: exampleHandler('admin-stats', {
        environment: { TABLE_NAME: this.items.table.tableName },
        dataAccess: [DataAccess.tableActions(this.items.table, 'dynamodb:DescribeTable')],
      }),
      authorization: RouteAuthorization.iam(),
      responseSchemas: { 200: RouteSchema.fromJson('{"type":"object","required":["itemCount","sizeBytes"],"properties":{"itemCount":{"type":"integer"},"sizeBytes":{"type":"integer"}}}') },
    });
    // Partners: admitted by a request authorizer on their x-partner-id (ids from context '<env>:partnerIds').
    // The API creates its function like a route function: the shared logs-only role, JSON logs to the
    // API's function log group, X-Ray, arm64, esbuild bundle.
    const partnerAuthorizer = LambdaAuthorizer.request({
      handlerCode: exampleHandler('partner-authorizer', {
        environment: { ALLOWED_PARTNER_IDS: String(this.node.tryGetContext(`${config.name}:partnerIds`) ?? '') },
      }),
      identitySources: ['method.request.header.x-partner-id'],
    });
    this.api.addRoute({
      method: 'GET',
      path: '/partner/items',
      handler: exampleHandler('partner-items', {
        environment: { TABLE_NAME: this.items.table.tableName },
        dataAccess: [DataAccess.tableActions(this.items.table, 'dynamodb:Scan')],
      }),
      authorization: RouteAuthorization.lambda(partnerAuthorizer),
      responseSchemas: { 200: RouteSchema.fromJson('{"type":"object","required":["items"],"properties":{"partnerId":{"type":["string","null"]},"items":{"type":"array","items":{"$ref":"#/components/schemas/Item"}}}}') },
    });

    if (config.usagePlans) {
      const free = this.api.addUsagePlan('Free', { planName: 'items-free', description: 'Trying the items API', ...config.usagePlans.free });
      const standard = this.api.addUsagePlan('Standard', { planName: 'items-standard', description: 'Items API consumers', ...config.usagePlans.standard });
      // One generated key per plan; `cdk deploy` prints each key's id and the command that prints its value.
      this.api.addApiKey('DemoFreeKey', { consumerName: 'demo-free', plans: [free] });
      this.api.addApiKey('DemoStandardKey', { consumerName: 'demo-standard', plans: [standard] });
    }
    const webAcl = config.webAcl ? this.api.addWebAcl('WebAcl') : undefined;

    // The API's URL, the user pool's and app client's ids are outputs of the constructs themselves.

    this.apiV2 = new ServerlessApi(this, 'ItemsApiV2', {
      apiName: `items-v2-${config.name}`,
      description: `Items API v2 (${config.name})`,
      stageName: config.name,
      stage: { ...config.stage, detailedMetrics: true },
      cognito: { userPool: this.api.userPool }, // one user pool for both versions
    });
    this.apiV2.addCrudResource('items', {
      table: this.items.table,
      itemSchema: ITEM_SCHEMA,
      readAuthorization: RouteAuthorization.none(),
      writeAuthorization: RouteAuthorization.cognito(),
    });
    this.apiV2.addRoute({
      method: 'GET',
      path: '/version',
      handler: exampleHandler('version'),
      authorization: RouteAuthorization.none(),
      responseSchemas: { 200: RouteSchema.fromJson('{"type":"object","required":["version"],"properties":{"version":{"type":"string"}}}') },
    });
    if (webAcl) {
      this.apiV2.addWebAcl('WebAcl', { webAclArn: webAcl.webAclArn }); // one web ACL for both APIs of the stage
    } else {
      for (const api of [this.api, this.apiV2]) {
        Validations.of(api.stage.node.defaultChild!).acknowledge({
          id: 'AwsSolutions-APIG3',
          reason: `WAF is on where config.webAcl is (prod); the ${config.name} stage serves the team's testing, not public traffic, `
            + 'and keeps its stage throttling and route authorization.',
        });
      }
    }

    // Alarms and a dashboard for each API of the stage: STRICT thresholds in prod, QUIET in dev and test, one
    // topic per stage (an email subscription with -c <env>:alarmEmail=oncall@example.com). Added after the
    // last route: monitoring watches the functions that exist.
    const alarmEmail = this.node.tryGetContext(`${config.name}:alarmEmail`);
    this.monitoring = this.api.addMonitoring('Monitoring', { alarmEmails: alarmEmail ? [String(alarmEmail)] : [] });
    this.apiV2.addMonitoring('Monitoring', { alarmTopic: this.monitoring.alarmTopic });

    if (config.domain) {
      this.domain = new ApiDomain(this, 'Domain', {
        domainName: config.domain.domainName,
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
          hostedZoneId: config.domain.hostedZoneId,
          zoneName: config.domain.zoneName,
        }),
        mappings: [{ basePath: 'v1', api: this.api }, { basePath: 'v2', api: this.apiV2 }],
      }); // outputs its URL
    }
  }
}

/** Props of {@link ItemsApiStage}. */
export interface ItemsApiStageProps extends StageProps {
  /** The environment's settings. */
  readonly config: EnvironmentConfig;
}

/** One deployable environment (dev, test or prod) of the items service. */
export class ItemsApiStage extends Stage {
  public readonly apiStack: ItemsApiStack;

  constructor(scope: Construct, id: string, props: ItemsApiStageProps) {
    super(scope, id, { ...props, env: props.config.env });
    EnvironmentConfigs.applyTo(this, props.config); // tables and user pools follow props.config.data
    this.apiStack = new ItemsApiStack(this, 'Api', { config: props.config });
  }
}
