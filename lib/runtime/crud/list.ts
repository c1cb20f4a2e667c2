/**
 * GET /items — list items, paginated.  IAM: dynamodb:Scan.
 *
 * Query: `limit` (integer 1..MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE) and `nextToken`
 * (opaque: base64url of the JSON of the key to continue after). Bad values → 400.
 * 200 `{ items, nextToken? }`; nextToken is absent on the last page. Tombstones left by DELETE are
 * filtered out, so a page may hold fewer than `limit` items and still have a nextToken.
 *
 * Response size budget: Lambda refuses a synchronous response over 6 MB (API Gateway then answers
 * 502), and what counts is the response as Lambda serializes it, i.e. the body string escaped once
 * more: a character JSON escapes (`"`, `\`, control characters) costs up to 7 bytes there for 1 byte
 * in DynamoDB, so one 1 MB Scan page can become a 7 MB response. Each item's exact share of the
 * serialized response is added up, and the page stops before the item that would pass
 * {@link RESPONSE_BUDGET_BYTES}, with `nextToken` pointing after the last item returned. The first
 * item is always returned (a 400 KB item costs at most 2.8 MB), so paging always makes progress.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { badRequest, getQueryParameter, isValidKeyValue, jsonResponse, withErrorHandling } from '../http';
import { config, ddb, DELETED_AT_ATTRIBUTE } from './config';
import type { Item } from './items';

/**
 * Largest serialized Lambda response a list page may produce: under Lambda's 6 MB (read as 6,000,000
 * bytes, the stricter reading) with room for the status, headers and the Lambda runtime's envelope.
 * API Gateway's own limit for REST APIs (10 MB) is looser.
 */
export const RESPONSE_BUDGET_BYTES = 5_000_000;
/** Reserved for `{"items":[...],"nextToken":"..."}` around the items, and the headers. */
const ENVELOPE_BYTES = 64 * 1024;
/** Scan calls per request when tombstones thin out pages (each reads at most `limit` items or 1 MB). */
const MAX_SCAN_CALLS = 10;

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

function encodeNextToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Bytes an item adds to the Lambda response: its JSON, escaped again as part of the body string, plus a comma. */
function serializedCost(item: Item): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(item)), 'utf8') - 2 + 1;
}

export const handler = withErrorHandling(async (event, { requestId }) => {
  const limit = parseLimit(getQueryParameter(event, 'limit'));
  let startKey: Record<string, unknown> | undefined = decodeNextToken(getQueryParameter(event, 'nextToken'));

  const items: Item[] = [];
  let used = ENVELOPE_BYTES;
  let nextKey: Record<string, unknown> | undefined;
  pages: for (let call = 0; call < MAX_SCAN_CALLS && items.length < limit; call++) {
    const result = await ddb.send(
      new ScanCommand({
        TableName: config.tableName,
        Limit: limit - items.length,
        ExclusiveStartKey: startKey,
        FilterExpression: 'attribute_not_exists(#del)',
        ExpressionAttributeNames: { '#del': DELETED_AT_ATTRIBUTE },
      }),
    );
    for (const item of result.Items ?? []) {
      const cost = serializedCost(item);
      if (items.length > 0 && used + cost > RESPONSE_BUDGET_BYTES) {
        const last = items[items.length - 1];
        nextKey = { [config.partitionKey]: last[config.partitionKey] };
        break pages;
      }
      items.push(item);
      used += cost;
    }
    const lastEvaluated = result.LastEvaluatedKey;
    nextKey = lastEvaluated && Object.keys(lastEvaluated).length > 0 ? lastEvaluated : undefined;
    if (!nextKey) {
      break;
    }
    startKey = nextKey;
  }

  const body: { items: Item[]; nextToken?: string } = { items };
  if (nextKey) {
    body.nextToken = encodeNextToken(nextKey);
  }
  return jsonResponse(200, body, requestId);
});
