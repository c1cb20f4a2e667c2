/**
 * Starts dynalite (in-process DynamoDB) on a random local port, points the AWS SDK at it via
 * AWS_ENDPOINT_URL_DYNAMODB and creates a table with partition key `id` (S).
 * Call BEFORE importing the handlers: their DynamoDB client is created at module load.
 */
import type { AddressInfo } from 'net';
import type { Server } from 'http';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { CrudHandler } from '../../lib/runtime/http';
import { ColdStartOptions, coldStart } from '../support/cold-start';
import { captureConsole } from './events';

// dynalite ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createDynalite: (opts: Record<string, unknown>) => Server = require('dynalite');

export interface LocalDynamo {
  readonly endpoint: string;
  readonly tableName: string;
  stop(): Promise<void>;
}

export async function startDynalite(tableName = 'items-test'): Promise<LocalDynamo> {
  const server = createDynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKEFAKEFAKE';
  process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret-access-key';
  process.env.TABLE_NAME = tableName;

  const admin = new DynamoDBClient({});
  try {
    await admin.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } finally {
    admin.destroy();
  }

  return {
    endpoint,
    tableName,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The handlers' SDK client keeps connections alive; don't wait for them to idle out.
        (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

export interface CrudHandlers {
  create: CrudHandler;
  get: CrudHandler;
  list: CrudHandler;
  update: CrudHandler;
  remove: CrudHandler;
}

/** Loads the five handlers as a cold start would (after the environment has been set up). */
export async function loadHandlers(options: ColdStartOptions = {}): Promise<CrudHandlers> {
  const [create, get, list, update, remove] = coldStart(
    ['create', 'get', 'list', 'update', 'delete'].map((name) => require.resolve(`../../lib/runtime/crud/${name}`)),
    options,
  ) as { handler: CrudHandler }[];
  return Promise.resolve({ create: create.handler, get: get.handler, list: list.handler, update: update.handler, remove: remove.handler });
}

/** What `useCrudHandlers` gives a test file; filled in by its beforeAll. */
export interface CrudFixture {
  readonly db: LocalDynamo;
  readonly h: CrudHandlers;
  /** Everything the handlers printed (console is captured so expected error logs stay quiet). */
  readonly logs: { lines: string[]; restore: () => void };
}

/**
 * Registers the usual beforeAll/afterAll of a handler test file: capture the console, start dynalite
 * with its own table, load the five CRUD handlers (after dynalite: their client is made at load).
 * `env` is set before the handlers load (their configuration is read at module load).
 */
export function useCrudHandlers(tableName: string, env: Record<string, string> = {}, options: ColdStartOptions = {}): CrudFixture {
  const fixture = {} as { db: LocalDynamo; h: CrudHandlers; logs: CrudFixture['logs'] };
  beforeAll(async () => {
    fixture.logs = captureConsole();
    fixture.db = await startDynalite(tableName);
    Object.assign(process.env, env);
    fixture.h = await loadHandlers(options);
  });
  afterAll(async () => {
    await fixture.db?.stop();
    fixture.logs?.restore();
  });
  return fixture;
}

/** Every item of the table as stored (tombstones included), read with the given client or one of its own. */
export async function scanTable(tableName: string, reuse?: DynamoDBDocumentClient): Promise<Record<string, unknown>[]> {
  const client = reuse ?? DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const items: Record<string, unknown>[] = [];
  try {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    if (!reuse) {
      client.destroy();
    }
  }
  return items;
}
