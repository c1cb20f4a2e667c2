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
  lookup: Lookup,
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
    return incomplete(`${problems.join(' ')} Authorization=${authorization}`.trim());
  }
  const signedAt = parseAmzDate(amzDate!);
  if (!signedAt) {
    return incomplete(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  const scope = checkScope(fields.get('Credential')!, amzDate!, expected);
  if ('ok' in scope) { return scope; }
  const skew = signedAt.getTime() - now.getTime();
  if (skew < -MAX_CLOCK_SKEW_MS) {
    return invalid(`Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} - 5 min.)`);
  }
  if (skew > MAX_CLOCK_SKEW_MS) {
    return invalid(notYetCurrent(amzDate!, now));
  }
  const token = header(request.headers, 'x-amz-security-token');
  const credentials = knownCredentials(lookup, scope.accessKeyId, token);
  if ('ok' in credentials) { return credentials; }
  const signedHeaders = fields.get('SignedHeaders')!.toLowerCase().split(';');
  const signed = await signerFor(scope, credentials.secretAccessKey, token).sign(
    httpRequest(request, signedHeaders, parseQuery(request.rawQuery)),
    { signingDate: signedAt, signableHeaders: new Set(signedHeaders) },
  );
  const computed = /Signature=([0-9a-f]+)/.exec(String((signed.headers as any).authorization ?? ''))?.[1] ?? '';
  return sameSignature(computed, fields.get('Signature')!) ? { ok: true, accessKeyId: scope.accessKeyId } : invalid(SIGNATURE_MISMATCH);
}

/** Whether a request carries a presigned (query-string) signature. */
export function isPresigned(rawQuery: string): boolean {
  return /(^|&)X-Amz-Signature=/.test(rawQuery);
}

/**
 * Verifies a presigned request (SigV4 in the query string: `X-Amz-Algorithm`, `X-Amz-Credential`,
 * `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`), as a browser signs a
 * WebSocket URL it cannot add headers to: the credential scope, the expiry (at most 7 days), the
 * signing time not in the future beyond the clock skew, a known access key, and the signature,
 * recomputed by `@smithy/signature-v4`'s `presign` over the same query and signed headers.
 */
export async function verifyPresignedSigV4(
  request: SignedRequest,
  expected: { region: string; service: string },
  lookup: Lookup,
  now: Date = new Date(),
): Promise<SigV4Verdict> {
  const query = parseQuery(request.rawQuery);
  const one = (name: string) => { const v = query[name]; return Array.isArray(v) ? v[0] : v; };
  const missing = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'].filter(n => !one(n));
  if (missing.length > 0) {
    return incomplete(`The presigned request lacks ${missing.join(', ')}.`);
  }
  if (one('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
    return incomplete(`Unsupported algorithm ${one('X-Amz-Algorithm')}: use AWS4-HMAC-SHA256.`);
  }
  const amzDate = one('X-Amz-Date');
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) {
    return incomplete(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  const scope = checkScope(one('X-Amz-Credential'), amzDate, expected);
  if ('ok' in scope) { return scope; }
  const expires = Number(one('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > 604800) {
    return incomplete('X-Amz-Expires must be an integer between 1 and 604800 seconds.');
  }
  if (signedAt.getTime() - now.getTime() > MAX_CLOCK_SKEW_MS) {
    return invalid(notYetCurrent(amzDate, now));
  }
  if (now.getTime() > signedAt.getTime() + expires * 1000) {
    return invalid(`Signature expired: ${amzDate} + ${expires} s is now earlier than ${formatAmzDate(now)}.`);
  }
  const token = one('X-Amz-Security-Token');
  const credentials = knownCredentials(lookup, scope.accessKeyId, token);
  if ('ok' in credentials) { return credentials; }
  const signedHeaders = one('X-Amz-SignedHeaders').toLowerCase().split(';');
  const unsigned = { ...query };
  delete unsigned['X-Amz-Signature'];
  const presigned = await signerFor(scope, credentials.secretAccessKey, token).presign(
    httpRequest(request, signedHeaders, unsigned),
    { signingDate: signedAt, expiresIn: expires, signableHeaders: new Set(signedHeaders) },
  );
  const computed = String(presigned.query?.['X-Amz-Signature'] ?? '');
  return sameSignature(computed, one('X-Amz-Signature')) ? { ok: true, accessKeyId: scope.accessKeyId } : invalid(SIGNATURE_MISMATCH);
}

type Failure = Extract<SigV4Verdict, { ok: false }>;
type Lookup = (accessKeyId: string) => (LocalCredentials & { sessionToken?: string }) | undefined;
interface Scope { readonly accessKeyId: string; readonly region: string; readonly service: string }

const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. '
  + 'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

function incomplete(message: string): Failure {
  return { ok: false, missing: false, message, errorType: 'IncompleteSignatureException' };
}

function invalid(message: string): Failure {
  return { ok: false, missing: false, message, errorType: 'InvalidSignatureException' };
}

function notYetCurrent(amzDate: string, now: Date): string {
  return `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(new Date(now.getTime() + MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} + 5 min.)`;
}

/** `AKID/20240102/eu-west-1/execute-api/aws4_request` checked against the signing date and the expected region and service. */
function checkScope(credential: string, amzDate: string, expected: { region: string; service: string }): Scope | Failure {
  const [accessKeyId, scopeDate, region, service, terminator] = credential.split('/');
  if (terminator !== 'aws4_request' || !service) {
    return incomplete(`Credential should be scoped to a valid region, not '${region ?? ''}'. `);
  }
  if (scopeDate !== amzDate.slice(0, 8)) {
    return invalid(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  if (region !== expected.region) {
    return invalid(`Credential should be scoped to a valid region, not '${region}'. `);
  }
  if (service !== expected.service) {
    return invalid(`Credential should be scoped to correct service: '${expected.service}'. `);
  }
  return { accessKeyId, region, service };
}

/** The credentials of a known access key whose session token (if it has one) the request carries. */
function knownCredentials(lookup: Lookup, accessKeyId: string, token: string | undefined): LocalCredentials | Failure {
  const credentials = lookup(accessKeyId);
  if (!credentials || (credentials.sessionToken !== undefined && token !== credentials.sessionToken)) {
    return { ok: false, missing: false, message: INVALID_TOKEN, errorType: 'UnrecognizedClientException' };
  }
  return credentials;
}

function signerFor(scope: Scope, secretAccessKey: string, sessionToken: string | undefined): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: scope.accessKeyId, secretAccessKey, sessionToken },
    region: scope.region,
    service: scope.service,
    sha256: Sha256 as any,
    uriEscapePath: scope.service !== 's3',
    applyChecksum: false,
  });
}

/** The request as the signer takes it, with exactly the headers the caller signed. */
function httpRequest(request: SignedRequest, signedHeaders: string[], query: Record<string, string | string[]>) {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    headers[name] = Array.isArray(value) ? value.join(',') : value ?? '';
  }
  return {
    method: request.method.toUpperCase(),
    protocol: 'http:',
    hostname: (headers.host ?? '').split(':')[0],
    path: request.rawPath || '/',
    query,
    headers,
    body: request.body.length > 0 ? request.body : undefined,
  };
}

function sameSignature(computed: string, given: string): boolean {
  return computed.length === given.length && timingSafeEqual(Buffer.from(computed), Buffer.from(given));
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
