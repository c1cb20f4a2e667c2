/**
 * Seeded generators of hostile API Gateway proxy events for the CRUD handlers (adversarial.test.ts).
 * Everything random comes from {@link Rng}, so a seed reproduces a run exactly.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { apiEvent } from './events';

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Secret values put into credential headers; no log line may ever contain one. */
export const SECRETS = [
  'Bearer-SECRET-TOKEN-8c1f0e2a9b',
  'APIKEY-SECRET-77f3a1c0d2',
  'COOKIE-SECRET-3e9d1b7c55',
  'SIGV4SIG0123456789abcdef0123456789abcdef0123456789abcdef01234567',
];

/** Values that broke JSON log lines or headers before, plus Unicode edge cases. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\udbff\udfff',
  '😀',
  '\ufeffbom',
  '\u202etxt.exe',
  '\uffff\ufffe',
  'e\u0301',
  '\u2028\u2029',
  '\\',
  '"',
  '\r\nX-Injected: 1',
  ',"status":',
  '"level":"info"',
  '{"message":"x"}',
  '</script>',
  '%00%ff',
  'ﷺ𝕏\u00ad',
];

export const POOL_IDS = Array.from({ length: 8 }, (_, i) => `adv-${i}`);

export const CONTENT_TYPES: (string | undefined)[] = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'application/problem+json',
  'application/jsonx',
  'text/plain',
  'text/json',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  '',
  ';',
  '\u0000',
  undefined,
];

export type Operation = 'create' | 'update' | 'get' | 'list' | 'remove';

/** What a well-behaved handler must answer: `reject` = a 4xx, `any` = anything but a 5xx. */
export type Expectation = 'reject' | 'any';

export interface GeneratedEvent {
  readonly op: Operation;
  readonly event: APIGatewayProxyEvent;
  readonly expect: Expectation;
  /** What was generated, for the failure message. */
  readonly label: string;
}

export interface GeneratorState {
  /** Versions of live pool items (from the table), to aim PUTs at current and stale versions. */
  versions: Map<string, number>;
  /** nextTokens seen in list responses, to tamper with. */
  tokens: string[];
}

function nasty(rng: Rng): string {
  return rng.pick(NASTY_STRINGS);
}

function randomKey(rng: Rng): string {
  return rng.pick(['name', 'tags', 'n', 'nested', 'a b', 'ключ', '😀', '$x', 'a.b', 'x'.repeat(200), nasty(rng) || 'k']);
}

function randomValue(rng: Rng, depth: number): unknown {
  switch (rng.int(depth > 3 ? 5 : 8)) {
    case 0: return nasty(rng);
    case 1: return rng.pick([0, 1, -1, 1.5, 1e-200, 1e200, Number.MAX_SAFE_INTEGER + 3, -0, 123456789012]);
    case 2: return rng.chance(0.5);
    case 3: return null;
    case 4: return `v-${rng.int(1000)}`;
    case 5: return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default: return randomObject(rng, depth + 1);
  }
}

