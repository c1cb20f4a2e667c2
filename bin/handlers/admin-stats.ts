import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';

const client = new DynamoDBClient({});

/**
 * GET /admin/stats (IAM only): the items table's approximate size, refreshed by DynamoDB about every
 * six hours. Callers sign with SigV4 and need `execute-api:Invoke` (`api.grantInvoke(role, 'GET', '/admin/stats')`).
 */
export async function handler(): Promise<APIGatewayProxyResult> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: process.env.TABLE_NAME }));
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ itemCount: Table?.ItemCount ?? 0, sizeBytes: Table?.TableSizeBytes ?? 0 }),
  };
}
