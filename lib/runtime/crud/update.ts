/**
 * PUT /items/{id} — full replace with optimistic locking.  IAM: dynamodb:GetItem + dynamodb:PutItem.
 *
 * Body: JSON object that MUST contain the version attribute = the version the client last read
 * (positive integer; missing/wrong type → 400). If it contains the partition key, it must equal
 * the path id (else 400). createdAt/updatedAt in the body are ignored (server-managed; accepted
 * so that clients can PUT back what they GOT); deletedAt → 400 (a live item never has it).
 *
 * Flow: consistent GetItem (missing or a tombstone → 404, version mismatch → 409 with
 * currentVersion, and to preserve createdAt), then PutItem guarded by
 * `attribute_exists(#pk) AND attribute_not_exists(#del) AND #v = :expected` so that concurrent
 * writers cannot lose updates; if that condition fails, a consistent GetItem decides between 404
 * (deleted meanwhile) and 409 (someone else won). Success → 200 with the new item, built before the
 * write so that nothing can fail after it. Versions never repeat for an id (see items.ts), so a
 * version read before a delete + re-create gets 409.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  assertStorableItem,
  badRequest,
  conflict,
  isConditionalCheckFailed,
  isPositiveInteger,
  jsonResponse,
  notFound,
  parseJsonObjectBody,
  requirePathId,
  withErrorHandling,
} from '../http';
import { config, CREATED_AT_ATTRIBUTE, ddb, DELETED_AT_ATTRIBUTE, UPDATED_AT_ATTRIBUTE } from './config';
import { assertMatchesItemSchema } from './item-schema-check';
import { bodyOptions, isTombstone, Item, readItem } from './items';

/** The live item, or undefined when there is none or only a tombstone. */
async function readCurrent(id: string): Promise<Item | undefined> {
  const item = await readItem(id);
  return item && !isTombstone(item) ? item : undefined;
}

function versionConflict(id: string, expected: number, current: Record<string, unknown>) {
  const currentVersion = current[config.versionAttribute];
  return conflict(
    `Version conflict for item "${id}": expected ${config.versionAttribute} ${expected}` +
      (currentVersion !== undefined ? `, current is ${JSON.stringify(currentVersion)}` : ''),
    currentVersion !== undefined ? { currentVersion } : {},
  );
}

export const handler = withErrorHandling(async (event, { requestId }) => {
  const id = requirePathId(event, config.idParameter);
  const body = parseJsonObjectBody(event, bodyOptions());

  const expected = body[config.versionAttribute];
  if (!isPositiveInteger(expected)) {
    throw badRequest(`"${config.versionAttribute}" is required and must be a positive integer (the version last read)`);
  }
  if (Object.prototype.hasOwnProperty.call(body, config.partitionKey) && body[config.partitionKey] !== id) {
    throw badRequest(`"${config.partitionKey}" in the body must equal the id in the path`);
  }
  if (Object.prototype.hasOwnProperty.call(body, DELETED_AT_ATTRIBUTE)) {
    throw badRequest(`Attribute "${DELETED_AT_ATTRIBUTE}" is server-managed and must not be supplied`);
  }
  assertStorableItem(body, config.maxBodyDepth);
  assertMatchesItemSchema(body);

  const current = await readCurrent(id);
  if (!current) {
    throw notFound(`Item "${id}" not found`);
  }
  if (current[config.versionAttribute] !== expected) {
    throw versionConflict(id, expected, current);
  }

  const now = new Date().toISOString();
  const createdAt = typeof current[CREATED_AT_ATTRIBUTE] === 'string' ? current[CREATED_AT_ATTRIBUTE] : now;
  const item: Record<string, unknown> = {
    ...body,
    [config.partitionKey]: id,
    [config.versionAttribute]: expected + 1,
    [CREATED_AT_ATTRIBUTE]: createdAt,
    [UPDATED_AT_ATTRIBUTE]: now,
  };
  const response = jsonResponse(200, item, requestId);

  try {
    await ddb.send(
      new PutCommand({
        TableName: config.tableName,
        Item: item,
        ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#del) AND #v = :expected',
        ExpressionAttributeNames: { '#pk': config.partitionKey, '#del': DELETED_AT_ATTRIBUTE, '#v': config.versionAttribute },
        ExpressionAttributeValues: { ':expected': expected },
      }),
    );
  } catch (err) {
    if (!isConditionalCheckFailed(err)) {
      throw err;
    }
    const latest = await readCurrent(id);
    if (!latest) {
      throw notFound(`Item "${id}" not found`);
    }
    throw versionConflict(id, expected, latest);
  }
  return response;
});
