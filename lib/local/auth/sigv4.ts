import { createHash, createHmac, timingSafeEqual } from 'crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LocalCredentials } from '../local-secrets';

/** The parts of an HTTP request SigV4 signs. */
export interface SignedRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded, without the query string. */
  readonly rawPath: string;
  /** The query string as sent, without '?'. */
  readonly rawQuery: string;
  /** Headers, lower-case names. */
  readonly headers: { [name: string]: string | string[] | undefined };
  readonly body: Buffer;
}

/** The outcome of checking a request's signature. */
export type SigV4Verdict =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly missing: boolean; readonly message: string; readonly errorType: string };

/** How far the signing time may be from the server's clock: AWS allows 5 minutes either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Verifies an AWS Signature Version 4 `Authorization` header the way AWS front ends do: the header's
 * shape, the credential scope (date, region, service), the signing time within 5 minutes of now, a
 * known access key, and the signature itself. The expected signature is computed by
 * `@smithy/signature-v4`, the signer the AWS SDK uses, over exactly the headers the caller signed.
 * Messages are AWS's.
 */
export async function verifySigV4(
  request: SignedRequest,
  expected: { region: string; service: string },
  lookup: (accessKeyId: string) => (LocalCredentials & { sessionToken?: string }) | undefined,
  now: Date = new Date(),
): Promise<SigV4Verdict> {
  const authorization = header(request.headers, 'authorization');
  if (!authorization) {
    return { ok: false, missing: true, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' };
  }
  const parsed = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(authorization.trim());
  const fields = new Map<string, string>();
  for (const part of (parsed?.[1] ?? '').split(/,\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0) { fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim()); }
  }
  const amzDate = header(request.headers, 'x-amz-date');
  const problems: string[] = [];
  if (!fields.get('Credential')) { problems.push('Authorization header requires \'Credential\' parameter.'); }
  if (!fields.get('Signature')) { problems.push('Authorization header requires \'Signature\' parameter.'); }
  if (!fields.get('SignedHeaders')) { problems.push('Authorization header requires \'SignedHeaders\' parameter.'); }
  if (!amzDate) { problems.push('Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.'); }
  if (!parsed || problems.length > 0) {
    return { ok: false, missing: false, message: `${problems.join(' ')} Authorization=${authorization}`.trim(), errorType: 'IncompleteSignatureException' };
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = fields.get('Credential')!.split('/');
  const signedAt = parseAmzDate(amzDate!);
  if (!signedAt) {
    return { ok: false, missing: false, message: `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`, errorType: 'IncompleteSignatureException' };
  }
  if (terminator !== 'aws4_request' || !scopeService) {
    return { ok: false, missing: false, message: `Credential should be scoped to a valid region, not '${scopeRegion ?? ''}'. `, errorType: 'IncompleteSignatureException' };
  }
  if (scopeDate !== amzDate!.slice(0, 8)) {
    return { ok: false, missing: false, message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate!.slice(0, 8)}', from '${amzDate}'.`, errorType: 'InvalidSignatureException' };
  }
  if (scopeRegion !== expected.region) {
    return { ok: false, missing: false, message: `Credential should be scoped to a valid region, not '${scopeRegion}'. `, errorType: 'InvalidSignatureException' };
  }
  if (scopeService !== expected.service) {
    return { ok: false, missing: false, message: `Credential should be scoped to correct service: '${expected.service}'. `, errorType: 'InvalidSignatureException' };
  }
  const skew = signedAt.getTime() - now.getTime();
  if (skew < -MAX_CLOCK_SKEW_MS) {
    return {
      ok: false, missing: false, errorType: 'InvalidSignatureException',
      message: `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} - 5 min.)`,
    };
  }
  if (skew > MAX_CLOCK_SKEW_MS) {
    return {
      ok: false, missing: false, errorType: 'InvalidSignatureException',
      message: `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(new Date(now.getTime() + MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} + 5 min.)`,
    };
  }
  const credentials = lookup(accessKeyId);
  if (!credentials) {
    return { ok: false, missing: false, message: 'The security token included in the request is invalid.', errorType: 'UnrecognizedClientException' };
  }
  const token = header(request.headers, 'x-amz-security-token');
  if (credentials.sessionToken !== undefined && token !== credentials.sessionToken) {
    return { ok: false, missing: false, message: 'The security token included in the request is invalid.', errorType: 'UnrecognizedClientException' };
  }

  const signedHeaders = fields.get('SignedHeaders')!.toLowerCase().split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    headers[name] = Array.isArray(value) ? value.join(',') : value ?? '';
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: token },
    region: scopeRegion,
    service: scopeService,
    sha256: Sha256 as any,
    uriEscapePath: scopeService !== 's3',
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method: request.method.toUpperCase(),
    protocol: 'http:',
    hostname: (headers.host ?? '').split(':')[0],
    path: request.rawPath || '/',
    query: parseQuery(request.rawQuery),
    headers,
    body: request.body.length > 0 ? request.body : undefined,
  }, { signingDate: signedAt, signableHeaders: new Set(signedHeaders) });
  const computed = /Signature=([0-9a-f]+)/.exec(String((signed.headers as any).authorization ?? ''))?.[1] ?? '';
  const given = fields.get('Signature')!;
  if (computed.length !== given.length || !timingSafeEqual(Buffer.from(computed), Buffer.from(given))) {
    return {
      ok: false, missing: false, errorType: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return { ok: true, accessKeyId };
}

/** A SHA-256 hash / HMAC for the signer, from Node's crypto. */
class Sha256 {
  private readonly hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  public update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  public async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `a=1&b=2&b=3` → { a: '1', b: ['2', '3'] } (values decoded; the signer encodes them canonically). */
function parseQuery(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const part of raw.split('&')) {
    if (part === '') { continue; }
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = safeDecode(eq < 0 ? '' : part.slice(eq + 1));
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) { return undefined; }
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** 2024-01-02T03:04:05Z → '20240102T030405Z'. */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
