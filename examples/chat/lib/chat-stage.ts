import { Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig } from 'serverless-api-constructs';
import { ChatStack } from './chat-stack';

export interface ChatStageProps extends StageProps {
  readonly config: EnvironmentConfig;
}

/** One deployable environment of the chat. */
export class ChatStage extends Stage {
  public readonly chat: ChatStack;

  constructor(scope: Construct, id: string, props: ChatStageProps) {
    super(scope, id, { ...props, env: props.config.env });
    this.chat = new ChatStack(this, 'Chat', { config: props.config });
  }
}
