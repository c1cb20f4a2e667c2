/**
 * Sending to WebSocket clients from a Lambda function: to one connection, to every connection of a
 * principal, to every connection of a topic (a room), or to all of them.
 *
 * - Bounded concurrency: at most `concurrency` PostToConnection calls in flight, whatever the
 *   audience size; connection ids are read page by page (one page ahead), never all at once.
 * - Retries: throttling (429 LimitExceededException) and transient 5xx are retried with exponential
 *   backoff and full jitter, up to `maxAttempts` calls per connection.
 * - Clean-up in the same call: a 410 GoneException means the client left without a $disconnect
 *   reaching us (API Gateway's $disconnect is best effort), so its row is deleted before the call
 *   returns: while sending goes on, gone ids are deleted 25 at a time with BatchWriteItem (one call
 *   instead of 25 DeleteItem; unprocessed items and throttling retried). A single send deletes its
 *   row with DeleteItem.
 * - Rows older than API Gateway's 2-hour connection cap are skipped even if TTL has not removed them
 *   yet (TTL deletes lazily).
 *
 * Configuration comes from the environment the construct sets (`grantManageConnections(fn)`):
 * CONNECTIONS_TABLE_NAME and WEBSOCKET_MANAGEMENT_ENDPOINT (the stage's https callback URL), or from
 * the options.
 */
import {
  ApiGatewayManagementApiClient, DeleteConnectionCommand, PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  BY_PRINCIPAL_INDEX, BY_TOPIC_INDEX, CONNECTION_ID, ConnectionRecord, ENV_ENDPOINT, ENV_TABLE_NAME, EXPIRES_AT, isValidValue, MAX_VALUE_LENGTH,
  PRINCIPAL, TOPIC,
} from './schema';

/** Largest message API Gateway delivers to a WebSocket client (PostToConnection `Data`). */
export const MAX_MESSAGE_BYTES = 128 * 1024;

/** Options of {@link WebSocketConnections}. */
export interface WebSocketConnectionsOptions {
  /** The connections table. Default: env CONNECTIONS_TABLE_NAME. */
  readonly tableName?: string;
  /**
   * The stage's management endpoint, `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`.
   * Default: env WEBSOCKET_MANAGEMENT_ENDPOINT.
   */
  readonly endpoint?: string;
  /** Most PostToConnection calls in flight at once. Default 50. */
  readonly concurrency?: number;
  /** Calls per connection, the first included, when API Gateway throttles or fails transiently. Default 4. */
  readonly maxAttempts?: number;
  /** First retry delay in ms (doubled per attempt, full jitter, at most 2 s). Default 50. */
  readonly retryBaseDelayMs?: number;
  /** A DynamoDB document client (tests, custom config). Default: one from the environment. */
  readonly dynamo?: DynamoDBDocumentClient;
  /** A management API client. Default: one for `endpoint`, without SDK retries (this helper retries). */
  readonly managementApi?: ApiGatewayManagementApiClient;
}

/** The outcome of sending to one connection. */
export type SendOutcome = 'sent' | 'gone';

/** What happened to a message sent to many connections. */
export interface DeliveryReport {
  /** Connections the message was addressed to (live rows read from the table). */
  readonly attempted: number;
  /** Connections API Gateway accepted the message for. */
  readonly sent: number;
  /** Connections API Gateway answered 410 Gone for. */
  readonly gone: number;
  /** Gone connections whose rows were deleted in this call. */
  readonly removed: number;
  /** Connections the message could not be delivered to (after retries), other than gone ones. */
  readonly failed: number;
  /** The first failures (at most 100), for logs. Row deletions that failed are listed too. */
  readonly failures: ReadonlyArray<{ readonly connectionId: string; readonly error: string }>;
}

const MAX_LISTED_FAILURES = 100;
/** Gone ids collected before their rows are deleted together (BatchWriteItem's limit). */
const BATCH_SIZE = 25;
const MAX_BATCHES_IN_FLIGHT = 4;
/** DeleteItem calls in flight per batch. */
const DELETES_IN_FLIGHT = 10;
const MAX_DELAY_MS = 2000;

/**
 * The connections of one WebSocket API stage, and sending to them.
 *
 * @example
 * const connections = new WebSocketConnections();
 * export const handler = async (event) => {
 *   const { room, text } = JSON.parse(event.body);
 *   const report = await connections.broadcastToTopic(room, { room, text });
 *   return { statusCode: 200, body: JSON.stringify({ delivered: report.sent }) };
 * };
 */
