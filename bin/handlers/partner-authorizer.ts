import { timingSafeEqual } from 'crypto';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

/**
 * Request authorizer of the /partner routes: admits a caller whose `x-partner-id` header is one of the
 * comma-separated ALLOWED_PARTNER_IDS (set per environment from context `<env>:partnerIds`; empty
 * admits nobody). A partner id identifies; it is not a secret: pair it with an API key or move to a
 * signed token before exposing anything sensitive.
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const partnerId = headerValue(event.headers, 'x-partner-id') ?? '';
  const allowed = (process.env.ALLOWED_PARTNER_IDS ?? '').split(',').map(s => s.trim()).filter(Boolean);
  const admitted = partnerId !== '' && allowed.some(id => sameString(id, partnerId));
  console.log(JSON.stringify({ level: admitted ? 'INFO' : 'WARN', message: admitted ? 'partner admitted' : 'partner refused', partnerId: admitted ? partnerId : undefined }));

  // The decision is cached per partner id (identity source) for every /partner route: allow them all.
  const [arnPrefix, stage] = event.methodArn.split('/');
  return {
    principalId: admitted ? partnerId : 'anonymous',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: admitted ? 'Allow' : 'Deny', Resource: `${arnPrefix}/${stage}/*/partner/*` }],
    },
    context: admitted ? { partnerId } : undefined,
  };
}

function headerValue(headers: Record<string, string | undefined> | null, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) { return value; }
  }
  return undefined;
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
