/**
 * Tiny structured logger for the Lambda runtime code.
 *
 * Writes exactly one JSON object per line via `console.log` with the fields
 * `level`, `message`, `requestId`, `timestamp` plus any caller-supplied fields.
 *
 * Secrets are never written:
 *  1. Key-based redaction: any property (at any depth) whose name is one of
 *     `authorization`, `proxy-authorization`, `x-api-key`, `cookie`,
 *     `set-cookie` or `apiKey` (compared case-insensitively) has its value
 *     replaced by "[REDACTED]". This covers `event.headers`,
 *     `event.multiValueHeaders` and `event.requestContext.identity.apiKey`
 *     should someone ever log a whole event.
 *  2. Value-based scrubbing (defence in depth): the logger created for a
 *     request knows the secret values carried by that request (see
 *     {@link collectSecrets}) and replaces any occurrence of them in the
 *     serialized line, e.g. if an error message were to echo a header.
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

const SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'cookie',
  'set-cookie',
  'apikey',
]);

/** Secret values shorter than this are not scrubbed by value (too many false positives). */
const MIN_SCRUB_LENGTH = 6;
const MAX_REDACT_DEPTH = 20;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(key.toLowerCase());
}

/** Returns a deep copy of `value` where every sensitive property is replaced by "[REDACTED]". */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (depth > MAX_REDACT_DEPTH) {
    return '[Truncated]';
  }
  if (seen.has(value)) {
    return '[Circular]';
  }
  seen.add(value);
  if (value instanceof Error) {
    return serializeError(value);
  }
  if (Array.isArray(value)) {
    return value.map((v) => redact(v, depth + 1, seen));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSensitiveKey(k) ? REDACTED : redact(v, depth + 1, seen);
  }
  return out;
}

export function serializeError(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    return { name: err.name, message: err.message, stack: err.stack };
  }
  return { name: 'NonError', message: String(err) };
}

function addSecret(out: Set<string>, value: unknown): void {
  if (typeof value !== 'string') {
    return;
  }
  const trimmed = value.trim();
  if (trimmed.length < MIN_SCRUB_LENGTH) {
    return;
  }
  out.add(trimmed);
}

/**
 * Collects the secret values carried by an API Gateway proxy event (credential headers,
 * cookie values, the API key of the caller) so that they can be scrubbed from log output.
 * Never throws, whatever the shape of `event`.
 */
export function collectSecrets(event: unknown): string[] {
  const out = new Set<string>();
  try {
    const e = (event ?? {}) as {
      headers?: Record<string, unknown> | null;
      multiValueHeaders?: Record<string, unknown> | null;
      requestContext?: { identity?: { apiKey?: unknown } | null } | null;
    };
    const visitHeader = (name: string, raw: unknown): void => {
      if (!isSensitiveKey(name)) {
        return;
      }
      const values = Array.isArray(raw) ? raw : [raw];
      for (const v of values) {
        if (typeof v !== 'string') {
          continue;
        }
        addSecret(out, v);
        // "Bearer <token>", "Basic <b64>": also scrub the credentials alone.
        const parts = v.trim().split(/\s+/);
        if (parts.length > 1) {
          addSecret(out, parts.slice(1).join(' '));
        }
        // Cookies: scrub each cookie value.
        for (const pair of v.split(';')) {
          const eq = pair.indexOf('=');
          if (eq >= 0) {
            addSecret(out, pair.slice(eq + 1));
          }
        }
      }
    };
    for (const source of [e.headers, e.multiValueHeaders]) {
      if (source && typeof source === 'object') {
        for (const [k, v] of Object.entries(source)) {
          visitHeader(k, v);
        }
      }
    }
    addSecret(out, e.requestContext?.identity?.apiKey);
  } catch {
    // Best effort only; key-based redaction still applies.
  }
  // Longest first so that a secret containing another one is fully replaced.
  return [...out].sort((a, b) => b.length - a.length);
}

function scrub(line: string, secrets: readonly string[]): string {
  let result = line;
  for (const secret of secrets) {
    // The secret may appear raw or JSON-escaped inside the serialized line.
    const escaped = JSON.stringify(secret).slice(1, -1);
    for (const needle of new Set([secret, escaped])) {
      if (needle.length > 0) {
        result = result.split(needle).join(REDACTED);
      }
    }
  }
  return result;
}

export interface LoggerOptions {
  readonly requestId?: string;
  /** Secret values to scrub from every line (see {@link collectSecrets}). */
  readonly secrets?: readonly string[];
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    let line: string;
    try {
      const safeFields = (fields ? redact(fields) : {}) as LogFields;
      line = JSON.stringify({
        ...safeFields,
        level,
        message,
        requestId: options.requestId,
        timestamp: new Date().toISOString(),
      });
    } catch (err) {
      line = JSON.stringify({
        level,
        message,
        requestId: options.requestId,
        logError: serializeError(err).message,
      });
    }
    console.log(scrub(line, secrets));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