export class WebSocketConnections {
  public readonly tableName: string;
  public readonly endpoint: string;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly retryBaseDelayMs: number;
  private readonly dynamo: DynamoDBDocumentClient;
  private readonly api: ApiGatewayManagementApiClient;

  constructor(options: WebSocketConnectionsOptions = {}) {
    const tableName = options.tableName ?? process.env[ENV_TABLE_NAME];
    const endpoint = options.endpoint ?? process.env[ENV_ENDPOINT];
    if (!tableName) {
      throw new Error(`WebSocketConnections: no table name; set ${ENV_TABLE_NAME} (api.grantManageConnections(fn) does) or pass tableName.`);
    }
    if (!endpoint || !/^https?:\/\/[^/]+/.test(endpoint)) {
      throw new Error(`WebSocketConnections: endpoint ${JSON.stringify(endpoint)} is not an http(s) URL; set ${ENV_ENDPOINT} `
        + '(api.grantManageConnections(fn) does) or pass endpoint.');
    }
    this.tableName = tableName;
    this.endpoint = endpoint;
    this.concurrency = positiveInteger('concurrency', options.concurrency ?? 50);
    this.maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? 4);
    this.retryBaseDelayMs = Math.max(0, options.retryBaseDelayMs ?? 50);
    this.dynamo = options.dynamo ?? DynamoDBDocumentClient.from(new DynamoDBClient({}));
    this.api = options.managementApi ?? managementClient(endpoint, this.concurrency);
  }

  /** The stored connection, or undefined when it is not (or no longer) connected. */
  public async get(connectionId: string): Promise<ConnectionRecord | undefined> {
    const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.tableName, Key: { [CONNECTION_ID]: connectionId } }));
    if (!Item || !isLive(Item)) {
      return undefined;
    }
    return Item as ConnectionRecord;
  }

  /**
   * Moves a connection to another topic (a client joining a room after connecting). Returns false when
   * the connection is not stored (it left). Throws a RangeError, before writing, for a topic $connect
   * would refuse: empty, over 256 characters, a control character or a lone surrogate.
   */
  public async setTopic(connectionId: string, topic: string): Promise<boolean> {
    if (!isValidValue(topic)) {
      throw new RangeError(`topic must be 1 to ${MAX_VALUE_LENGTH} printable characters (no control characters, no lone surrogates), as $connect accepts`);
    }
    try {
      await this.dynamo.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { [CONNECTION_ID]: connectionId },
        UpdateExpression: 'SET #topic = :topic',
        ConditionExpression: 'attribute_exists(#id)',
        ExpressionAttributeNames: { '#topic': TOPIC, '#id': CONNECTION_ID },
        ExpressionAttributeValues: { ':topic': topic },
      }));
      return true;
    } catch (err) {
      if (errorName(err) === 'ConditionalCheckFailedException') {
        return false;
      }
      throw err;
    }
  }

  /**
   * Sends `data` to one connection: 'sent', or 'gone' (API Gateway answered 410; the row is deleted
   * before this returns). Throws on any other failure, after retrying throttling and 5xx.
   */
  public async send(connectionId: string, data: MessageData): Promise<SendOutcome> {
    const payload = encode(data);
    const outcome = await this.post(connectionId, payload);
    if (outcome === GONE) {
      await this.deleteRows([connectionId]);
      return 'gone';
    }
    if (outcome !== SENT) {
      throw outcome.error;
    }
    return 'sent';
  }

  /** Sends `data` to every connection of `principal` (all devices and tabs of a user). */
  public async sendToPrincipal(principal: string, data: MessageData): Promise<DeliveryReport> {
    return this.deliver(encode(data), this.pageReader(BY_PRINCIPAL_INDEX, PRINCIPAL, principal));
  }

  /** Sends `data` to every connection of `topic` (e.g. the clients that connected with ?room=lobby). */
  public async broadcastToTopic(topic: string, data: MessageData): Promise<DeliveryReport> {
    return this.deliver(encode(data), this.pageReader(BY_TOPIC_INDEX, TOPIC, topic));
  }

  /** Sends `data` to every connection of the stage. */
  public async broadcast(data: MessageData): Promise<DeliveryReport> {
    return this.deliver(encode(data), this.pageReader());
  }

  /** Closes a connection (API Gateway then calls $disconnect) and deletes its row. */
  public async disconnect(connectionId: string): Promise<void> {
    try {
      await this.api.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    } catch (err) {
      if (!isGone(err)) {
        throw err;
      }
    }
    await this.deleteRows([connectionId]);
  }

  /**
   * Reads live connection ids page by page (Query on an index, or Scan), projecting only the id (the
   * filter on the expiry needs no projection). Each call returns the next page: `undefined` once the
   * last page was returned.
   */
  private pageReader(indexName?: string, keyAttribute?: string, keyValue?: string): () => Promise<string[] | undefined> {
    let startKey: Record<string, unknown> | undefined;
    let done = false;
    return async () => {
      if (done) {
        return undefined;
      }
      const names: Record<string, string> = { '#exp': EXPIRES_AT, '#id': CONNECTION_ID };
      const values: Record<string, unknown> = { ':now': Math.floor(Date.now() / 1000) };
      const common = {
        TableName: this.tableName,
        ExclusiveStartKey: startKey,
        FilterExpression: 'attribute_not_exists(#exp) OR #exp > :now',
        ProjectionExpression: '#id',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      };
      let result: { Items?: Array<Record<string, unknown>>; LastEvaluatedKey?: Record<string, unknown> };
      if (indexName) {
        names['#key'] = keyAttribute!;
        values[':key'] = keyValue;
        result = await this.dynamo.send(new QueryCommand({ ...common, IndexName: indexName, KeyConditionExpression: '#key = :key' }));
      } else {
        result = await this.dynamo.send(new ScanCommand(common));
      }
      startKey = result.LastEvaluatedKey;
      done = startKey === undefined;
      const ids: string[] = [];
      for (const item of result.Items ?? []) {
        const id = item[CONNECTION_ID];
        if (typeof id === 'string') {
          ids.push(id);
        }
      }
      return ids;
    };
  }

  /**
   * Sends `payload` to every id the reader returns, `concurrency` calls at a time. The ids of one page
   * are handed out from a plain array (no promise per id); the next page is read while the current one
   * is sent.
   */
  private async deliver(payload: Uint8Array, readPage: () => Promise<string[] | undefined>): Promise<DeliveryReport> {
    let attempted = 0;
    let sent = 0;
    let gone = 0;
    let failed = 0;
    const failures: Array<{ connectionId: string; error: string }> = [];
    const noteFailure = (connectionId: string, error: unknown) => {
      if (failures.length < MAX_LISTED_FAILURES) {
        failures.push({ connectionId, error: describeError(error) });
      }
    };
    const remover = new RowRemover(batch => this.deleteBatch(batch), noteFailure);

    let ids: string[] = [];
    let index = 0;
    let ahead: Promise<string[] | undefined> | undefined = readPage();
    // One refill at a time: the workers that run out of ids together wait for the same page.
    let refilling: Promise<boolean> | undefined;
    const refill = (): Promise<boolean> => {
      refilling ??= (async () => {
        try {
          const page = ahead ? await ahead : undefined;
          if (page === undefined) {
            ahead = undefined;
            return false;
          }
          ids = page;
          index = 0;
          ahead = readPage();
          // A rejected read ahead must not go unhandled while this page is being sent.
          ahead.catch(() => undefined);
          return true;
        } finally {
          refilling = undefined;
        }
      })();
      return refilling;
    };

    const worker = async () => {
      for (;;) {
        if (index >= ids.length) {
          // A failed read stops every worker at its next refill (the page promise rejects for all).
          if (!(await refill())) {
            return;
          }
          continue;
        }
        const connectionId = ids[index++];
        attempted++;
        const outcome = await this.post(connectionId, payload);
        if (outcome === SENT) {
          sent++;
        } else if (outcome === GONE) {
          gone++;
          remover.add(connectionId);
        } else {
          failed++;
          noteFailure(connectionId, outcome.error);
        }
      }
    };
    // allSettled, not all: when reading the table fails midway, the gone rows found so far are still deleted.
    const settled = await Promise.allSettled(Array.from({ length: this.concurrency }, worker));
    await remover.close();
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) {
      throw failure.reason;
    }
    return { attempted, sent, gone, removed: remover.removed, failed, failures };
  }

  /** One PostToConnection, retried on throttling and transient errors. */
  private async post(connectionId: string, payload: Uint8Array): Promise<PostOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: payload }));
        return SENT;
      } catch (err) {
        if (isGone(err)) {
          return GONE;
        }
        if (!isRetryable(err) || attempt >= this.maxAttempts) {
          return { error: err };
        }
        await sleep(this.backoff(attempt));
      }
    }
  }

  /** Deletes rows by connection id with DeleteItem (send() and disconnect(): one row), retrying throttling. */
  private async deleteRows(connectionIds: readonly string[]): Promise<DeletionResult> {
    let removed = 0;
    const failed: Array<{ connectionId: string; error: unknown }> = [];
    let next = 0;
    const worker = async () => {
      while (next < connectionIds.length) {
        const connectionId = connectionIds[next++];
        for (let attempt = 1; ; attempt++) {
          try {
            await this.dynamo.send(new DeleteCommand({ TableName: this.tableName, Key: { [CONNECTION_ID]: connectionId } }));
            removed++;
            break;
          } catch (err) {
            if (!isRetryable(err) || attempt >= this.maxAttempts) {
              failed.push({ connectionId, error: err });
              break;
            }
            await sleep(this.backoff(attempt));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELETES_IN_FLIGHT, connectionIds.length) }, worker));
    return { removed, failed };
  }

  /**
   * Deletes up to 25 rows with one BatchWriteItem (DeleteRequest only), retrying what DynamoDB leaves
   * unprocessed (it does under throttling) and throttling errors, up to `maxAttempts` calls.
   */
  private async deleteBatch(connectionIds: readonly string[]): Promise<DeletionResult> {
    let pending = [...new Set(connectionIds)];
    let removed = 0;
    const failed: Array<{ connectionId: string; error: unknown }> = [];
    for (let attempt = 1; ; attempt++) {
      let error: unknown;
      try {
        const { UnprocessedItems } = await this.dynamo.send(new BatchWriteCommand({
          RequestItems: { [this.tableName]: pending.map(id => ({ DeleteRequest: { Key: { [CONNECTION_ID]: id } } })) },
        }));
        const left = new Set((UnprocessedItems?.[this.tableName] ?? [])
          .map(request => request.DeleteRequest?.Key?.[CONNECTION_ID]).filter((id): id is string => typeof id === 'string'));
        const before = pending.length;
        pending = pending.filter(id => left.has(id));
        removed += before - pending.length;
        error = new Error('DynamoDB left the deletion unprocessed (throughput exceeded) on every attempt');
      } catch (err) {
        if (!isRetryable(err)) {
          pending.forEach(connectionId => failed.push({ connectionId, error: err }));
          return { removed, failed };
        }
        error = err;
      }
      if (pending.length === 0) {
        return { removed, failed };
      }
      if (attempt >= this.maxAttempts) {
        pending.forEach(connectionId => failed.push({ connectionId, error }));
        return { removed, failed };
      }
      await sleep(this.backoff(attempt));
    }
  }

  private backoff(attempt: number): number {
    const cap = Math.min(MAX_DELAY_MS, this.retryBaseDelayMs * 2 ** (attempt - 1));
    return Math.random() * cap;
  }
}

