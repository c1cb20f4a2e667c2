import { randomUUID } from 'crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { typedHandler } from '../generated/handlers';
import { documents, TABLE_NAME } from './books';

/**
 * POST /books (createBook): the body is a NewBook, API Gateway validated it against the contract; the
 * answer must be one of the contract's responses (201 Book or 400 Error), or this does not compile.
 */
export const handler = typedHandler<'createBook'>(async (event) => {
  const book = { bookId: randomUUID(), ...event.body };
  await documents.send(new PutCommand({ TableName: TABLE_NAME, Item: book }));
  return { statusCode: 201, body: book };
});
