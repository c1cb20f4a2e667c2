import { App } from 'aws-cdk-lib';
import { EnvironmentConfigs } from 'serverless-api-constructs';
import { TodoStage } from './todo-stage';

/** The stage ids are what `cdk deploy 'Dev/*'` names. */
export const STAGES = { Dev: 'dev', Test: 'test', Prod: 'prod' } as const;

/** Adds the three stages of the todo API to `app`, each from its environment's config. */
export function addTodoStages(app: App): Record<keyof typeof STAGES, TodoStage> {
  return {
    Dev: new TodoStage(app, 'Dev', { config: EnvironmentConfigs.of(app, STAGES.Dev) }),
    Test: new TodoStage(app, 'Test', { config: EnvironmentConfigs.of(app, STAGES.Test) }),
    Prod: new TodoStage(app, 'Prod', { config: EnvironmentConfigs.of(app, STAGES.Prod) }),
  };
}
