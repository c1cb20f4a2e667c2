/**
 * The runtime side of the library's WebSocket APIs, for users' Lambda functions: sending to
 * connections, and the types of the events. Imports nothing from aws-cdk-lib.
 */
import './peers';
export { isGone, isRetryable, MAX_MESSAGE_BYTES, WebSocketConnections } from './connections';
export type { DeliveryReport, MessageData, SendOutcome, WebSocketConnectionsOptions } from './connections';
export type { AuthorizerResult, WebSocketAuthorizerEvent, WebSocketEvent, WebSocketRequestContext, WebSocketResult } from './events';
export type { ConnectionRecord } from './schema';
