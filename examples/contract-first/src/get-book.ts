import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { typedHandler } from '../generated/handlers';
import type { components } from '../generated/schema';
import { documents, TABLE_NAME } from './books';

/** GET /books/{bookId} (getBook): 200 Book or 404 Error, as the contract says. */
export const handler = typedHandler<'getBook'>(async (event) => {
  const bookId = event.pathParameters?.bookId ?? '';
  const { Item } = await documents.send(new GetCommand({ TableName: TABLE_NAME, Key: { bookId } }));
  if (!Item) {
    return { statusCode: 404, body: { error: { code: 'NotFound', message: `No book ${bookId}`, requestId: event.requestContext.requestId } } };
  }
  return { statusCode: 200, body: Item as components['schemas']['Book'] };
});
