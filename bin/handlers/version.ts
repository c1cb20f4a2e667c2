import type { APIGatewayProxyResult } from 'aws-lambda';

/** GET /version (items API v2 only): which version of the API answered. */
export async function handler(): Promise<APIGatewayProxyResult> {
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ version: 'v2' }),
  };
}
