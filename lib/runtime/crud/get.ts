/**
 * GET /items/{id} — read one item.  IAM: dynamodb:GetItem.
 * 200 with the item; unknown id (or a tombstone left by DELETE) → 404; missing/empty/too long id → 400.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { jsonResponse, notFound, requirePathId, withErrorHandling } from '../http';
import { config, ddb } from './config';
import { isTombstone } from './items';

export const handler = withErrorHandling(async (event, { requestId }) => {
  const id = requirePathId(event, config.idParameter);
  const result = await ddb.send(
    new GetCommand({
      TableName: config.tableName,
      Key: { [config.partitionKey]: id },
    }),
  );
  if (!result.Item || isTombstone(result.Item)) {
    throw notFound(`Item "${id}" not found`);
  }
  return jsonResponse(200, result.Item, requestId);
});
