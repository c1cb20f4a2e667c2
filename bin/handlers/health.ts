import type { APIGatewayProxyResult } from 'aws-lambda';

/** GET /health: a liveness check that touches nothing. */
export async function handler(): Promise<APIGatewayProxyResult> {
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ status: 'ok' }),
  };
}
