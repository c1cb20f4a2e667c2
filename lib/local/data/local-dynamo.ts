import * as fs from 'fs';
import type { Server } from 'http';
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { TableSpec } from '../assembly/stage-model';

/** Options of {@link LocalDynamo.start}. */
export interface LocalDynamoOptions {
  /** Keep data in this directory between runs; in memory when undefined. */
  readonly dataDirectory?: string;
  /** How often items past their TTL are deleted, in milliseconds (DynamoDB deletes them within days). */
  readonly ttlSweepMs?: number;
}

/**
 * DynamoDB for the local server: dynalite (DynamoDB's API over LevelDB, in this process) on a loopback
 * port, with every table of the stage created from its template (key schema, attributes, GSIs, LSIs,
 * streams). dynalite has no TTL, so a sweep deletes items whose TTL attribute (epoch seconds) is past,
 * as DynamoDB's background TTL process does. The embedded engine has no TransactWriteItems or PartiQL.
 */
export class LocalDynamo {
  /** Starts dynalite and creates the tables that do not exist yet. */
  public static async start(tables: TableSpec[], options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
    // dynalite ships no type declarations.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const createDynalite: (opts: Record<string, unknown>) => Server = require('dynalite');
    if (options.dataDirectory) {
      fs.mkdirSync(options.dataDirectory, { recursive: true });
    }
    const server = createDynalite({
      createTableMs: 0, deleteTableMs: 0, updateTableMs: 0,
      ...(options.dataDirectory ? { path: options.dataDirectory } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const dynamo = new LocalDynamo(server, `http://127.0.0.1:${port}`, options.ttlSweepMs ?? 60_000);
    await dynamo.ensureTables(tables);
    return dynamo;
  }

  private tables: TableSpec[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  private constructor(private readonly server: Server, public readonly endpoint: string, ttlSweepMs: number) {
    this.sweeper = setInterval(() => { void this.sweepExpired().catch(() => undefined); }, ttlSweepMs);
    this.sweeper.unref();
  }

  /** Creates the tables that do not exist yet (existing tables and their data are kept). */
  public async ensureTables(tables: TableSpec[]): Promise<void> {
    this.tables = tables;
    const existing = new Set<string>();
    let start: string | undefined;
    do {
      const page = await this.call('ListTables', start ? { ExclusiveStartTableName: start } : {});
      (page.TableNames ?? []).forEach((n: string) => existing.add(n));
      start = page.LastEvaluatedTableName;
    } while (start);
    for (const table of tables) {
      if (!existing.has(table.name)) {
        await this.call('CreateTable', table.createTable);
      }
    }
  }

  /** Deletes every item whose TTL attribute holds an epoch-seconds time in the past. Returns how many. */
  public async sweepExpired(now: number = Date.now()): Promise<number> {
    let deleted = 0;
    for (const table of this.tables.filter(t => t.ttlAttribute)) {
      const keys = ((table.createTable.KeySchema ?? []) as Array<{ AttributeName: string }>).map(k => k.AttributeName);
      let startKey: unknown;
      do {
        const page = await this.call('Scan', {
          TableName: table.name,
          FilterExpression: '#ttl < :now',
          ExpressionAttributeNames: { '#ttl': table.ttlAttribute },
          ExpressionAttributeValues: { ':now': { N: String(Math.floor(now / 1000)) } },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        });
        for (const item of page.Items ?? []) {
          await this.call('DeleteItem', { TableName: table.name, Key: Object.fromEntries(keys.map(k => [k, item[k]])) });
          deleted++;
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return deleted;
  }

  /** Calls a DynamoDB action (JSON protocol 1.0) on the local engine; rejects with the service's error. */
  public async call(action: string, body: unknown): Promise<any> {
    const response = await this.raw(action, Buffer.from(JSON.stringify(body)));
    const text = response.body.toString('utf8');
    const parsed = text ? JSON.parse(text) : {};
    if (response.statusCode >= 400) {
      throw new Error(`DynamoDB ${action}: ${parsed.__type ?? response.statusCode}: ${parsed.message ?? parsed.Message ?? text}`);
    }
    return parsed;
  }

  /**
   * Sends a request body to a DynamoDB action as is and returns the engine's answer as is (status,
   * headers, JSON body with `__type` on errors): what an API Gateway AWS integration receives.
   */
  public raw(action: string, data: Buffer): Promise<{ statusCode: number; headers: Array<[string, string]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.endpoint}/`, {
        method: 'POST',
        agent: this.agent,
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'Content-Length': data.length,
          'X-Amz-Target': `DynamoDB_20120810.${action}`,
          // dynalite checks that a request is signed, not the signature.
          'Authorization': 'AWS4-HMAC-SHA256 Credential=local/20000101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
          'X-Amz-Date': '20000101T000000Z',
        },
      }, res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => resolve({
          statusCode: res.statusCode ?? 500,
          headers: [['Content-Type', String(res.headers['content-type'] ?? 'application/x-amz-json-1.0')]],
          body: Buffer.concat(chunks),
        }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    });
  }

  /** Stops the engine (data in `dataDirectory` stays). */
  public async stop(): Promise<void> {
    clearInterval(this.sweeper);
    this.agent.destroy();
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      (this.server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    });
  }
}
