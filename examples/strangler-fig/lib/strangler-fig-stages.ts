import { App, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig, EnvironmentConfigs } from 'serverless-api-constructs';
import { StranglerFigStack } from './strangler-fig-stack';

export interface StranglerFigStageProps extends StageProps {
  readonly config: EnvironmentConfig;
  readonly legacyUrl: string;
}

/** One environment of the shop API. */
export class StranglerFigStage extends Stage {
  public readonly shop: StranglerFigStack;

  constructor(scope: Construct, id: string, props: StranglerFigStageProps) {
    super(scope, id, { ...props, env: props.config.env });
    this.shop = new StranglerFigStack(this, 'Shop', { config: props.config, legacyUrl: props.legacyUrl });
  }
}

/** Dev and Prod, each in front of its legacy system (`-c dev:legacyUrl=https://...`). */
export function addStranglerFigStages(app: App): { Dev: StranglerFigStage; Prod: StranglerFigStage } {
  const legacyUrl = (name: string, fallback: string): string => String(app.node.tryGetContext(`${name}:legacyUrl`) ?? fallback);
  return {
    Dev: new StranglerFigStage(app, 'Dev', { config: EnvironmentConfigs.of(app, 'dev'), legacyUrl: legacyUrl('dev', 'https://shop-dev.legacy.example.com') }),
    Prod: new StranglerFigStage(app, 'Prod', { config: EnvironmentConfigs.of(app, 'prod'), legacyUrl: legacyUrl('prod', 'https://shop.legacy.example.com') }),
  };
}
