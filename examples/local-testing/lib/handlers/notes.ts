import { randomUUID } from 'crypto';
import { DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const db = new DynamoDBClient({});
const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
});

/** POST /notes { text } stores a note of the caller; GET /notes lists the caller's notes. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const owner = event.requestContext.authorizer?.claims?.sub as string;
  if (event.httpMethod === 'POST') {
    const { text } = JSON.parse(event.body ?? '{}');
    if (typeof text !== 'string' || text === '') { return json(400, { error: 'text is required' }); }
    const noteId = randomUUID();
    await db.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { owner: { S: owner }, noteId: { S: noteId }, text: { S: text } } }));
    return json(201, { noteId, text });
  }
  const { Items = [] } = await db.send(new QueryCommand({
    TableName: process.env.TABLE_NAME,
    KeyConditionExpression: '#o = :o',
    ExpressionAttributeNames: { '#o': 'owner' },
    ExpressionAttributeValues: { ':o': { S: owner } },
  }));
  return json(200, Items.map(i => ({ noteId: i.noteId.S, text: i.text.S })));
}