type ManagementClientConfig = NonNullable<ConstructorParameters<typeof ApiGatewayManagementApiClient>[0]>;

/** Why the SDK does not retry; the SDK then throws the call's own error, never this one. */
const NO_SDK_RETRY = new Error('no SDK retries: WebSocketConnections retries');

/** The SDK's retries are off: post() and deleteBatch() retry throttling and 5xx themselves, per connection. */
const NO_SDK_RETRIES: NonNullable<ManagementClientConfig['retryStrategy']> = {
  acquireInitialRetryToken: () => Promise.resolve({ getRetryCount: () => 0, getRetryDelay: () => 0 }),
  // Rejecting ends the SDK's attempts (one shared error: a 410 per gone connection reaches here).
  refreshRetryTokenForRetry: () => Promise.reject(NO_SDK_RETRY),
  recordSuccess: () => undefined,
};

/**
 * The management API client of the helper, set up for thousands of calls in a row (a broadcast). Each
 * setting cuts work the SDK would otherwise repeat on every call (the whole is measured by
 * `npm run bench`, section websocket):
 * - cacheMiddleware: the middleware stack is resolved once per command class, not per call (safe: this
 *   client gets no per-command middleware);
 * - endpointProvider: the endpoint is the stage's URL itself, so it is resolved once rather than by the
 *   endpoint rule set on every call (which returns it unchanged: a custom endpoint allows no FIPS or
 *   dual-stack variant);
 * - no SDK retry strategy: the helper retries (maxAttempts 1 alone still runs the standard strategy's
 *   token bookkeeping per call);
 * - no logger middleware: no logger is configured, and it would still filter each input and output for
 *   the no-op one;
 * - a keep-alive agent with one socket per concurrent call (the default 50 would queue the rest).
 */
