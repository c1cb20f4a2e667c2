import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { jsonResponse, withErrorHandling } from '../../lib/runtime/http';

const client = new DynamoDBClient({});

/**
 * GET /admin/stats (IAM only): the items table's approximate size, refreshed by DynamoDB about every
 * six hours. Callers sign with SigV4 and need `execute-api:Invoke` (`api.grantInvoke(role, 'GET', '/admin/stats')`).
 * A DynamoDB failure answers 500 in the API's error shape (and is logged), never a Lambda error.
 */
export const handler = withErrorHandling(async (_event, { requestId }) => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: process.env.TABLE_NAME }));
  return jsonResponse(200, { itemCount: Table?.ItemCount ?? 0, sizeBytes: Table?.TableSizeBytes ?? 0 }, requestId);
});
