/**
 * GET /items — list items, paginated.  IAM: dynamodb:Scan.
 *
 * Query: `limit` (integer 1..MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE) and `nextToken`
 * (opaque: base64url of the JSON of DynamoDB's LastEvaluatedKey). Bad values → 400.
 * 200 `{ items, nextToken? }`; nextToken is absent on the last page.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { badRequest, getQueryParameter, isValidKeyValue, jsonResponse, withErrorHandling } from '../http';
import { config, ddb } from './config';

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) {
    return config.defaultPageSize;
  }
  const value = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > config.maxPageSize) {
    throw badRequest(`"limit" must be an integer between 1 and ${config.maxPageSize}`);
  }
  return value;
}

function decodeNextToken(raw: string | undefined): Record<string, string> | undefined {
  if (raw === undefined) {
    return undefined;
  }
  const invalid = () => badRequest('invalid nextToken');
  if (raw === '' || raw.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(raw)) {
    throw invalid();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(raw, 'base64url')));
  } catch {
    throw invalid();
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid();
  }
  const keys = Object.keys(parsed);
  if (keys.length !== 1 || keys[0] !== config.partitionKey) {
    throw invalid();
  }
  const value = (parsed as Record<string, unknown>)[config.partitionKey];
  if (!isValidKeyValue(value)) {
    throw invalid();
  }
  return { [config.partitionKey]: value };
}

function encodeNextToken(lastEvaluatedKey: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

export const handler = withErrorHandling(async (event, { requestId }) => {
  const limit = parseLimit(getQueryParameter(event, 'limit'));
  const exclusiveStartKey = decodeNextToken(getQueryParameter(event, 'nextToken'));

  const result = await ddb.send(
    new ScanCommand({
      TableName: config.tableName,
      Limit: limit,
      ExclusiveStartKey: exclusiveStartKey,
    }),
  );

  const body: { items: Record<string, unknown>[]; nextToken?: string } = { items: result.Items ?? [] };
  if (result.LastEvaluatedKey && Object.keys(result.LastEvaluatedKey).length > 0) {
    body.nextToken = encodeNextToken(result.LastEvaluatedKey);
  }
  return jsonResponse(200, body, requestId);
});
