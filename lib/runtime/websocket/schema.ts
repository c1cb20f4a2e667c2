/**
 * The connections table: one item per open WebSocket connection, written by the library's $connect
 * handler and deleted by its $disconnect handler (or by the send helper when API Gateway answers 410
 * Gone, or by TTL when both were missed). Shared by the construct (key schema, indexes, TTL) and the
 * runtime (handlers and helper), so the writer and the readers cannot drift apart.
 *
 * | attribute      | type | meaning                                                              |
 * |----------------|------|----------------------------------------------------------------------|
 * | connectionId   | S    | partition key: API Gateway's connection id                           |
 * | principal      | S    | who connected: the authorizer's principalId, else the IAM caller ARN, else 'anonymous' |
 * | topic          | S    | optional: the value of the topic query parameter (e.g. ?room=lobby)  |
 * | attributes     | M    | optional: the configured query parameters, as strings                |
 * | connectedAt    | S    | ISO-8601 time of the $connect                                        |
 * | expiresAt      | N    | epoch seconds: connect time + API Gateway's 2-hour cap + a margin (TTL) |
 *
 * Indexes (projecting `expiresAt`, so that readers skip rows TTL has not removed yet):
 * `byPrincipal` (partition `principal`) and `byTopic` (partition `topic`, sparse).
 *
 * Imports nothing but ../strings (which imports nothing): the construct side reads these names too.
 */
import { isWellFormed } from '../strings';

export const CONNECTION_ID = 'connectionId';
export const PRINCIPAL = 'principal';
export const TOPIC = 'topic';
export const ATTRIBUTES = 'attributes';
export const CONNECTED_AT = 'connectedAt';
export const EXPIRES_AT = 'expiresAt';

export const BY_PRINCIPAL_INDEX = 'byPrincipal';
export const BY_TOPIC_INDEX = 'byTopic';

/** API Gateway closes every WebSocket connection after 2 hours. */
export const MAX_CONNECTION_SECONDS = 2 * 60 * 60;
/** Added to the 2-hour cap before TTL may remove a row: clock skew and a late $disconnect. */
export const DEFAULT_TTL_MARGIN_SECONDS = 15 * 60;

/** The principal of a connection no authorizer named (a `none()` $connect). */
export const ANONYMOUS_PRINCIPAL = 'anonymous';

/** Environment variables the library sets on its handlers and on functions granted `manageConnections`. */
export const ENV_TABLE_NAME = 'CONNECTIONS_TABLE_NAME';
export const ENV_ENDPOINT = 'WEBSOCKET_MANAGEMENT_ENDPOINT';
export const ENV_TOPIC_PARAMETER = 'CONNECTION_TOPIC_PARAMETER';
export const ENV_ATTRIBUTE_PARAMETERS = 'CONNECTION_ATTRIBUTE_PARAMETERS';
export const ENV_TTL_SECONDS = 'CONNECTION_TTL_SECONDS';

/** Longest topic or attribute value accepted from a query string, in characters. */
export const MAX_VALUE_LENGTH = 256;
// Control characters (C0, DEL, C1) are refused: they end up in logs and on other clients' screens.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A topic or attribute value the library stores: 1 to MAX_VALUE_LENGTH characters, no control
 * character, no lone surrogate. The one rule of $connect's query values and of `setTopic`.
 */
export function isValidValue(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_VALUE_LENGTH && !CONTROL.test(value) && isWellFormed(value);
}

/** Longest principal stored (IAM ARNs and Cognito subs are far shorter). */
export const MAX_PRINCIPAL_LENGTH = 1024;

/** A query-string parameter name the construct accepts for `topicParameter` and `attributeParameters`. */
export const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** A stored connection. */
export interface ConnectionRecord {
  readonly connectionId: string;
  readonly principal: string;
  readonly topic?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly connectedAt: string;
  readonly expiresAt: number;
}
