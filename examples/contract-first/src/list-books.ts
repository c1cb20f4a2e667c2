import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { typedHandler } from '../generated/handlers';
import type { components } from '../generated/schema';
import { documents, TABLE_NAME } from './books';

type Book = components['schemas']['Book'];

/** GET /books (listBooks): a page of books, `limit` and `nextToken` as the contract declares them. */
export const handler = typedHandler<'listBooks'>(async (event) => {
  const limit = Math.min(Math.max(Number(event.queryStringParameters?.limit ?? 25) || 25, 1), 100);
  const token = event.queryStringParameters?.nextToken;
  const page = await documents.send(new ScanCommand({
    TableName: TABLE_NAME,
    Limit: limit,
    ExclusiveStartKey: token ? { bookId: token } : undefined,
  }));
  const next = page.LastEvaluatedKey?.bookId;
  return { statusCode: 200, body: { books: (page.Items ?? []) as Book[], ...(typeof next === 'string' ? { nextToken: next } : {}) } };
});
