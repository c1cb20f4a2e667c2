/**
 * POST /items — create an item.  IAM: dynamodb:PutItem + dynamodb:GetItem.
 *
 * Body: JSON object. The partition key may be supplied (non-empty string of valid Unicode ≤ 1024
 * chars), otherwise a UUID is generated. The version attribute, createdAt, updatedAt and deletedAt are
 * server-managed: supplying them → 400. Duplicate id → 409. Success → 201 + Location.
 *
 * Everything that can fail on the client's data (body, id, attribute names, values, Location) is
 * checked before the write, and the response is built before it: once PutItem succeeded, the handler
 * only returns, so a stored item is never answered 5xx.
 *
 * Flow: PutItem `attribute_not_exists(#pk)` with version 1. If the id is taken, a consistent GetItem
 * tells a live item (409) from a tombstone left by DELETE; over a tombstone the item is written with
 * the tombstone's version + 1, guarded by `attribute_exists(#del) AND #v = :v` (see items.ts), so a
 * version is never handed out twice for one id.
 */
import { randomUUID } from 'crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  assertStorableItem,
  badRequest,
  conflict,
  isConditionalCheckFailed,
  isValidKeyValue,
  jsonResponse,
  keyValueRule,
  parseJsonObjectBody,
  withErrorHandling,
} from '../http';
import { config, CREATED_AT_ATTRIBUTE, ddb, DELETED_AT_ATTRIBUTE, UPDATED_AT_ATTRIBUTE } from './config';
import { assertMatchesItemSchema } from './item-schema-check';
import { bodyOptions, isTombstone, Item, itemLocation, MAX_WRITE_ATTEMPTS, nextVersion, readItem, versionCondition } from './items';

export const handler = withErrorHandling(async (event, { requestId }) => {
  const body = parseJsonObjectBody(event, bodyOptions());

  const managed = [config.versionAttribute, CREATED_AT_ATTRIBUTE, UPDATED_AT_ATTRIBUTE, DELETED_AT_ATTRIBUTE].filter((a) =>
    Object.prototype.hasOwnProperty.call(body, a),
  );
  if (managed.length > 0) {
    throw badRequest(`Attributes ${managed.map((a) => `"${a}"`).join(', ')} are server-managed and must not be supplied`);
  }

  let id: string;
  if (Object.prototype.hasOwnProperty.call(body, config.partitionKey)) {
    const supplied = body[config.partitionKey];
    if (!isValidKeyValue(supplied)) {
      throw badRequest(keyValueRule(config.partitionKey));
    }
    id = supplied;
  } else {
    id = randomUUID();
  }
  assertStorableItem(body, config.maxBodyDepth);
  assertMatchesItemSchema(body);
  const location = itemLocation(event, id);

  const now = new Date().toISOString();
  const incarnation = (version: number): Item => ({
    ...body,
    [config.partitionKey]: id,
    [config.versionAttribute]: version,
    [CREATED_AT_ATTRIBUTE]: now,
    [UPDATED_AT_ATTRIBUTE]: now,
  });

  let previous: Item | undefined;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const item = incarnation(previous ? nextVersion(previous) : 1);
    const response = jsonResponse(201, item, requestId, { Location: location });
    const guard = previous ? versionCondition(previous) : undefined;
    try {
      await ddb.send(
        new PutCommand({
          TableName: config.tableName,
          Item: item,
          ConditionExpression: guard ? `attribute_exists(#del) AND ${guard.expression}` : 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: guard
            ? { '#del': DELETED_AT_ATTRIBUTE, '#v': config.versionAttribute }
            : { '#pk': config.partitionKey },
          ExpressionAttributeValues: guard && Object.keys(guard.values).length > 0 ? guard.values : undefined,
        }),
      );
      return response;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) {
        throw err;
      }
    }
    // The id is taken, or the tombstone changed since it was read: look again.
    const current = await readItem(id);
    if (current && !isTombstone(current)) {
      throw conflict(`An item with ${config.partitionKey} "${id}" already exists`);
    }
    previous = current;
  }
  throw conflict(`Item "${id}" is being written concurrently; retry`);
});
