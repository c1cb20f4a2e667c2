import type { APIGatewayProxyResult } from 'aws-lambda';

/** GET /v2/version: which version of the API answered. */
export async function handler(): Promise<APIGatewayProxyResult> {
  return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ version: 2 }) };
}
