import { App, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig, EnvironmentConfigs } from 'serverless-api-constructs';
import { AsyncOrdersStack } from './async-orders-stack';

export interface AsyncOrdersStageProps extends StageProps {
  readonly config: EnvironmentConfig;
}

/** One environment of the orders service. */
export class AsyncOrdersStage extends Stage {
  public readonly orders: AsyncOrdersStack;

  constructor(scope: Construct, id: string, props: AsyncOrdersStageProps) {
    super(scope, id, { ...props, env: props.config.env });
    this.orders = new AsyncOrdersStack(this, 'Orders', { config: props.config });
  }
}

/** Dev and Prod. */
export function addAsyncOrdersStages(app: App): { Dev: AsyncOrdersStage; Prod: AsyncOrdersStage } {
  return {
    Dev: new AsyncOrdersStage(app, 'Dev', { config: EnvironmentConfigs.of(app, 'dev') }),
    Prod: new AsyncOrdersStage(app, 'Prod', { config: EnvironmentConfigs.of(app, 'prod') }),
  };
}
