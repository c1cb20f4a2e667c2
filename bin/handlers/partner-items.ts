import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** GET /partner/items (partner authorizer): the first page of items, for the admitted partner. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const result = await documents.send(new ScanCommand({ TableName: process.env.TABLE_NAME, Limit: 25 }));
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ partnerId: event.requestContext.authorizer?.partnerId ?? null, items: result.Items ?? [] }),
  };
}
