import * as path from 'path';
import { Stack, Stage, StageProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { DataAccess, RouteAuthorization, RouteHandler, ServerlessApi, ServerlessTable } from 'serverless-api-constructs';

/** A notes API: each signed-in user writes and lists their own notes. */
export class NotesStage extends Stage {
  public readonly api: ServerlessApi;

  constructor(scope: Construct, id: string, props: StageProps = {}) {
    super(scope, id, props);
    const stack = new Stack(this, 'Notes');
    const notes = new ServerlessTable(stack, 'NotesTable', {
      partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'noteId', type: dynamodb.AttributeType.STRING },
    });
    this.api = new ServerlessApi(stack, 'NotesApi', { apiName: 'notes', stageName: 'dev', cognito: {} });
    const handler = RouteHandler.fromEntry(path.join(__dirname, 'handlers', 'notes.ts'), {
      environment: { TABLE_NAME: notes.table.tableName },
      dataAccess: [DataAccess.readWriteData(notes.table)],
    });
    this.api.addRoute({ method: 'POST', path: '/notes', handler, authorization: RouteAuthorization.cognito() });
    this.api.addRoute({ method: 'GET', path: '/notes', handler, authorization: RouteAuthorization.cognito() });
  }
}
