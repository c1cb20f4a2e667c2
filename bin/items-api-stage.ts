import * as path from 'path';
import { CfnOutput, Stack, StackProps, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig, RouteHandler, ServerlessApi, ServerlessTable } from '../lib';

/** Props of the example items service. */
export interface ItemsApiStackProps extends StackProps {
  /** The environment's settings. */
  readonly config: EnvironmentConfig;
}

/** The example application: an items API on Lambda and DynamoDB. */
export class ItemsApiStack extends Stack {
  public readonly api: ServerlessApi;
  public readonly items: ServerlessTable;

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
