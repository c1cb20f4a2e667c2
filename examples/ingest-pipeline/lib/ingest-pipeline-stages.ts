import { App, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig, EnvironmentConfigs } from 'serverless-api-constructs';
import { IngestPipelineStack } from './ingest-pipeline-stack';

export interface IngestPipelineStageProps extends StageProps {
  readonly config: EnvironmentConfig;
}

/** One environment of the ingest pipeline. */
export class IngestPipelineStage extends Stage {
  public readonly pipeline: IngestPipelineStack;

  constructor(scope: Construct, id: string, props: IngestPipelineStageProps) {
    super(scope, id, { ...props, env: props.config.env });
    this.pipeline = new IngestPipelineStack(this, 'Ingest', { config: props.config });
  }
}

/** Dev and Prod. */
export function addIngestPipelineStages(app: App): { Dev: IngestPipelineStage; Prod: IngestPipelineStage } {
  return {
    Dev: new IngestPipelineStage(app, 'Dev', { config: EnvironmentConfigs.of(app, 'dev') }),
    Prod: new IngestPipelineStage(app, 'Prod', { config: EnvironmentConfigs.of(app, 'prod') }),
  };
}
