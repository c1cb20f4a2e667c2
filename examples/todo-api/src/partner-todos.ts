import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const dynamodb = new DynamoDBClient({});

/** GET /partner/todos (API key): the first 25 todos, id and title only. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  try {
    const result = await dynamodb.send(new ScanCommand({
      TableName: process.env.TABLE_NAME,
      Limit: 25,
      ProjectionExpression: 'id, title',
    }));
    const todos = (result.Items ?? []).map(item => ({ id: item.id?.S, title: item.title?.S ?? null }));
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ todos }) };
  } catch (error) {
    console.error(JSON.stringify({ level: 'ERROR', message: 'scan failed', requestId: event.requestContext?.requestId, error: String(error) }));
    return {
      statusCode: 500,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error', requestId: event.requestContext?.requestId } }),
    };
  }
}
