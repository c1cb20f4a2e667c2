/**
 * The connections table of the WebSocket runtime in dynalite, with the key schema and indexes the
 * construct creates (lib/runtime/websocket/schema.ts), and seeding of many connections.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  BY_PRINCIPAL_INDEX, BY_TOPIC_INDEX, CONNECTION_ID, ConnectionRecord, EXPIRES_AT, PRINCIPAL, TOPIC,
} from '../../lib/runtime/websocket/schema';

export async function createConnectionsTable(tableName: string): Promise<void> {
  const admin = new DynamoDBClient({});
  try {
    await admin.send(new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: CONNECTION_ID, AttributeType: 'S' },
        { AttributeName: PRINCIPAL, AttributeType: 'S' },
        { AttributeName: TOPIC, AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: CONNECTION_ID, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: BY_PRINCIPAL_INDEX, KeySchema: [{ AttributeName: PRINCIPAL, KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [EXPIRES_AT] } },
        { IndexName: BY_TOPIC_INDEX, KeySchema: [{ AttributeName: TOPIC, KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [EXPIRES_AT] } },
      ],
    }));
  } finally {
    admin.destroy();
  }
}

/** A live connection row (expires in 2 h 15 min). */
export function connection(id: string, fields: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return {
    connectionId: id,
    principal: 'user-1',
    connectedAt: new Date().toISOString(),
    expiresAt: Math.floor(Date.now() / 1000) + 8100,
    ...fields,
  };
}

/** Writes rows 25 per BatchWriteItem, 8 batches at a time. */
export async function seed(ddb: DynamoDBDocumentClient, tableName: string, rows: readonly ConnectionRecord[]): Promise<void> {
  const batches: ConnectionRecord[][] = [];
  for (let i = 0; i < rows.length; i += 25) {
    batches.push(rows.slice(i, i + 25));
  }
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = batches[next++].map(Item => ({ PutRequest: { Item: { ...Item } } }));
      while (requests.length > 0) {
        const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Every connection id in the table. */
export async function storedIds(ddb: DynamoDBDocumentClient, tableName: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ProjectionExpression: CONNECTION_ID }));
    (page.Items ?? []).forEach(i => ids.add(i[CONNECTION_ID] as string));
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}