function managementClient(endpoint: string, sockets: number): ApiGatewayManagementApiClient {
  const resolved = { url: new URL(endpoint) };
  const client = new ApiGatewayManagementApiClient({
    endpoint,
    endpointProvider: () => resolved,
    retryStrategy: NO_SDK_RETRIES,
    maxAttempts: 1,
    cacheMiddleware: true,
    requestHandler: {
      httpAgent: { keepAlive: true, maxSockets: sockets },
      httpsAgent: { keepAlive: true, maxSockets: sockets },
    },
  });
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

/** What can be sent: text, bytes, or a value sent as JSON. */
export type MessageData = string | Uint8Array | object;

/** post()'s answer: one of two constants, or the error that ended the attempts. */
type PostOutcome = typeof SENT | typeof GONE | { readonly error: unknown };
const SENT = 'sent';
const GONE = 'gone';

/** Rows deleted, and the ids whose deletion failed with the reason. */
interface DeletionResult {
  readonly removed: number;
  readonly failed: Array<{ readonly connectionId: string; readonly error: unknown }>;
}

/** Collects gone connection ids and deletes them in batches while sending goes on. */
class RowRemover {
  public removed = 0;
  private buffer: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deleteBatch: (connectionIds: readonly string[]) => Promise<DeletionResult>,
    private readonly noteFailure: (connectionId: string, error: unknown) => void,
  ) {}

  public add(connectionId: string): void {
    this.buffer.push(connectionId);
    if (this.buffer.length >= BATCH_SIZE && this.inFlight.size < MAX_BATCHES_IN_FLIGHT) {
      this.flush();
    }
  }

  public async close(): Promise<void> {
    while (this.buffer.length > 0 || this.inFlight.size > 0) {
      if (this.buffer.length > 0 && this.inFlight.size < MAX_BATCHES_IN_FLIGHT) {
        this.flush();
      } else {
        await Promise.race(this.inFlight);
      }
    }
  }

  private flush(): void {
    const batch = this.buffer.splice(0, BATCH_SIZE);
    const done: Promise<void> = this.deleteBatch(batch).then(
      result => {
        this.removed += result.removed;
        result.failed.forEach(f => this.noteFailure(f.connectionId, f.error));
      },
      err => batch.forEach(id => this.noteFailure(id, err)),
    ).finally(() => {
      this.inFlight.delete(done);
    });
    this.inFlight.add(done);
  }
}

