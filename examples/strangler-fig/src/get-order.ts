import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

function json(statusCode: number, body: unknown, requestId: string): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Request-Id': requestId }, body: JSON.stringify(body) };
}

/** GET /orders/{orderId}: the order from the new table (the legacy system no longer serves it). */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const requestId = event.requestContext.requestId;
  const orderId = event.pathParameters?.orderId ?? '';
  const { Item } = await documents.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { orderId } }));
  return Item
    ? json(200, Item, requestId)
    : json(404, { error: { code: 'NotFound', message: `No order ${orderId}.`, requestId } }, requestId);
}
