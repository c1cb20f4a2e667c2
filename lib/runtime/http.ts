/**
 * Shared HTTP helpers for API Gateway (REST, proxy integration) Lambda handlers:
 * JSON responses, the error type and error shape, body parsing/validation,
 * request ids and the `withErrorHandling` wrapper that guarantees no handler throws.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { collectSecrets, createLogger, Logger, serializeError } from './logger';

export type ErrorCode =
  | 'NotFound'
  | 'BadRequest'
  | 'Conflict'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError';

const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  BadRequest: 400,
  NotFound: 404,
  Conflict: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  InternalError: 500,
};

/** An error that maps to a well-defined HTTP error response. Its message IS shown to the client. */
export class HttpError extends Error {
  public readonly statusCode: number;

  constructor(
    public readonly code: ErrorCode,
    message: string,
    /** Extra fields merged into the `error` object of the response (e.g. currentVersion). */
    public readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = STATUS_BY_CODE[code];
  }
}

export const badRequest = (message: string): HttpError => new HttpError('BadRequest', message);
export const notFound = (message: string): HttpError => new HttpError('NotFound', message);
export const conflict = (message: string, details: Record<string, unknown> = {}): HttpError =>
  new HttpError('Conflict', message, details);

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

function baseHeaders(requestId: string): Record<string, string> {
  return {
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Request-Id': requestId,
  };
}

export function jsonResponse(
  statusCode: number,
  body: unknown,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...extraHeaders, 'Content-Type': JSON_CONTENT_TYPE, ...baseHeaders(requestId) },
    body: JSON.stringify(body),
  };
}

/** 204: no body and no Content-Type. */
export function noContentResponse(requestId: string): APIGatewayProxyResult {
  return { statusCode: 204, headers: baseHeaders(requestId), body: '' };
}

export function errorResponse(err: HttpError, requestId: string): APIGatewayProxyResult {
  return jsonResponse(
    err.statusCode,
    { error: { ...err.details, code: err.code, message: err.message, requestId } },
    requestId,
  );
}

export function getRequestId(event: APIGatewayProxyEvent | undefined, context: Context | undefined): string {
  const fromEvent = event?.requestContext?.requestId;
  if (typeof fromEvent === 'string' && fromEvent !== '') {
    return fromEvent;
  }
  const fromContext = context?.awsRequestId;
  return typeof fromContext === 'string' && fromContext !== '' ? fromContext : 'unknown';
}

/** Case-insensitive header lookup (single-value headers first, then multi-value headers). */
export function getHeader(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) {
    if (k.toLowerCase() === wanted && typeof v === 'string') {
      return v;
    }
  }
  for (const [k, v] of Object.entries(event.multiValueHeaders ?? {})) {
    if (k.toLowerCase() === wanted && Array.isArray(v) && typeof v[0] === 'string') {
      return v[0];
    }
  }
  return undefined;
}

export function getQueryParameter(event: APIGatewayProxyEvent, name: string): string | undefined {
  const v = event.queryStringParameters?.[name];
  return typeof v === 'string' ? v : undefined;
}

/** `application/json`, optionally with parameters (`; charset=utf-8`). `application/problem+json` is NOT accepted. */
export function isJsonContentType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json';
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export interface BodyOptions {
  readonly maxBodyBytes: number;
}

/**
 * Reads the request body of a POST/PUT as a JSON object:
 * empty/missing → 400, too large → 413, missing or non-JSON Content-Type → 415,
 * invalid base64/UTF-8/JSON → 400, not a JSON object (array, null, primitive) → 400.
 */
