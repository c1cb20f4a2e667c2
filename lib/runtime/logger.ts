/**
 * Structured logger of the Lambda runtime code: one JSON object per line, a fixed set of fields.
 *
 * Secrets are never serialized in the first place:
 *  1. Callers log chosen fields, never a whole event: the access line is `method`, `resource` (the route
 *     template from API Gateway, e.g. `/items/{id}`, never the raw path or query, which may carry ids, a
 *     SigV4 signature or a presigned URL's credentials), `status` and `durationMs`.
 *  2. Redaction is by field, before serialization: a property whose name is a credential header or an
 *     API key ({@link isSensitiveKey}) is replaced at any depth, and every string value (and key) is
 *     cleaned of the secret values the request carries ({@link collectSecrets}), e.g. an error message
 *     that echoes a header. Only then is the entry serialized, so a header holding `,"status":` or
 *     `"level":"info"` cannot break the line: `JSON.stringify` of plain data always yields valid JSON
 *     (lone surrogates are escaped, strings are capped, cycles and depth are cut).
 *  3. If serialization still fails, a fixed fallback line is written; logging never throws.
 *
 * Lambda integration: functions of this library use Lambda's JSON log format. There the runtime wraps
 * what `console.<level>` receives into `{"timestamp","level","requestId","message"}`, takes the level
 * from the console method, and filters by the function's application log level. So under
 * `AWS_LAMBDA_LOG_FORMAT=JSON` the entry goes to `console.error/warn/info/debug` as an OBJECT (it
 * becomes a nested `message` object, and error lines are ERROR lines); elsewhere (text format, tests,
 * local runs) it is written as one JSON string.
 *
 * Why not Powertools for AWS Lambda's Logger (`@aws-lambda-powertools/logger` 2.36.0)? Measured by
 * `npm run bench:logger` (bench/logger-cost.ts: esbuild minified, CJS, node20, `@aws-sdk/*` external,
 * Node 20): it adds 23.5 KB minified (7.4 KB gzipped) to every handler (the GET handler goes from
 * 8,892 to 32,425 bytes, this logger is 2,344) and 12.6 ms to cold start (require + `new Logger()` with
 * the SDK already loaded: median 13.9 ms against 1.3 ms, 41 runs on a shared 2-core machine). What
 * these handlers need (an allowlist of fields, redaction by field, JSON that survives any header) it
 * does not provide: its TypeScript Logger has no redaction, so this code would sit on top of it anyway,
 * and Lambda's JSON log format already adds timestamp, level, requestId and level filtering.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const REDACTED = '[REDACTED]';

/** Header names (and the identity field) whose values are credentials. Compared case-insensitively. */
const SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-amz-security-token',
  'cookie',
  'set-cookie',
  'apikey',
]);

/** Query parameters of presigned (SigV4 query-string) requests that carry credentials. */
const SENSITIVE_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
]);

/** Secret values shorter than this are not scrubbed by value (too many false positives). */
const MIN_SCRUB_LENGTH = 6;
const MAX_DEPTH = 8;
const MAX_STRING = 4096;
const MAX_ENTRIES = 100;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(key.toLowerCase());
}

