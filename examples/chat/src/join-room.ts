/**
 * joinRoom: {"action":"joinRoom","room":"games"} moves the sender's connection to another room. A
 * two-way route: the returned body is sent back to the sender.
 */
import { WebSocketConnections } from 'serverless-api-constructs/runtime/websocket';
import type { WebSocketEvent, WebSocketResult } from 'serverless-api-constructs/runtime/websocket';

const connections = new WebSocketConnections();
const ROOM = /^[a-z0-9][a-z0-9-]{0,62}$/;

export async function handler(event: WebSocketEvent): Promise<WebSocketResult> {
  const { connectionId, requestId } = event.requestContext;
  let room: unknown;
  try {
    room = (JSON.parse(event.body ?? '{}') as { room?: unknown }).room;
  } catch {
    room = undefined;
  }
  if (typeof room !== 'string' || !ROOM.test(room)) {
    return reply(400, { error: { code: 'BadRequest', message: '"room" must be 1-63 lowercase letters, digits or hyphens.', requestId } });
  }
  if (!connectionId || !(await connections.setTopic(connectionId, room))) {
    return reply(410, { error: { code: 'Gone', message: 'This connection is no longer known; reconnect.', requestId } });
  }
  return reply(200, { type: 'joined', room });
}

function reply(statusCode: number, body: unknown): WebSocketResult {
  return { statusCode, body: JSON.stringify(body) };
}
