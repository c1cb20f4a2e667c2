/**
 * PUT /items/{id} — full replace with optimistic locking.  IAM: dynamodb:GetItem + dynamodb:PutItem.
 *
 * Body: JSON object that MUST contain the version attribute = the version the client last read
 * (positive integer; missing/wrong type → 400). If it contains the partition key, it must equal
 * the path id (else 400). createdAt/updatedAt in the body are ignored (server-managed; accepted
 * so that clients can PUT back what they GOT).
 *
 * Flow: consistent GetItem (missing → 404, version mismatch → 409 with currentVersion, and to
 * preserve createdAt), then PutItem guarded by `attribute_exists(#pk) AND #v = :expected` so that
 * concurrent writers cannot lose updates; if that condition fails, a consistent GetItem decides
 * between 404 (deleted meanwhile) and 409 (someone else won). Success → 200 with the new item.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
import { config, CREATED_AT_ATTRIBUTE, ddb, UPDATED_AT_ATTRIBUTE } from './config';

async function readCurrent(id: string): Promise<Record<string, unknown> | undefined> {
  const result = await ddb.send(
    new GetCommand({
      TableName: config.tableName,
      Key: { [config.partitionKey]: id },
      ConsistentRead: true,
    }),
  );
  return result.Item;
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
  const body = parseJsonObjectBody(event, { maxBodyBytes: config.maxBodyBytes });

  const expected = body[config.versionAttribute];
  if (!isPositiveInteger(expected)) {
    throw badRequest(`"${config.versionAttribute}" is required and must be a positive integer (the version last read)`);
  }
  if (Object.prototype.hasOwnProperty.call(body, config.partitionKey) && body[config.partitionKey] !== id) {
    throw badRequest(`"${config.partitionKey}" in the body must equal the id in the path`);
  }
  assertStorableItem(body);

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

  try {
    await ddb.send(
      new PutCommand({
        TableName: config.tableName,
        Item: item,
        ConditionExpression: 'attribute_exists(#pk) AND #v = :expected',
        ExpressionAttributeNames: { '#pk': config.partitionKey, '#v': config.versionAttribute },
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

  return jsonResponse(200, item, requestId);
});