function scrubString(value: string, secrets: readonly string[]): string {
  let out = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…[truncated]` : value;
  for (const secret of secrets) {
    if (out.includes(secret)) {
      out = out.split(secret).join(REDACTED);
    }
  }
  return out;
}

/**
 * Returns plain, JSON-safe data: sensitive properties replaced by "[REDACTED]" at any depth, secret
 * values removed from every string and key, long strings, big arrays/objects, deep nesting and cycles
 * cut, errors reduced to name/message/stack, bigints and dates turned into strings, functions dropped.
 */
export function redact(value: unknown, secrets: readonly string[] = [], depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  switch (typeof value) {
    case 'string':
      return scrubString(value, secrets);
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined; // undefined, function, symbol
  }
  if (value === null) {
    return null;
  }
  if (depth >= MAX_DEPTH) {
    return '[Truncated]';
  }
  const obj = value;
  if (seen.has(obj)) {
    return '[Circular]';
  }
  seen.add(obj);
  if (obj instanceof Error) {
    return redact(serializeError(obj), secrets, depth + 1, seen);
  }
  if (obj instanceof Date) {
    return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  }
  if (Array.isArray(obj)) {
    return obj.slice(0, MAX_ENTRIES).map((v) => redact(v, secrets, depth + 1, seen));
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).slice(0, MAX_ENTRIES)) {
    let v: unknown;
    try {
      v = (obj as Record<string, unknown>)[key];
    } catch {
      v = '[Unreadable]'; // a throwing getter
    }
    // defineProperty: a key named "__proto__" stays a plain property of the copy.
    Object.defineProperty(out, scrubString(key, secrets), {
      value: isSensitiveKey(key) ? REDACTED : redact(v, secrets, depth + 1, seen),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

export function serializeError(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    return { name: err.name, message: err.message, stack: err.stack };
  }
  return { name: 'NonError', message: typeof err === 'string' ? err : Object.prototype.toString.call(err) };
}

function addSecret(out: Set<string>, value: unknown): void {
  if (typeof value !== 'string') {
    return;
  }
  const trimmed = value.trim();
  if (trimmed.length >= MIN_SCRUB_LENGTH) {
    out.add(trimmed);
  }
}

function addCredentialParts(out: Set<string>, value: string): void {
  addSecret(out, value);
  // "Bearer <token>", "Basic <b64>", "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...":
  // also the credentials alone and every `name=value` part (SigV4 signature, cookie values).
  const parts = value.trim().split(/\s+/);
  if (parts.length > 1) {
    addSecret(out, parts.slice(1).join(' '));
  }
  for (const piece of value.split(/[;,\s]+/)) {
    const eq = piece.indexOf('=');
    if (eq >= 0) {
      addSecret(out, piece.slice(eq + 1));
    }
  }
}

function values(raw: unknown): unknown[] {
  return Array.isArray(raw) ? raw : [raw];
}

/**
 * Collects the secret values carried by an API Gateway proxy event (credential headers and their
 * parts, cookie values, the caller's API key, presigned-URL query credentials) so that they can be
 * removed from logged strings. Never throws, whatever the shape of `event`.
 */
export function collectSecrets(event: unknown): string[] {
  const out = new Set<string>();
  try {
    const e = (event ?? {}) as {
      headers?: unknown;
      multiValueHeaders?: unknown;
      queryStringParameters?: unknown;
      multiValueQueryStringParameters?: unknown;
      requestContext?: { identity?: { apiKey?: unknown } | null } | null;
    };
    for (const source of [e.headers, e.multiValueHeaders]) {
      if (source && typeof source === 'object') {
        for (const [name, raw] of Object.entries(source)) {
          if (isSensitiveKey(name)) {
            for (const v of values(raw)) {
              if (typeof v === 'string') {
                addCredentialParts(out, v);
              }
            }
          }
        }
      }
    }
    for (const source of [e.queryStringParameters, e.multiValueQueryStringParameters]) {
      if (source && typeof source === 'object') {
        for (const [name, raw] of Object.entries(source)) {
          if (SENSITIVE_QUERY_PARAMETERS.has(name.toLowerCase())) {
            values(raw).forEach((v) => addSecret(out, v));
          }
        }
      }
    }
    addSecret(out, e.requestContext?.identity?.apiKey);
  } catch {
    // Best effort only; fields are chosen and key-based redaction still applies.
  }
  // Longest first so that a secret containing another one is fully replaced.
  return [...out].sort((a, b) => b.length - a.length);
}

export interface LoggerOptions {
  readonly requestId?: string;
  /** Secret values to remove from every logged string (see {@link collectSecrets}). */
  readonly secrets?: readonly string[];
}

const CONSOLE_METHOD: Readonly<Record<LogLevel, 'debug' | 'info' | 'warn' | 'error'>> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
};

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    const timestamp = new Date().toISOString();
    let entry: Record<string, unknown>;
    let line: string;
    try {
      const safeFields = fields === undefined ? {} : redact(fields, secrets);
      entry = {
        ...(safeFields !== null && typeof safeFields === 'object' && !Array.isArray(safeFields) ? safeFields : {}),
        level,
        message: scrubString(String(message), secrets),
        requestId: options.requestId,
        timestamp,
      };
      line = JSON.stringify(entry);
    } catch {
      entry = { level, message: 'log entry could not be serialized', requestId: options.requestId, timestamp };
      line = JSON.stringify(entry);
    }
    try {
      // Under Lambda's JSON format the runtime nests an object as the `message` object of its own line.
      console[CONSOLE_METHOD[level]](process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON' ? entry : line);
    } catch {
      // Never let logging fail a request.
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
