/**
 * sendMessage: {"action":"sendMessage","text":"..."} from a connection that joined a room. The message
 * is stored (the room's history) and broadcast to every connection of the room; connections that are
 * gone are removed by the library's helper in the same call.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { WebSocketConnections } from 'serverless-api-constructs/runtime/websocket';
import type { WebSocketEvent, WebSocketResult } from 'serverless-api-constructs/runtime/websocket';

const connections = new WebSocketConnections();
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const MAX_TEXT = 2000;

export async function handler(event: WebSocketEvent): Promise<WebSocketResult> {
  const { connectionId, requestId } = event.requestContext;
  let text: unknown;
  try {
    text = (JSON.parse(event.body ?? '{}') as { text?: unknown }).text;
  } catch {
    return error(400, 'BadRequest', 'The message is not JSON.', requestId);
  }
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_TEXT) {
    return error(400, 'BadRequest', `"text" must be a non-empty string of at most ${MAX_TEXT} characters.`, requestId);
  }
  const sender = connectionId ? await connections.get(connectionId) : undefined;
  if (!sender?.topic) {
    return error(400, 'BadRequest', 'Join a room first: {"action":"joinRoom","room":"lobby"}, or connect with ?room=lobby.', requestId);
  }
  const sentAt = new Date().toISOString();
  const message = {
    type: 'message',
    id: requestId ?? sentAt,
    room: sender.topic,
    from: sender.principal,
    nickname: sender.attributes?.nickname,
    text,
    sentAt,
  };
  await ddb.send(new PutCommand({
    TableName: process.env.MESSAGES_TABLE,
    Item: { ...message, sentAt: `${sentAt}#${message.id}` },
  }));
  const report = await connections.broadcastToTopic(sender.topic, message);
  console.log(JSON.stringify({
    level: 'info', message: 'broadcast', requestId, room: sender.topic,
    sent: report.sent, gone: report.gone, removed: report.removed, failed: report.failed,
  }));
  return { statusCode: 200 };
}

function error(statusCode: number, code: string, message: string, requestId: string | undefined): WebSocketResult {
  return { statusCode, body: JSON.stringify({ error: { code, message, requestId: requestId ?? 'unknown' } }) };
}
