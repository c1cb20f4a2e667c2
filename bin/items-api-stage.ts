import * as path from 'path';
import { CfnOutput, Stack, StackProps, Stage, StageProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { ApiDomain, EnvironmentConfig, RouteHandler, ServerlessApi, ServerlessTable } from '../lib';

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
  /** The stage's custom domain (edge-optimized): /v1 is `api`, /v2 is `apiV2`. */
  public readonly domain?: ApiDomain;

  constructor(scope: Construct, id: string, props: ItemsApiStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.items = new ServerlessTable(this, 'ItemsTable', {
      ...config.data,
      timeToLiveAttribute: 'expiresAt',
    });

    this.api = new ServerlessApi(this, 'ItemsApi', {
      apiName: `items-${config.name}`,
      description: `Items API (${config.name})`,
      stageName: config.name,
      stage: config.stage,
    });
    this.api.addCrudResource('items', { table: this.items.table });
    this.api.addRoute({
      method: 'GET',
      path: '/health',
      handler: RouteHandler.fromEntry(path.join(__dirname, 'handlers', 'health.ts'), { memorySize: 256 }),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });

    this.apiV2 = new ServerlessApi(this, 'ItemsApiV2', {
      apiName: `items-v2-${config.name}`,
      description: `Items API v2 (${config.name})`,
      stageName: config.name,
      stage: config.stage,
    });
    this.apiV2.addCrudResource('items', { table: this.items.table });
    this.apiV2.addRoute({
      method: 'GET',
      path: '/version',
      handler: RouteHandler.fromEntry(path.join(__dirname, 'handlers', 'version.ts'), { memorySize: 256 }),
    });

    if (config.domain) {
      this.domain = new ApiDomain(this, 'Domain', {
        domainName: config.domain.domainName,
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
          hostedZoneId: config.domain.hostedZoneId,
          zoneName: config.domain.zoneName,
        }),
        mappings: [{ basePath: 'v1', api: this.api }, { basePath: 'v2', api: this.apiV2 }],
      });
      new CfnOutput(this, 'DomainUrl', { value: this.domain.url });
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
    this.apiStack = new ItemsApiStack(this, 'Api', { config: props.config });
  }
}
