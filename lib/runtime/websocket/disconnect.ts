/**
 * $disconnect: deletes the connection's row. API Gateway calls it best effort (a client that vanishes
 * may never cause one); the send helper's 410 clean-up and the table's TTL catch the rest.
 *
 * IAM: dynamodb:DeleteItem on the connections table (only).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { reply } from './connect';
import type { WebSocketEvent, WebSocketResult } from './events';
import { CONNECTION_ID, ENV_TABLE_NAME } from './schema';
import { createLogger, serializeError } from '../logger';

/** Builds the $disconnect handler for a table and a client (tests build their own). */
export function createDisconnectHandler(tableName: string, ddb: DynamoDBDocumentClient) {
  return async (event: WebSocketEvent): Promise<WebSocketResult> => {
    const context = event?.requestContext ?? ({});
    const log = createLogger({ requestId: context.requestId });
    const connectionId = context.connectionId;
    if (typeof connectionId !== 'string' || connectionId === '') {
      log.error('$disconnect event without a connection id', { routeKey: context.routeKey });
      return reply(400, 'BadRequest', 'The event has no connection id.', context.requestId);
    }
    try {
      await ddb.send(new DeleteCommand({ TableName: tableName, Key: { [CONNECTION_ID]: connectionId } }));
    } catch (err) {
      // The row then expires by TTL, and the send helper deletes it on its first 410.
      log.error('could not delete the connection', { connectionId, error: serializeError(err) });
      return reply(500, 'InternalError', 'The connection could not be deleted.', context.requestId);
    }
    log.info('disconnected', { connectionId });
    return { statusCode: 200 };
  };
}

let cached: ReturnType<typeof createDisconnectHandler> | undefined;

/** The Lambda entry point. */
export const handler = (event: WebSocketEvent): Promise<WebSocketResult> => {
  const tableName = process.env[ENV_TABLE_NAME];
  if (!tableName) {
    throw new Error(`${ENV_TABLE_NAME} is not set`);
  }
  cached ??= createDisconnectHandler(tableName, DynamoDBDocumentClient.from(new DynamoDBClient({})));
  return cached(event);
};
