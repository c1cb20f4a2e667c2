import { App, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig, EnvironmentConfigs } from 'serverless-api-constructs';
import { BookshopStack } from './bookshop-stack';

export interface BookshopStageProps extends StageProps {
  readonly config: EnvironmentConfig;
}

/** One environment of the bookshop. */
export class BookshopStage extends Stage {
  public readonly shop: BookshopStack;

  constructor(scope: Construct, id: string, props: BookshopStageProps) {
    super(scope, id, { ...props, env: props.config.env });
    EnvironmentConfigs.applyTo(this, props.config);
    this.shop = new BookshopStack(this, 'Shop', { config: props.config });
  }
}

/** Dev and Prod. */
export function addBookshopStages(app: App): { Dev: BookshopStage; Prod: BookshopStage } {
  return {
    Dev: new BookshopStage(app, 'Dev', { config: EnvironmentConfigs.of(app, 'dev') }),
    Prod: new BookshopStage(app, 'Prod', { config: EnvironmentConfigs.of(app, 'prod') }),
  };
}
