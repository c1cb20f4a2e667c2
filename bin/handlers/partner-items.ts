import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { jsonResponse, withErrorHandling } from '../../lib/runtime/http';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/**
 * GET /partner/items (partner authorizer): the first page of items, for the admitted partner.
 * A DynamoDB failure answers 500 in the API's error shape (and is logged), never a Lambda error.
 */
export const handler = withErrorHandling(async (event, { requestId }) => {
  const result = await documents.send(new ScanCommand({ TableName: process.env.TABLE_NAME, Limit: 25 }));
  return jsonResponse(200, { partnerId: event.requestContext?.authorizer?.partnerId ?? null, items: result.Items ?? [] }, requestId);
});
