// A route function of the local WebSocket tests: broadcasts the message's text to every connection
// of the stage with the library's send helper, and answers the delivery report (a two-way route).
import { WebSocketConnections } from '../../../lib/runtime/websocket';
import type { WebSocketEvent } from '../../../lib/runtime/websocket';

let connections: WebSocketConnections | undefined;

export const handler = async (event: WebSocketEvent) => {
  connections ??= new WebSocketConnections({ retryBaseDelayMs: 1 });
  const { text } = JSON.parse(event.body ?? '{}') as { text?: string };
  const report = await connections.broadcast({ text, from: event.requestContext.connectionId });
  return { statusCode: 200, body: JSON.stringify({ endpoint: connections.endpoint, report }) };
};
