/** A Lambda proxy response turned into HTTP, or why it is malformed. */
export type ProxyResult =
  | { readonly ok: true; readonly statusCode: number; readonly headers: Array<[string, string]>; readonly body: Buffer }
  | { readonly ok: false; readonly reason: string };

const KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Reads a Lambda function's result as API Gateway reads a REST proxy integration's output
 * (`{ statusCode, headers?, multiValueHeaders?, body?, isBase64Encoded? }`). Anything else is a
 * "Malformed Lambda proxy response" (502 on AWS): not an object, no valid status code, a body that
 * is not a string, headers that are not a map of scalars, unknown fields.
 * (AWS: "How do I resolve HTTP 502 Malformed Lambda proxy response errors", knowledge center.)
 */
export function readProxyResult(payload: unknown): ProxyResult {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ok: false, reason: `the result is ${payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload}, not an object` };
  }
  const result = payload as Record<string, unknown>;
  const unknown = Object.keys(result).filter(k => !KEYS.has(k));
  if (unknown.length > 0) {
    return { ok: false, reason: `unknown fields ${unknown.join(', ')}` };
  }
  const statusCode = typeof result.statusCode === 'string' && /^\d+$/.test(result.statusCode) ? Number(result.statusCode) : result.statusCode;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return { ok: false, reason: `statusCode ${JSON.stringify(result.statusCode)} is not an HTTP status code` };
  }
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') {
    return { ok: false, reason: `body is ${Array.isArray(result.body) ? 'an array' : typeof result.body}, not a string` };
  }
  if (result.isBase64Encoded !== undefined && result.isBase64Encoded !== null && typeof result.isBase64Encoded !== 'boolean') {
    return { ok: false, reason: 'isBase64Encoded is not a boolean' };
  }
  const headers: Array<[string, string]> = [];
  if (result.headers !== undefined && result.headers !== null) {
    if (typeof result.headers !== 'object' || Array.isArray(result.headers)) {
      return { ok: false, reason: 'headers is not an object' };
    }
    for (const [name, value] of Object.entries(result.headers)) {
      if (value === null || value === undefined) { continue; }
      if (typeof value === 'object') { return { ok: false, reason: `header ${name} is not a string` }; }
      headers.push([name, String(value)]);
    }
  }
  if (result.multiValueHeaders !== undefined && result.multiValueHeaders !== null) {
    if (typeof result.multiValueHeaders !== 'object' || Array.isArray(result.multiValueHeaders)) {
      return { ok: false, reason: 'multiValueHeaders is not an object' };
    }
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      if (!Array.isArray(values)) { return { ok: false, reason: `multiValueHeaders.${name} is not a list` }; }
      for (const value of values) {
        if (value !== null && typeof value === 'object') { return { ok: false, reason: `multiValueHeaders.${name} holds a non-scalar` }; }
        headers.push([name, String(value)]);
      }
    }
  }
  const text = typeof result.body === 'string' ? result.body : '';
  const body = result.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { ok: true, statusCode, headers, body };
}
