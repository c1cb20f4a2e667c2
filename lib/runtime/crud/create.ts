/**
 * POST /items — create an item.  IAM: dynamodb:PutItem.
 *
 * Body: JSON object. The partition key may be supplied (non-empty string ≤ 1024 chars),
 * otherwise a UUID is generated. The version attribute, createdAt and updatedAt are
 * server-managed: supplying them → 400. Duplicate id → 409. Success → 201 + Location.
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
import { config, CREATED_AT_ATTRIBUTE, ddb, UPDATED_AT_ATTRIBUTE } from './config';

export const handler = withErrorHandling(async (event, { requestId }) => {
  const body = parseJsonObjectBody(event, { maxBodyBytes: config.maxBodyBytes });

  const managed = [config.versionAttribute, CREATED_AT_ATTRIBUTE, UPDATED_AT_ATTRIBUTE].filter((a) =>
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
  assertStorableItem(body);

  const now = new Date().toISOString();
  const item: Record<string, unknown> = {
    ...body,
    [config.partitionKey]: id,
    [config.versionAttribute]: 1,
    [CREATED_AT_ATTRIBUTE]: now,
    [UPDATED_AT_ATTRIBUTE]: now,
  };

  try {
    await ddb.send(
      new PutCommand({
        TableName: config.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': config.partitionKey },
      }),
    );
  } catch (err) {
    if (isConditionalCheckFailed(err)) {
      throw conflict(`An item with ${config.partitionKey} "${id}" already exists`);
    }
    throw err;
  }

  const basePath = (event.path ?? '').replace(/\/+$/, '');
  return jsonResponse(201, item, requestId, { Location: `${basePath}/${encodeURIComponent(id)}` });
});
