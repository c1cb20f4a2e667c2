import { App, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig, EnvironmentConfigs } from 'serverless-api-constructs';
import { EXISTING, ExistingResources } from './existing-resources';
import { OrdersStack } from './orders-stack';

export interface OrdersStageProps extends StageProps {
  readonly config: EnvironmentConfig;
  readonly existing: ExistingResources;
}

export class OrdersStage extends Stage {
  public readonly api: OrdersStack;

  constructor(scope: Construct, id: string, props: OrdersStageProps) {
    super(scope, id, { ...props, env: props.config.env });
    EnvironmentConfigs.applyTo(this, props.config);
    this.api = new OrdersStack(this, 'Orders', { config: props.config, existing: props.existing });
  }
}

/** The existing resources of `name`, each overridable by context (`-c prod:ordersTableArn=...`). */
function existingOf(app: App, name: 'dev' | 'prod'): ExistingResources {
  const defaults = EXISTING[name];
  const fromContext = (key: keyof ExistingResources): string => String(app.node.tryGetContext(`${name}:${key}`) ?? defaults[key]);
  return Object.fromEntries(Object.keys(defaults).map(k => [k, fromContext(k as keyof ExistingResources)])) as unknown as ExistingResources;
}

/** Dev and Prod, each with the account of its existing resources. */
export function addOrdersStages(app: App): { Dev: OrdersStage; Prod: OrdersStage } {
  return {
    Dev: new OrdersStage(app, 'Dev', { config: EnvironmentConfigs.of(app, 'dev'), existing: existingOf(app, 'dev') }),
    Prod: new OrdersStage(app, 'Prod', { config: EnvironmentConfigs.of(app, 'prod'), existing: existingOf(app, 'prod') }),
  };
}
