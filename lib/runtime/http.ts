/**
 * Shared HTTP helpers for API Gateway (REST, proxy integration) Lambda handlers:
 * JSON responses, the error type and error shape, body parsing/validation,
 * request ids and the `withErrorHandling` wrapper that guarantees no handler throws.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { isValidKeyValue, ItemValidationError, keyValueRule } from './item-validation';
import { JsonNumberError, JsonShapeLimitError, measureJsonShape } from './json-shape';
import { collectSecrets, createLogger, Logger, serializeError } from './logger';
import { isSafeRequestId, isWellFormed } from './strings';

export { assertStorableItem, FORBIDDEN_ATTRIBUTE_NAMES, isValidKeyValue, keyValueRule } from './item-validation';

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

/**
 * The request id echoed in X-Request-Id and the logs: API Gateway's, else Lambda's, else 'unknown'.
 * Only printable token characters are accepted, so the header can never be malformed.
 */
export function getRequestId(event: APIGatewayProxyEvent | undefined, context: Context | undefined): string {
  const fromEvent = event?.requestContext?.requestId;
  if (isSafeRequestId(fromEvent)) {
    return fromEvent;
  }
  const fromContext = context?.awsRequestId;
  return isSafeRequestId(fromContext) ? fromContext : 'unknown';
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
  /** Largest body in bytes (decoded); larger → 413. */
  readonly maxBodyBytes: number;
  /**
   * Deepest nesting of objects and arrays (the top-level object is depth 1); deeper → 400.
   * @default 32 (DynamoDB's limit)
   */
  readonly maxDepth?: number;
  /**
   * Most values at any depth (object members plus array elements); more → 400.
   * @default 10000
   */
  readonly maxAttributes?: number;
}

export const DEFAULT_MAX_BODY_DEPTH = 32;
export const DEFAULT_MAX_BODY_ATTRIBUTES = 10000;

/**
 * Reads the request body of a POST/PUT as a JSON object, spending work in proportion to what it
 * accepts: size first (413, before decoding), then Content-Type (415), then UTF-8 (400), then the
 * attribute count and nesting depth in one pass that stops at the first value over a limit, and
 * refuses a number literal JSON.parse would change (400, see json-shape.ts), and only then
 * `JSON.parse` (400 if invalid, or not a JSON object).
 */
export function parseJsonObjectBody(event: APIGatewayProxyEvent, options: BodyOptions): Record<string, unknown> {
  const raw = event.body;
  if (raw === null || raw === undefined || raw === '') {
    throw badRequest('Request body is required');
  }
  if (typeof raw !== 'string') {
    throw badRequest('Request body must be a string');
  }

  let text: string;
  if (event.isBase64Encoded) {
    // Cheap upper bound before decoding (decoded size <= 3/4 of the encoded size).
    if (Math.floor((raw.length * 3) / 4) > options.maxBodyBytes + 3) {
      throw payloadTooLarge(options.maxBodyBytes);
    }
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(raw.trim())) {
      throw badRequest('Request body is not valid base64');
    }
    const bytes = Buffer.from(raw, 'base64');
    if (bytes.byteLength > options.maxBodyBytes) {
      throw payloadTooLarge(options.maxBodyBytes);
    }
    if (bytes.byteLength === 0) {
      throw badRequest('Request body is required');
    }
    checkContentType(event);
    try {
      text = utf8Decoder.decode(bytes);
    } catch {
      throw badRequest('Request body is not valid UTF-8');
    }
  } else {
    if (raw.length > options.maxBodyBytes || Buffer.byteLength(raw, 'utf8') > options.maxBodyBytes) {
      // The first test is O(1): at least one byte per UTF-16 code unit.
      throw payloadTooLarge(options.maxBodyBytes);
    }
    checkContentType(event);
    if (!isWellFormed(raw)) {
      // A lone surrogate has no UTF-8 form: encoding it would silently store U+FFFD instead.
      throw badRequest('Request body is not valid UTF-8');
    }
    text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw; // like TextDecoder: drop a BOM
  }

  const maxDepth = options.maxDepth ?? DEFAULT_MAX_BODY_DEPTH;
  const maxAttributes = options.maxAttributes ?? DEFAULT_MAX_BODY_ATTRIBUTES;
  try {
    measureJsonShape(text, { maxDepth, maxValues: maxAttributes });
  } catch (err) {
    if (err instanceof JsonShapeLimitError) {
      throw badRequest(err.limit === 'depth'
        ? `Request body nesting exceeds the maximum depth of ${maxDepth}`
        : `Request body exceeds the maximum of ${maxAttributes} attributes (object members and array elements, at any depth)`);
    }
    if (err instanceof JsonNumberError) {
      throw badRequest(`Request body holds a ${err.message} (JSON numbers are stored as 64-bit floating point)`);
    }
    throw err;
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('Request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function checkContentType(event: APIGatewayProxyEvent): void {
  const contentType = getHeader(event, 'content-type');
  if (contentType === undefined || contentType.trim() === '') {
    throw new HttpError('UnsupportedMediaType', 'Content-Type header is required and must be application/json');
  }
  if (!isJsonContentType(contentType)) {
    throw new HttpError('UnsupportedMediaType', 'Content-Type must be application/json');
  }
}

function payloadTooLarge(max: number): HttpError {
  return new HttpError('PayloadTooLarge', `Request body exceeds the maximum size of ${max} bytes`);
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

/** The error a thrown value maps to, if it is the client's fault (→ 4xx). */
function clientError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) {
    return err;
  }
  if (err instanceof ItemValidationError) {
    return badRequest(err.message);
  }
  return userDataValidationError(err);
}

/**
 * Wraps a handler so that it can never throw: HttpError → its status; an unstorable body or DynamoDB
 * validation errors caused by user data → 400; anything else → 500 InternalError with a generic
 * message (details are logged, never returned). Adds the standard headers and logs one access line
 * per request with a fixed set of fields (method, resource, status, durationMs: see logger.ts).
 * Nothing after `fn` can throw: CORS and logging are total, so a response that reports a write is
 * never turned into an error.
 */
export function withErrorHandling(
  fn: (event: APIGatewayProxyEvent, ctx: HandlerContext) => Promise<APIGatewayProxyResult>,
): CrudHandler {
  return async (event, context) => {
    const started = Date.now();
    let requestId = 'unknown';
    let log: Logger = createLogger({ requestId });
    let response: APIGatewayProxyResult;
    try {
      requestId = getRequestId(event, context);
      log = createLogger({ requestId, secrets: collectSecrets(event) });
      if (!event || typeof event !== 'object') {
        throw badRequest('Malformed request');
      }
      response = await fn(event, { requestId, log, lambdaContext: context });
    } catch (err) {
      const httpError = clientError(err);
      if (httpError) {
        response = errorResponse(httpError, requestId);
      } else {
        log.error('Unhandled error', { error: serializeError(err) });
        response = errorResponse(new HttpError('InternalError', 'Internal server error'), requestId);
      }
    }
    try {
      response = withCors(event, response);
    } catch {
      // CORS headers are an addition; the response stands without them.
    }
    const fields = {
      method: stringField(event, 'httpMethod'),
      resource: stringField(event, 'resource'),
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

/** A string property of the event, or undefined (never throws, whatever the event is). */
function stringField(event: unknown, name: 'httpMethod' | 'resource'): string | undefined {
  try {
    const value = event && typeof event === 'object' ? (event as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
