import { Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig, EnvironmentConfigs } from 'serverless-api-constructs';
import { TodoStack } from './todo-stack';

export interface TodoStageProps extends StageProps {
  readonly config: EnvironmentConfig;
}

/** One environment of the todo API. */
export class TodoStage extends Stage {
  public readonly api: TodoStack;

  constructor(scope: Construct, id: string, props: TodoStageProps) {
    super(scope, id, { ...props, env: props.config.env });
    // Tables and user pools in this stage follow config.data: retained and protected in prod.
    EnvironmentConfigs.applyTo(this, props.config);
    this.api = new TodoStack(this, 'Api', { config: props.config });
  }
}
