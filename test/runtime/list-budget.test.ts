import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { useCrudHandlers } from './dynalite';
import { invoke, list, parseBody } from './events';

const fx = useCrudHandlers('budget-items');

/** Lambda's synchronous response limit, read the strict way (6,000,000 rather than 6 MiB). */
const LAMBDA_RESPONSE_LIMIT = 6_000_000;
const ITEM_COUNT = 7;
/**
 * 300 KB of U+0001 per item: 300 KB in DynamoDB (so one 1 MB Scan page holds 4 of them), but 6 bytes
 * each in the body JSON ("\u0001") and 7 in the Lambda response ("\\u0001"): 2.1 MB per item there.
 */
const PAYLOAD = '\u0001'.repeat(300 * 1024);

beforeAll(async () => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  try {
    for (let i = 0; i < ITEM_COUNT; i++) {
      await client.send(new PutCommand({
        TableName: fx.db.tableName,
        Item: { id: `big-${i}`, version: 1, createdAt: 't', updatedAt: 't', payload: PAYLOAD },
      }));
    }
  } finally {
    client.destroy();
  }
});

/** The size of the response as Lambda serializes it (what its 6 MB limit applies to). */
const lambdaPayloadBytes = (res: unknown) => Buffer.byteLength(JSON.stringify(res), 'utf8');

describe('list responses stay under Lambda\'s 6 MB response limit', () => {
  test('GIVEN items whose JSON is 7x their stored size WHEN listed with limit=100 THEN every page fits the budget and paging returns each item exactly once', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await invoke(fx.h.list, list(token ? { limit: '100', nextToken: token } : { limit: '100' }));
      expect(res.statusCode).toBe(200);
      sizes.push(lambdaPayloadBytes(res));
      const body = parseBody(res);
      expect(body.items.length).toBeGreaterThan(0);
      for (const item of body.items) {
        expect(item.payload).toBe(PAYLOAD);
        seen.push(item.id);
      }
      token = body.nextToken;
      pages += 1;
      expect(pages).toBeLessThanOrEqual(ITEM_COUNT);
    } while (token);

    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the copy the fixture's cold start loaded
    const { RESPONSE_BUDGET_BYTES } = require('../../lib/runtime/crud/list') as typeof import('../../lib/runtime/crud/list');
    expect(Math.max(...sizes)).toBeLessThanOrEqual(RESPONSE_BUDGET_BYTES);
    expect(Math.max(...sizes)).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
    expect([...seen].sort()).toEqual(Array.from({ length: ITEM_COUNT }, (_, i) => `big-${i}`));
    // The budget, not the limit or DynamoDB's 1 MB page, ended the pages: 2 items of 2.1 MB each.
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(ITEM_COUNT / 2));
  });

  test('GIVEN the same items WHEN listed with limit=1 THEN one item per page (the budget never cuts a page to nothing)', async () => {
    const res = await invoke(fx.h.list, list({ limit: '1' }));
    const body = parseBody(res);
    expect(body.items).toHaveLength(1);
    expect(typeof body.nextToken).toBe('string');
  });
});
