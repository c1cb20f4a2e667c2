/**
 * DELETE /items/{id} — delete one item.  IAM: dynamodb:DeleteItem (only).
 * 204 with an empty body; unknown id → 404; missing/empty/too long id → 400.
 *
 * Deliberately no `?version=` (conditional delete): with only DeleteItem permission a failed
 * `attribute_exists(#pk) AND #v = :v` condition cannot tell "missing" (404) from "stale" (409)
 * without a read, so the answer would be ambiguous. The query parameter is ignored.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, noContentResponse, notFound, requirePathId, withErrorHandling } from '../http';
import { config, ddb } from './config';

export const handler = withErrorHandling(async (event, { requestId }) => {
  const id = requirePathId(event, config.idParameter);
  try {
    await ddb.send(
      new DeleteCommand({
        TableName: config.tableName,
        Key: { [config.partitionKey]: id },
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': config.partitionKey },
      }),
    );
  } catch (err) {
    if (isConditionalCheckFailed(err)) {
      throw notFound(`Item "${id}" not found`);
    }
    throw err;
  }
  return noContentResponse(requestId);
});