function encode(data: MessageData): Uint8Array {
  let bytes: Uint8Array;
  if (typeof data === 'string') {
    bytes = Buffer.from(data, 'utf8');
  } else if (data instanceof Uint8Array) {
    bytes = data;
  } else {
    const json = JSON.stringify(data);
    if (json === undefined) {
      throw new TypeError('data is not JSON-serializable');
    }
    bytes = Buffer.from(json, 'utf8');
  }
  if (bytes.byteLength > MAX_MESSAGE_BYTES) {
    throw new RangeError(`message is ${bytes.byteLength} bytes; API Gateway delivers at most ${MAX_MESSAGE_BYTES} bytes per WebSocket message`);
  }
  return bytes;
}

function isLive(item: Record<string, unknown>): boolean {
  const expiresAt = item[EXPIRES_AT];
  return typeof expiresAt !== 'number' || expiresAt > Math.floor(Date.now() / 1000);
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function errorName(err: unknown): string | undefined {
  return (err as { name?: string } | undefined)?.name;
}

/** API Gateway's answer for a connection that no longer exists. */
export function isGone(err: unknown): boolean {
  return errorName(err) === 'GoneException' || statusOf(err) === 410;
}

const THROTTLING = new Set([
  'LimitExceededException', 'ThrottlingException', 'TooManyRequestsException',
  'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'InternalServerError', 'ServiceUnavailable',
]);

/** Throttling and transient server errors: worth another try. */
export function isRetryable(err: unknown): boolean {
  const status = statusOf(err);
  return THROTTLING.has(errorName(err) ?? '') || status === 429 || (status !== undefined && status >= 500)
    || ['ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes((err as { code?: string } | undefined)?.code ?? '');
}

function describeError(err: unknown): string {
  const status = statusOf(err);
  const name = errorName(err) ?? 'Error';
  const message = (err as { message?: string } | undefined)?.message;
  return `${name}${status ? ` (${status})` : ''}${message ? `: ${message}` : ''}`;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`WebSocketConnections: ${name} must be an integer >= 1 (received ${value})`);
  }
  return value;
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise(resolve => setTimeout(resolve, ms));
}
