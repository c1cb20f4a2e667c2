import { randomUUID } from 'crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

function json(statusCode: number, body: unknown, requestId: string): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Request-Id': requestId }, body: JSON.stringify(body) };
}

/** POST /orders: a new order in the new table; 400 in the API's error shape when the body is not an object of items. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const requestId = event.requestContext.requestId;
  let order: { items?: unknown };
  try {
    order = JSON.parse(event.body ?? '');
  } catch {
    return json(400, { error: { code: 'BadRequest', message: 'The body is not JSON.', requestId } }, requestId);
  }
  if (typeof order !== 'object' || order === null || !Array.isArray(order.items) || order.items.length === 0) {
    return json(400, { error: { code: 'BadRequest', message: 'Give the order as {"items": [...]}.', requestId } }, requestId);
  }
  const item = { orderId: randomUUID(), items: order.items, status: 'NEW', createdAt: new Date().toISOString() };
  await documents.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: item, ConditionExpression: 'attribute_not_exists(orderId)' }));
  return json(201, item, requestId);
}
