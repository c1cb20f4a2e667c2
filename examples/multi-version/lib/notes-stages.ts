import { App, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig, EnvironmentConfigs } from 'serverless-api-constructs';
import { NotesStack } from './notes-stack';

export interface NotesStageProps extends StageProps {
  readonly config: EnvironmentConfig;
}

/** One environment of the notes service: both API versions in one stack. */
export class NotesStage extends Stage {
  public readonly api: NotesStack;

  constructor(scope: Construct, id: string, props: NotesStageProps) {
    super(scope, id, { ...props, env: props.config.env });
    EnvironmentConfigs.applyTo(this, props.config);
    this.api = new NotesStack(this, 'Notes', { config: props.config });
  }
}

/** Dev and Prod: the stage ids are what `cdk deploy 'Dev/*'` names. */
export function addNotesStages(app: App): { Dev: NotesStage; Prod: NotesStage } {
  return {
    Dev: new NotesStage(app, 'Dev', { config: EnvironmentConfigs.of(app, 'dev') }),
    Prod: new NotesStage(app, 'Prod', { config: EnvironmentConfigs.of(app, 'prod') }),
  };
}
