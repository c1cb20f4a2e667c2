/**
 * GET /rooms/{room}/messages?limit=50: the newest messages of a room, oldest first.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ROOM = /^[a-z0-9][a-z0-9-]{0,62}$/;

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const requestId = event.requestContext?.requestId ?? 'unknown';
  const room = event.pathParameters?.room;
  const limit = Number(event.queryStringParameters?.limit ?? '50');
  if (!room || !ROOM.test(room)) {
    return json(400, { error: { code: 'BadRequest', message: 'room must be 1-63 lowercase letters, digits or hyphens', requestId } });
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    return json(400, { error: { code: 'BadRequest', message: 'limit must be an integer from 1 to 200', requestId } });
  }
  const result = await ddb.send(new QueryCommand({
    TableName: process.env.MESSAGES_TABLE,
    KeyConditionExpression: '#room = :room',
    ExpressionAttributeNames: { '#room': 'room' },
    ExpressionAttributeValues: { ':room': room },
    ScanIndexForward: false,
    Limit: limit,
  }));
  const messages = (result.Items ?? []).reverse().map(item => ({ ...item, sentAt: String(item.sentAt).split('#')[0] }));
  return json(200, { room, messages });
}

function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: JSON.stringify(body) };
}
