/**
 * `$util` of API Gateway mapping templates, with the exact output of the Java functions API Gateway
 * runs, including their surprises (documented on each).
 */
import { formatJava, VtlError } from './java';

/**
 * `$util.escapeJavaScript(s)`: the JavaScript string escaping of Apache Commons Lang, which API
 * Gateway uses. Escapes `"` `\` `/` as `\"` `\\` `\/`, control characters as `\b \t \n \f \r` or
 * `\u00XX`, and every character above 0x7E as `\uXXXX` (upper-case hex; a character outside the BMP
 * as its two UTF-16 halves).
 *
 * It also escapes the single quote as `\'`, which is NOT valid JSON. AWS's documented fix, used by
 * every template this library generates: `$util.escapeJavaScript($x).replaceAll("\\'","'")`. That
 * regex turns each `\'` back into `'`; it never touches an escaped backslash before a quote, because
 * escaping emits backslashes in pairs (`\'` in the input becomes `\\\'`, and only the last pair
 * matches).
 */
export function escapeJavaScript(value: unknown): string {
  if (value === undefined || value === null) { return ''; }
  const s = formatJava(value);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const ch = s[i];
    if (code > 0x7e) {
      out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
    } else if (code < 0x20) {
      switch (ch) {
        case '\b': out += '\\b'; break;
        case '\n': out += '\\n'; break;
        case '\t': out += '\\t'; break;
        case '\f': out += '\\f'; break;
        case '\r': out += '\\r'; break;
        default: out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
      }
    } else {
      switch (ch) {
        case '\'': out += '\\\''; break;
        case '"': out += '\\"'; break;
        case '\\': out += '\\\\'; break;
        case '/': out += '\\/'; break;
        default: out += ch;
      }
    }
  }
  return out;
}

/**
 * `$util.urlEncode(s)`: Java's `URLEncoder.encode(s, "UTF-8")` (form encoding): letters, digits and
 * `. - * _` stay, a space becomes `+`, everything else `%XX` of its UTF-8 bytes.
 */
export function urlEncode(value: unknown): string {
  if (value === undefined || value === null) { return ''; }
  const bytes = Buffer.from(formatJava(value), 'utf8');
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9.\-*_]/.test(c)) { out += c; } else if (c === ' ') { out += '+'; } else { out += '%' + b.toString(16).toUpperCase().padStart(2, '0'); }
  }
  return out;
}

/** `$util.urlDecode(s)`: Java's `URLDecoder.decode(s, "UTF-8")` (`+` is a space). */
export function urlDecode(value: unknown): string {
  if (value === undefined || value === null) { return ''; }
  const s = formatJava(value).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(s);
  } catch {
    throw new VtlError(`URLDecoder: illegal hex characters in escape (%) pattern in '${s.slice(0, 50)}'`);
  }
}

/** `$util.base64Encode(s)`: standard base64 (with padding) of the UTF-8 bytes. */
export function base64Encode(value: unknown): string {
  if (value === undefined || value === null) { return ''; }
  return Buffer.from(formatJava(value), 'utf8').toString('base64');
}

/** `$util.base64Decode(s)`: the UTF-8 text of standard base64. */
export function base64Decode(value: unknown): string {
  if (value === undefined || value === null) { return ''; }
  return Buffer.from(formatJava(value), 'base64').toString('utf8');
}

/** `$util.parseJson(s)`: the JSON value of a string (a map, a list, or a scalar). */
export function parseJson(value: unknown): unknown {
  try {
    return JSON.parse(String(value));
  } catch (e) {
    throw new VtlError(`$util.parseJson: not JSON (${(e as Error).message})`);
  }
}

/** The `$util` object of a template. */
export function utilVariable(): Record<string, (value: unknown) => unknown> {
  return { escapeJavaScript, urlEncode, urlDecode, base64Encode, base64Decode, parseJson };
}
