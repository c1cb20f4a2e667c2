/**
 * DELETE /items/{id} — delete one item.  IAM: dynamodb:GetItem + dynamodb:PutItem.
 * 204 with an empty body; unknown (or already deleted) id → 404; missing/empty/too long id → 400.
 *
 * The item is replaced by a tombstone `{ <pk>, <version>: current + 1, deletedAt }` that keeps no user
 * data, so that a later create of the same id continues the version sequence and a client holding a
 * version of the deleted item gets 409 instead of overwriting the new one (see items.ts).
 *
 * Why GetItem + PutItem instead of DeleteItem: the tombstone must carry a version above the last one,
 * which DeleteItem cannot write; UpdateItem could bump the version but cannot remove attributes it
 * does not know, so user data would stay in the table. A consistent read gives the current version,
 * and a PutItem guarded by `attribute_not_exists(#del) AND #v = :v` replaces exactly that incarnation;
 * a concurrent update makes it re-read (at most MAX_WRITE_ATTEMPTS times, then 409: retry). It is the
 * same grant as PUT's, so the two functions share one role.
 *
 * Tombstones are kept (no TTL): expiring one would let versions restart at 1. They are a few dozen
 * bytes each. DynamoDB Streams consumers see a deletion as a MODIFY whose new image has `deletedAt`.
 *
 * Deliberately no `?version=` (conditional delete): the query parameter is ignored.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, isConditionalCheckFailed, noContentResponse, notFound, requirePathId, withErrorHandling } from '../http';
import { config, ddb, DELETED_AT_ATTRIBUTE } from './config';
import { isTombstone, MAX_WRITE_ATTEMPTS, nextVersion, readItem, versionCondition } from './items';

export const handler = withErrorHandling(async (event, { requestId }) => {
  const id = requirePathId(event, config.idParameter);
  const response = noContentResponse(requestId);
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await readItem(id);
    if (!current || isTombstone(current)) {
      throw notFound(`Item "${id}" not found`);
    }
    const guard = versionCondition(current);
    try {
      await ddb.send(
        new PutCommand({
          TableName: config.tableName,
          Item: {
            [config.partitionKey]: id,
            [config.versionAttribute]: nextVersion(current),
            [DELETED_AT_ATTRIBUTE]: new Date().toISOString(),
          },
          ConditionExpression: `attribute_exists(#pk) AND attribute_not_exists(#del) AND ${guard.expression}`,
          ExpressionAttributeNames: { '#pk': config.partitionKey, '#del': DELETED_AT_ATTRIBUTE, '#v': config.versionAttribute },
          ExpressionAttributeValues: Object.keys(guard.values).length > 0 ? guard.values : undefined,
        }),
      );
      return response;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) {
        throw err;
      }
    }
  }
  throw conflict(`Item "${id}" changed while it was being deleted; retry`);
});