export function parseJsonObjectBody(event: APIGatewayProxyEvent, options: BodyOptions): Record<string, unknown> {
  const raw = event.body;
  if (raw === null || raw === undefined || raw === '') {
    throw badRequest('Request body is required');
  }
  if (typeof raw !== 'string') {
    throw badRequest('Request body must be a string');
  }

  let bytes: Buffer;
  if (event.isBase64Encoded) {
    // Cheap upper bound before decoding (decoded size <= 3/4 of the encoded size).
    if (Math.floor((raw.length * 3) / 4) > options.maxBodyBytes + 3) {
      throw payloadTooLarge(options.maxBodyBytes);
    }
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(raw.trim())) {
      throw badRequest('Request body is not valid base64');
    }
    bytes = Buffer.from(raw, 'base64');
  } else {
    if (raw.length > options.maxBodyBytes) {
      // At least one byte per UTF-16 code unit: definitely too large.
      throw payloadTooLarge(options.maxBodyBytes);
    }
    bytes = Buffer.from(raw, 'utf8');
  }
  if (bytes.byteLength > options.maxBodyBytes) {
    throw payloadTooLarge(options.maxBodyBytes);
  }
  if (bytes.byteLength === 0) {
    throw badRequest('Request body is required');
  }

  const contentType = getHeader(event, 'content-type');
  if (contentType === undefined || contentType.trim() === '') {
    throw new HttpError('UnsupportedMediaType', 'Content-Type header is required and must be application/json');
  }
  if (!isJsonContentType(contentType)) {
    throw new HttpError('UnsupportedMediaType', 'Content-Type must be application/json');
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decoder.decode(bytes));
  } catch {
    throw badRequest('Request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function payloadTooLarge(max: number): HttpError {
  return new HttpError('PayloadTooLarge', `Request body exceeds the maximum size of ${max} bytes`);
}

/** DynamoDB limits that JSON values must respect to be storable. */
const MAX_NESTING_DEPTH = 32;
const MIN_POSITIVE_NUMBER = 1e-130;
const MAX_KEY_CHARS = 1024;
const MAX_PARTITION_KEY_BYTES = 2048;

/**
 * Validates that a parsed JSON object can be stored as a DynamoDB item by the document client
 * without a client-side marshalling error: nesting depth ≤ 32, numbers finite and within the
 * safe-integer range (the SDK refuses larger ones), no non-zero number below 1e-130 in magnitude,
 * non-empty top-level attribute names. Throws 400 otherwise.
 */
export function assertStorableItem(item: Record<string, unknown>): void {
  for (const name of Object.keys(item)) {
    if (name === '') {
      throw badRequest('Attribute names must not be empty');
    }
  }
  const visit = (value: unknown, depth: number, path: string): void => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        throw badRequest(`Number at ${path} is out of range`);
      }
      const abs = Math.abs(value);
      if (abs > Number.MAX_SAFE_INTEGER) {
        throw badRequest(`Number at ${path} is out of range (magnitude must not exceed ${Number.MAX_SAFE_INTEGER})`);
      }
      if (abs !== 0 && abs < MIN_POSITIVE_NUMBER) {
        throw badRequest(`Number at ${path} is too small (magnitude must be at least 1e-130 or 0)`);
      }
      return;
    }
    if (value === null || typeof value !== 'object') {
      return;
    }
    if (depth >= MAX_NESTING_DEPTH) {
      throw badRequest(`Item nesting exceeds the maximum depth of ${MAX_NESTING_DEPTH}`);
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, depth + 1, `${path}[${i}]`));
    } else {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        visit(v, depth + 1, `${path}.${k}`);
      }
    }
  };
  for (const [k, v] of Object.entries(item)) {
    visit(v, 1, k);
  }
}

/** A key value: non-empty string, ≤ 1024 characters and ≤ 2048 UTF-8 bytes (DynamoDB partition key limit). */
export function isValidKeyValue(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_KEY_CHARS &&
    Buffer.byteLength(value, 'utf8') <= MAX_PARTITION_KEY_BYTES
  );
}

export function keyValueRule(name: string): string {
  return `"${name}" must be a non-empty string of at most ${MAX_KEY_CHARS} characters`;
}

/** Reads and validates the id path parameter: missing/empty/too long → 400. */
export function requirePathId(event: APIGatewayProxyEvent, parameterName: string): string {
  const id = event.pathParameters?.[parameterName];
  if (id === undefined || id === null || id === '') {
    throw badRequest(`Path parameter "${parameterName}" is required`);
  }
  if (!isValidKeyValue(id)) {
    throw badRequest(`Path parameter ${keyValueRule(parameterName)}`);
  }
  return id;
}

/** Positive safe integer (a JS number, not a string). */
export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

export function errorName(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'name' in err && typeof err.name === 'string') {
    return (err as { name: string }).name;
  }
  return undefined;
}

