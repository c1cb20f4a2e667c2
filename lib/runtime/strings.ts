/**
 * Total string helpers for values that become DynamoDB keys, response headers or URLs.
 *
 * A JavaScript string may hold a lone UTF-16 surrogate (`"\ud800"`, legal in JSON text as an escape).
 * Such a string has no UTF-8 form: `encodeURIComponent` throws on it, `Buffer.from(s)` silently turns it
 * into U+FFFD (so DynamoDB would store something else than was sent). Every string that becomes a key,
 * a header or a URL is therefore checked with {@link isWellFormed} before any write, and the helpers
 * that build headers never throw, whatever they are given.
 */

/** A lone high surrogate (not followed by a low one) or a lone low surrogate (not preceded by a high one). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the string is valid UTF-16 (no lone surrogate), i.e. it has a UTF-8 encoding. */
export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** Characters kept as they are in a URL path put into a header (RFC 3986 pchar and '/'). */
const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/%]/;

/**
 * Percent-encodes everything outside RFC 3986 path characters (including CR, LF, spaces and non-ASCII),
 * turning lone surrogates into U+FFFD first. Never throws, so it can run after a write.
 */
export function headerSafePath(path: string): string {
  let out = '';
  for (const ch of path) {
    if (PATH_SAFE.test(ch)) {
      out += ch;
    } else {
      out += encodeURIComponent(isWellFormed(ch) ? ch : '\uFFFD');
    }
  }
  return out;
}

/** A request id safe to echo in the X-Request-Id header: printable ASCII token characters only. */
const REQUEST_ID = /^[A-Za-z0-9._:+=/@-]{1,128}$/;

export function isSafeRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}
