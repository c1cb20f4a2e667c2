/**
 * $connect: records the connection in the connections table (see ./schema), with the principal the
 * $connect authorizer established, the topic and attribute query parameters the construct was told
 * to keep, the connect time and a TTL past API Gateway's 2-hour connection cap.
 *
 * A 400 rejects the WebSocket handshake (bad topic or attribute value); a 500 too (the client
 * retries). Nothing else is read from the client: the principal comes from the authorizer only.
 *
 * IAM: dynamodb:PutItem on the connections table (only).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebSocketEvent, WebSocketResult } from './events';
import {
  ANONYMOUS_PRINCIPAL, ATTRIBUTES, CONNECTED_AT, CONNECTION_ID, DEFAULT_TTL_MARGIN_SECONDS, ENV_ATTRIBUTE_PARAMETERS,
  ENV_TABLE_NAME, ENV_TOPIC_PARAMETER, ENV_TTL_SECONDS, EXPIRES_AT, isValidValue, MAX_CONNECTION_SECONDS, MAX_PRINCIPAL_LENGTH,
  MAX_VALUE_LENGTH, PARAMETER_NAME, PRINCIPAL, TOPIC,
} from './schema';
import { createLogger, serializeError } from '../logger';

/** What the $connect handler is configured with (from the environment the construct sets). */
export interface ConnectConfig {
  readonly tableName: string;
  readonly topicParameter?: string;
  readonly attributeParameters: readonly string[];
  readonly ttlSeconds: number;
}

/** Reads the configuration; throws on a bad one, so that a broken deployment fails loudly. */
export function connectConfig(env: Readonly<Record<string, string | undefined>> = process.env): ConnectConfig {
  const tableName = env[ENV_TABLE_NAME];
  if (!tableName) {
    throw new Error(`${ENV_TABLE_NAME} is not set`);
  }
  const topicParameter = env[ENV_TOPIC_PARAMETER] || undefined;
  const attributeParameters = (env[ENV_ATTRIBUTE_PARAMETERS] ?? '').split(',').map(s => s.trim()).filter(Boolean);
  for (const name of [topicParameter, ...attributeParameters]) {
    if (name !== undefined && !PARAMETER_NAME.test(name)) {
      throw new Error(`query parameter name ${JSON.stringify(name)} is not valid`);
    }
  }
  const ttlSeconds = Number(env[ENV_TTL_SECONDS] ?? MAX_CONNECTION_SECONDS + DEFAULT_TTL_MARGIN_SECONDS);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < MAX_CONNECTION_SECONDS) {
    throw new Error(`${ENV_TTL_SECONDS} must be an integer >= ${MAX_CONNECTION_SECONDS} (received ${env[ENV_TTL_SECONDS]})`);
  }
  return { tableName, topicParameter, attributeParameters, ttlSeconds };
}

/** The principal a $connect authorizer established: its principalId, else the IAM caller, else anonymous. */
export function principalOf(event: WebSocketEvent): string {
  const fromAuthorizer = event.requestContext.authorizer?.principalId;
  if (typeof fromAuthorizer === 'string' && fromAuthorizer !== '') {
    return fromAuthorizer.slice(0, MAX_PRINCIPAL_LENGTH);
  }
  const userArn = event.requestContext.identity?.userArn;
  if (typeof userArn === 'string' && userArn !== '') {
    return userArn.slice(0, MAX_PRINCIPAL_LENGTH);
  }
  return ANONYMOUS_PRINCIPAL;
}

/** Builds the $connect handler for a configuration and a client (tests build their own). */
export function createConnectHandler(config: ConnectConfig, ddb: DynamoDBDocumentClient) {
  return async (event: WebSocketEvent): Promise<WebSocketResult> => {
    const context = event?.requestContext ?? ({});
    const log = createLogger({ requestId: context.requestId });
    const connectionId = context.connectionId;
    if (typeof connectionId !== 'string' || connectionId === '') {
      log.error('$connect event without a connection id', { routeKey: context.routeKey });
      return reply(400, 'BadRequest', 'The event has no connection id.', context.requestId);
    }
    const query = event.queryStringParameters ?? {};
    const item: Record<string, unknown> = {
      [CONNECTION_ID]: connectionId,
      [PRINCIPAL]: principalOf(event),
    };
    if (config.topicParameter !== undefined && query[config.topicParameter] !== undefined) {
      const topic = query[config.topicParameter];
      if (!isValidValue(topic)) {
        return reply(400, 'BadRequest', `Query parameter "${config.topicParameter}" must be 1 to ${MAX_VALUE_LENGTH} printable characters.`, context.requestId);
      }
      item[TOPIC] = topic;
    }
    const attributes: Record<string, string> = {};
    for (const name of config.attributeParameters) {
      const value = query[name];
      if (value === undefined) { continue; }
      if (!isValidValue(value)) {
        return reply(400, 'BadRequest', `Query parameter "${name}" must be 1 to ${MAX_VALUE_LENGTH} printable characters.`, context.requestId);
      }
      attributes[name] = value;
    }
    if (Object.keys(attributes).length > 0) {
      item[ATTRIBUTES] = attributes;
    }
    const connectedAtMs = typeof context.connectedAt === 'number' && Number.isFinite(context.connectedAt) ? context.connectedAt : Date.now();
    item[CONNECTED_AT] = new Date(connectedAtMs).toISOString();
    item[EXPIRES_AT] = Math.floor(connectedAtMs / 1000) + config.ttlSeconds;
    try {
      await ddb.send(new PutCommand({ TableName: config.tableName, Item: item }));
    } catch (err) {
      log.error('could not record the connection', { connectionId, error: serializeError(err) });
      return reply(500, 'InternalError', 'The connection could not be recorded; try again.', context.requestId);
    }
    log.info('connected', { connectionId, principal: item[PRINCIPAL], topic: item[TOPIC] });
    return { statusCode: 200 };
  };
}

/** The library's error shape, as the REST handlers answer it. */
export function reply(statusCode: number, code: string, message: string, requestId: string | undefined): WebSocketResult {
  return { statusCode, body: JSON.stringify({ error: { code, message, requestId: requestId ?? 'unknown' } }) };
}

let cached: ReturnType<typeof createConnectHandler> | undefined;

/** The Lambda entry point: configuration from the environment, read on first use. */
export const handler = (event: WebSocketEvent): Promise<WebSocketResult> => {
  cached ??= createConnectHandler(connectConfig(), DynamoDBDocumentClient.from(new DynamoDBClient({})));
  return cached(event);
};