export function isConditionalCheckFailed(err: unknown): boolean {
  return errorName(err) === 'ConditionalCheckFailedException';
}

/**
 * DynamoDB ValidationException messages that are caused by the client's data (→ 400).
 * Every other ValidationException (e.g. key schema mismatch = misconfiguration) stays a 500.
 */
const USER_DATA_VALIDATION_PATTERNS: readonly RegExp[] = [
  /item size (to update )?has exceeded/i,
  /size of hashkey has exceeded/i,
  /number (overflow|underflow)/i,
  /magnitude/i,
  /significant digits/i,
  /nesting levels/i,
  /empty (string|set|attribute)/i,
  /may not contain an empty/i,
];

export function userDataValidationError(err: unknown): HttpError | undefined {
  if (errorName(err) !== 'ValidationException') {
    return undefined;
  }
  const message = err instanceof Error ? err.message : '';
  if (/item size/i.test(message)) {
    return badRequest('Item exceeds the maximum item size of 400 KB');
  }
  if (USER_DATA_VALIDATION_PATTERNS.some((re) => re.test(message))) {
    return badRequest('Item contains a value that cannot be stored');
  }
  return undefined;
}

export interface HandlerContext {
  readonly requestId: string;
  readonly log: Logger;
  readonly lambdaContext: Context;
}

/**
 * Adds CORS headers when the API allows the request's Origin. The allowed origins come from
 * `CORS_ALLOW_ORIGINS` (comma-separated, set by ServerlessApi's `cors` option; '*' allows any), read
 * per request so a test or a configuration change needs no reload. With proxy integration only the
 * function can put CORS headers on real responses, so without this browsers would hide them.
 */
export function withCors(event: APIGatewayProxyEvent | undefined, response: APIGatewayProxyResult): APIGatewayProxyResult {
  const allowed = (process.env.CORS_ALLOW_ORIGINS ?? '').split(',').map(o => o.trim()).filter(Boolean);
  if (allowed.length === 0) {
    return response;
  }
  const origin = event && typeof event === 'object' ? getHeader(event, 'origin') : undefined;
  const allowOrigin = allowed.includes('*') ? '*' : (origin && allowed.includes(origin) ? origin : undefined);
  const headers: Record<string, string | number | boolean> = { ...response.headers, Vary: 'Origin' };
  if (allowOrigin) {
    headers['Access-Control-Allow-Origin'] = allowOrigin;
    headers['Access-Control-Expose-Headers'] = 'X-Request-Id, Location';
  }
  return { ...response, headers };
}

export type CrudHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Wraps a handler so that it can never throw: HttpError → its status; DynamoDB validation
 * errors caused by user data → 400; anything else → 500 InternalError with a generic message
 * (details are logged, never returned). Adds the standard headers and logs one line per request.
 */
export function withErrorHandling(
  fn: (event: APIGatewayProxyEvent, ctx: HandlerContext) => Promise<APIGatewayProxyResult>,
): CrudHandler {
  return async (event, context) => {
    const started = Date.now();
    let requestId = 'unknown';
    let log: Logger = createLogger({ requestId });
    let method: unknown;
    let path: unknown;
    let response: APIGatewayProxyResult;
    try {
      requestId = getRequestId(event, context);
      log = createLogger({ requestId, secrets: collectSecrets(event) });
      method = event?.httpMethod;
      path = event?.path;
      if (!event || typeof event !== 'object') {
        throw badRequest('Malformed request');
      }
      response = await fn(event, { requestId, log, lambdaContext: context });
    } catch (err) {
      const httpError = err instanceof HttpError ? err : userDataValidationError(err);
      if (httpError) {
        response = errorResponse(httpError, requestId);
      } else {
        log.error('Unhandled error', { error: serializeError(err) });
        response = errorResponse(new HttpError('InternalError', 'Internal server error'), requestId);
      }
    }
    response = withCors(event, response);
    const fields = {
      method: typeof method === 'string' ? method : undefined,
      path: typeof path === 'string' ? path : undefined,
      status: response.statusCode,
      durationMs: Date.now() - started,
    };
    if (response.statusCode >= 500) {
      log.error('request', fields);
    } else {
      log.info('request', fields);
    }
    return response;
  };
}
