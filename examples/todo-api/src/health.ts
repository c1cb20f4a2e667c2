import type { APIGatewayProxyResult } from 'aws-lambda';

/** GET /health: public liveness check. */
export async function handler(): Promise<APIGatewayProxyResult> {
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ status: 'ok' }),
  };
}
