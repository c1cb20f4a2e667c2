import { App } from 'aws-cdk-lib';
import { EnvironmentConfigs } from 'serverless-api-constructs';
import { ChatStage } from './chat-stage';

/** Dev, Test and Prod of the chat, each from its EnvironmentConfig preset. */
export function addChatStages(app: App): Record<'Dev' | 'Test' | 'Prod', ChatStage> {
  return {
    Dev: new ChatStage(app, 'Dev', { config: EnvironmentConfigs.of(app, 'dev') }),
    Test: new ChatStage(app, 'Test', { config: EnvironmentConfigs.of(app, 'test') }),
    Prod: new ChatStage(app, 'Prod', { config: EnvironmentConfigs.of(app, 'prod') }),
  };
}