function randomObject(rng: Rng, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = rng.int(4); i > 0; i--) {
    Object.defineProperty(out, randomKey(rng), { value: randomValue(rng, depth), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** `{"deep":...}` nested `depth` levels below the top-level object: [text, depth in JSON terms]. */
function deepNesting(rng: Rng): [string, number] {
  const depth = rng.pick([30, 31, 33, 40, 200, 5000]);
  const open = rng.chance(0.5) ? '[' : '{"d":';
  const close = open === '[' ? ']' : '}';
  return [`{"deep":${open.repeat(depth)}1${close.repeat(depth)}}`, depth + 1];
}

/** JSON text with a prototype key somewhere below the top level (or at it). */
function prototypeBody(rng: Rng, extra: Record<string, unknown>): string {
  const key = rng.pick(['__proto__', 'constructor', 'prototype']);
  let inner = `{"${key}":{"polluted":true}}`;
  for (let d = rng.int(5); d > 0; d--) {
    inner = rng.chance(0.5) ? `[${inner}]` : `{"n":${inner}}`;
  }
  const head = JSON.stringify(extra).slice(1, -1);
  return `{${head}${head ? ',' : ''}"x":${inner}}`;
}

/** A create/update body: [text, must the handler reject it?]. `base` holds the id (create) or version (update). */
function body(rng: Rng, op: 'create' | 'update', base: Record<string, unknown>): [string, boolean] {
  const head = JSON.stringify(base).slice(1, -1);
  const withHead = (rest: string) => `{${head}${head && rest ? ',' : ''}${rest}}`;
  switch (rng.int(14)) {
    case 0: return [JSON.stringify(base).slice(0, -1), true]; // truncated
    case 1: return [rng.pick(['[]', '[1,2]', '42', '"str"', 'null', 'true', '{}x', '{"a":1}{"b":2}', '\u0000', ' ']), true];
    case 2: {
      const [text, depth] = deepNesting(rng);
      return [text.replace('{', `{${head}${head ? ',' : ''}`), depth > 32];
    }
    case 3: return [prototypeBody(rng, base), true];
    case 4: return [JSON.stringify({ ...base, id: rng.pick(['', 'x'.repeat(1025), 'あ'.repeat(700), '\ud800', 42, null, { S: 'a' }]) }), true];
    case 5: return [withHead(`"n":${rng.pick(['1e400', '-1e400', '1e-400', '9007199254740993'])}`), true];
    case 6: {
      const size = rng.pick([1000, 110_000]);
      return [JSON.stringify({ ...base, big: 'x'.repeat(size) }), size > 102_400];
    }
    case 7: return [withHead(Array.from({ length: 10_050 }, (_, i) => `"k${i}":0`).join(',')), true]; // > 10,000 attributes
    case 8: {
      const attr = rng.pick(['createdAt', 'deletedAt']);
      // createdAt in a PUT is accepted and ignored (clients PUT back what they GOT).
      return [JSON.stringify({ ...base, [attr]: 'x' }), op === 'create' || attr === 'deletedAt'];
    }
    case 9: return [JSON.stringify({ ...base, s: nasty(rng) }), false];
    case 10: return [withHead(`"raw":"${nasty(rng)}"`), false]; // raw (unescaped) characters in the text
    default: return [JSON.stringify({ ...base, ...randomObject(rng, 1) }), false];
  }
}

function pathId(rng: Rng, state: GeneratorState): [string | null | undefined, boolean] {
  switch (rng.int(8)) {
    case 0: return [rng.pick([null, undefined, '']), true];
    case 1: return [rng.pick(['x'.repeat(1025), '\ud800', 'a\udfff', 'あ'.repeat(700)]), true];
    case 2: return [nasty(rng) || 'empty-fallback', false];
    default: return [rng.pick(POOL_IDS.filter((id) => state.versions.has(id)).concat(POOL_IDS)), false];
  }
}

function tamperedToken(rng: Rng, state: GeneratorState): [string, boolean] {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  const real = state.tokens.length > 0 ? rng.pick(state.tokens) : b64('{"id":"adv-1"}');
  switch (rng.int(9)) {
    case 0: return [real, false];
    case 1: return [real.slice(0, Math.max(1, real.length - 1 - rng.int(4))), false]; // may still decode
    case 2: return [`${real}${rng.pick(['=', '!', '%', '.', '~'])}`, true];
    case 3: return [b64('{"id":"adv-1","sk":"x"}'), true];
    case 4: return [b64('{"__proto__":{"id":"adv-1"}}'), true];
    case 5: return [b64('{"id":"\\ud800"}'), true];
    case 6: return ['A'.repeat(9000), true];
    case 7: return [Buffer.from('{"id":"adv-1"}').toString('base64'), true]; // standard base64 with '=' padding
    default: return [b64(rng.pick(['[]', 'null', '"adv-1"', '{"id":{"S":"adv-1"}}', '{"id":""}'])), true];
  }
}

/** Applies random damage to the event's envelope (headers, requestContext, ...). */
function damageEnvelope(rng: Rng, event: APIGatewayProxyEvent): string[] {
  const notes: string[] = [];
  const e = event as unknown as Record<string, unknown>;
  if (rng.chance(0.1)) { e.headers = null; notes.push('headers=null'); }
  if (rng.chance(0.1)) { e.multiValueHeaders = null; notes.push('multiValueHeaders=null'); }
  if (rng.chance(0.05)) { e.multiValueHeaders = { 'Content-Type': [null], Origin: null }; notes.push('multiValue null entries'); }
  if (rng.chance(0.05)) { e.headers = { 'content-type': null }; notes.push('header value null'); }
  if (rng.chance(0.08)) { delete e.requestContext; notes.push('no requestContext'); }
  if (rng.chance(0.05)) { (e.requestContext as Record<string, unknown> | undefined ?? {}).identity = null; notes.push('identity=null'); }
  if (rng.chance(0.05)) { (e.requestContext as Record<string, unknown> | undefined ?? {}).requestId = rng.pick(['', '\r\n', '\ud800', 'x'.repeat(500)]); notes.push('odd requestId'); }
  if (rng.chance(0.05)) { e.path = rng.pick([null, 42, '/items\r\nX: 1', `/items/${'/'.repeat(3000)}`, '/items/\ud800']); notes.push('odd path'); }
  if (rng.chance(0.05)) { e.httpMethod = rng.pick([undefined, '', 'G\u0000ET', 42]); notes.push('odd method'); }
  if (rng.chance(0.05)) { e.queryStringParameters = rng.pick([{ limit: null }, { nextToken: null }, 'limit=3']); notes.push('odd query'); }
  if (rng.chance(0.2)) {
    // Credential headers holding secrets (and values that broke JSON log lines before).
    const headers = (e.headers && typeof e.headers === 'object' ? e.headers : {}) as Record<string, unknown>;
    headers.Authorization = rng.pick([`Bearer ${SECRETS[0]}`, `AWS4-HMAC-SHA256 Credential=AKIAX/20250101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=${SECRETS[3]}`, ',"status":']);
    headers['x-api-key'] = SECRETS[1];
    headers.Cookie = `session=${SECRETS[2]}; level="level":"info"`;
    e.headers = headers;
    notes.push('secret headers');
  }
  return notes;
}

export function generateEvent(rng: Rng, state: GeneratorState): GeneratedEvent {
  const op = rng.pick<Operation>(['create', 'create', 'update', 'update', 'get', 'list', 'remove']);
  let reject = false;
  const notes: string[] = [op];
  let event: APIGatewayProxyEvent;

  if (op === 'create' || op === 'update') {
    let id: string | null | undefined = undefined;
    const base: Record<string, unknown> = {};
    if (op === 'create') {
      if (rng.chance(0.8)) base.id = rng.chance(0.6) ? rng.pick(POOL_IDS) : `adv-rand-${rng.int(1e9)}`;
    } else {
      const [pid, bad] = pathId(rng, state);
      id = pid;
      reject ||= bad;
      const current = typeof pid === 'string' ? state.versions.get(pid) : undefined;
      base.version = rng.pick([current ?? 1, (current ?? 2) - 1, 1, 99, '1', 0, null]);
      if (typeof base.version !== 'number' || base.version < 1) reject = true;
    }
    const [text, bad] = body(rng, op, base);
    reject ||= bad;
    const contentType = rng.chance(0.8) ? 'application/json' : rng.pick(CONTENT_TYPES);
    if (contentType === undefined || !/^application\/json\s*(;|$)/i.test(contentType.trim())) reject = true;
    const base64 = rng.chance(0.15);
    let raw = text;
    if (base64) {
      raw = rng.chance(0.8) ? Buffer.from(text, 'utf8').toString('base64') : '%%not-base64%%';
      if (!raw.startsWith('%')) notes.push('base64'); else reject = true;
    }
    notes.push(`ct=${JSON.stringify(contentType)}`, `body=${JSON.stringify(text.slice(0, 120))}`);
    event = apiEvent({
      method: op === 'create' ? 'POST' : 'PUT',
      path: op === 'create' ? '/items' : `/items/${id}`,
      rawBody: raw,
      contentType: contentType === undefined ? false : contentType,
      isBase64Encoded: base64,
      pathParameters: op === 'update' ? (id === undefined ? {} : { id: id as string }) : null,
    });
    if (op === 'update' && id === null) {
      (event.pathParameters as Record<string, unknown>).id = null;
    }
  } else if (op === 'list') {
    const query: Record<string, string> = {};
    if (rng.chance(0.6)) {
      const limit = rng.pick(['1', '5', '100', '0', '101', '-1', 'abc', '1e1', ' 5', '']);
      query.limit = limit;
      if (!['1', '5', '100'].includes(limit)) reject = true;
    }
    if (rng.chance(0.5)) {
      const [token, bad] = tamperedToken(rng, state);
      query.nextToken = token;
      reject ||= bad;
    }
    notes.push(`query=${JSON.stringify(query).slice(0, 120)}`);
    event = apiEvent({ method: 'GET', path: '/items', query: Object.keys(query).length > 0 ? query : null });
  } else {
    const [id, bad] = pathId(rng, state);
    reject ||= bad;
    notes.push(`id=${JSON.stringify(id)?.slice(0, 60)}`);
    event = apiEvent({
      method: op === 'get' ? 'GET' : 'DELETE',
      path: `/items/${id}`,
      pathParameters: id === undefined ? null : { id: id as string },
    });
  }
  const damage = damageEnvelope(rng, event);
  notes.push(...damage);
  if (op === 'list' && damage.includes('odd query')) {
    reject = false; // the damage replaced the (maybe invalid) query: any non-5xx answer is right
  }
  return { op, event, expect: reject ? 'reject' : 'any', label: notes.join(' | ') };
}
