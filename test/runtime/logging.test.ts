import type { APIGatewayProxyEvent } from 'aws-lambda';
import { CrudHandlers, LocalDynamo, loadHandlers, startDynalite } from './dynalite';
import { apiEvent, captureConsole, del, getOne, invoke, list, post, put } from './events';
import { collectSecrets, createLogger, redact, REDACTED } from '../../lib/runtime/logger';

let db: LocalDynamo;
let h: CrudHandlers;

beforeAll(async () => {
  db = await startDynalite('logging-items');
  h = await loadHandlers();
});

afterAll(async () => {
  await db?.stop();
});

const SECRETS = ['SECRET123', 'KEY456', 'COOKIEVAL789', 'PROXYPASS42'];

function withSecrets(event: APIGatewayProxyEvent): APIGatewayProxyEvent {
  const extra = {
    Authorization: 'Bearer SECRET123',
    'x-api-key': 'KEY456',
    Cookie: 'session=COOKIEVAL789; theme=dark',
    'Proxy-Authorization': 'Basic PROXYPASS42',
  };
  event.headers = { ...event.headers, ...extra };
  event.multiValueHeaders = {
    ...event.multiValueHeaders,
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, [v]])),
  };
  event.requestContext.identity.apiKey = 'KEY456';
  return event;
}

function expectNoSecrets(lines: string[]): void {
  const output = lines.join('\n');
  for (const secret of SECRETS) {
    expect(output).not.toContain(secret);
  }
}

describe('logging', () => {
  test('GIVEN requests carrying Authorization, x-api-key, Cookie and identity.apiKey WHEN every handler runs THEN no secret appears in any log output', async () => {
    const capture = captureConsole();
    try {
      await invoke(h.create, withSecrets(post({ id: 'log-item', SECRET_FIELD_NAME: 'not-a-secret' })));
      await invoke(h.get, withSecrets(getOne('log-item')));
      await invoke(h.list, withSecrets(list({ limit: '2' })));
      await invoke(h.update, withSecrets(put('log-item', { version: 1, x: 1 })));
      await invoke(h.update, withSecrets(put('log-item', { version: 1, x: 2 }))); // 409
      await invoke(h.create, withSecrets(post('{bad json')));                  // 400
      await invoke(h.remove, withSecrets(del('log-item')));
      await invoke(h.get, withSecrets(getOne('log-item')));                    // 404
    } finally {
      capture.restore();
    }
    expect(capture.lines.length).toBeGreaterThanOrEqual(8);
    expectNoSecrets(capture.lines);
  });

  test('GIVEN a request WHEN handled THEN exactly one JSON access-log line with method, resource, status, durationMs and requestId is written', async () => {
    const capture = captureConsole();
    let event: APIGatewayProxyEvent;
    try {
      event = withSecrets(getOne('does-not-exist', { requestId: 'log-req-1' }));
      await invoke(h.get, event);
    } finally {
      capture.restore();
    }
    expect(capture.lines).toHaveLength(1);
    const line = JSON.parse(capture.lines[0]);
    expect(line).toEqual({
      level: 'info',
      message: 'request',
      requestId: 'log-req-1',
      method: 'GET',
      resource: '/items/{id}',
      status: 404,
      durationMs: expect.any(Number),
      timestamp: expect.any(String),
    });
  });

  test('GIVEN a whole event is logged WHEN the logger serializes it THEN sensitive headers and identity.apiKey are redacted by key', () => {
    const capture = captureConsole();
    try {
      const event = withSecrets(apiEvent({ headers: { AUTHORIZATION: 'Bearer SECRET123', 'X-Trace': 'ok' } }));
      createLogger({ requestId: 'r1' }).info('dump', { event }); // no value secrets given: key redaction alone
    } finally {
      capture.restore();
    }
    expectNoSecrets(capture.lines);
    const logged = JSON.parse(capture.lines[0]);
    expect(logged.event.headers['X-Trace']).toBe('ok');
    expect(logged.event.headers.AUTHORIZATION).toBe('[REDACTED]');
    expect(logged.event.requestContext.identity.apiKey).toBe('[REDACTED]');
  });

  test('GIVEN an error message that echoes a secret WHEN logged by the request logger THEN the value is scrubbed', () => {
    const capture = captureConsole();
    try {
      const event = withSecrets(apiEvent());
      const log = createLogger({ requestId: 'r2', secrets: collectSecrets(event) });
      log.error('boom', { error: new Error('upstream said: token SECRET123 / key "KEY456" / COOKIEVAL789 / PROXYPASS42') });
    } finally {
      capture.restore();
    }
    expectNoSecrets(capture.lines);
    expect(capture.lines[0]).toContain('[REDACTED]');
  });

  test('GIVEN nested and circular structures WHEN redacted THEN sensitive keys are replaced at any depth without throwing', () => {
    const obj: Record<string, unknown> = { a: { b: [{ Cookie: 'c=COOKIEVAL789' }] }, ApiKey: 'KEY456' };
    obj.self = obj;
    const out = JSON.stringify(redact(obj));
    expectNoSecrets([out]);
    expect(out).toContain('[Circular]');
  });
});

/** Every captured line parses as one JSON object and contains none of the given values. */
function expectCleanJsonLines(lines: string[], secrets: string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    let parsed: unknown;
    expect(() => { parsed = JSON.parse(line); }).not.toThrow();
    expect(parsed).toEqual(expect.objectContaining({ level: expect.any(String), message: expect.any(String) }));
    for (const secret of secrets) {
      expect(line).not.toContain(secret);
    }
  }
}

describe('log lines stay valid JSON and secret-free whatever the request holds', () => {
  test.each([
    ['a JSON fragment that occurs in every log line', ',"status":'],
    ['a level field', '"level":"info"'],
    ['a message field', '"message":"request"'],
    ['quotes and backslashes', 'ab\\"cd\\'],
  ])('GIVEN credential headers holding %s WHEN requests fail and succeed THEN every line parses', async (_label, secret) => {
    const capture = captureConsole();
    try {
      const headers = { Authorization: secret, Cookie: `session=${secret}`, 'x-api-key': secret };
      await invoke(h.get, getOne('no-such-item', { headers }));
      await invoke(h.create, post('{bad', { headers }));
      await invoke(h.list, list({ limit: '1' }, { headers }));
    } finally {
      capture.restore();
    }
    expectCleanJsonLines(capture.lines, []);
    expect(capture.lines.map((l) => JSON.parse(l).status)).toEqual([404, 400, 200]);
  });

  test('GIVEN a SigV4 request whose signature also appears in the path and query WHEN logged THEN the signature appears in no line', async () => {
    const signature = 'f'.repeat(16) + '0123456789abcdef'.repeat(3);
    const credential = 'AKIAEXAMPLEKEY123/20250101/us-east-1/execute-api/aws4_request';
    const capture = captureConsole();
    try {
      const event = getOne(signature, {
        headers: {
          Authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${signature}`,
          'X-Amz-Security-Token': 'SESSIONTOKEN-abcdef-123456',
        },
        query: { 'X-Amz-Signature': signature },
      });
      await invoke(h.get, event);
      createLogger({ requestId: 'r3', secrets: collectSecrets(event) }).error('upstream', { error: new Error(`bad signature ${signature} for ${credential}`) });
    } finally {
      capture.restore();
    }
    expectCleanJsonLines(capture.lines, [signature, credential, 'SESSIONTOKEN-abcdef-123456']);
    expect(capture.lines[1]).toContain(REDACTED);
  });

  test('GIVEN fields with lone surrogates, control characters, a bigint, a cycle and a throwing getter WHEN logged THEN the line parses', () => {
    const capture = captureConsole();
    const nasty: Record<string, unknown> = { s: 'a\ud800b\u0000c\n"}', n: BigInt(7), ['__proto__']: 'x' };
    nasty.self = nasty;
    Object.defineProperty(nasty, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } });
    try {
      createLogger({ requestId: 'r4' }).warn('nasty \udc00', { nasty });
    } finally {
      capture.restore();
    }
    expectCleanJsonLines(capture.lines, []);
    const line = JSON.parse(capture.lines[0]);
    expect(line).toMatchObject({ level: 'warn', nasty: { n: '7', self: '[Circular]', boom: '[Unreadable]' } });
  });

  test('GIVEN Lambda JSON log format WHEN an error is logged THEN console.error gets an object that the runtime serializes as one JSON line', async () => {
    const seen: { method: string; arg: unknown }[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation((...args: unknown[]) => { seen.push({ method: m, arg: args[0] }); }));
    process.env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    try {
      createLogger({ requestId: 'r5' }).error('boom', { status: 500 });
      await invoke(h.get, getOne('no-such-item', { headers: { Authorization: ',"status":' } }));
    } finally {
      delete process.env.AWS_LAMBDA_LOG_FORMAT;
      spies.forEach((s) => s.mockRestore());
    }
    expect(seen.map((s) => s.method)).toEqual(['error', 'info']);
    for (const { arg } of seen) {
      expect(typeof arg).toBe('object');
      // What the Lambda Node.js runtime writes for console.<level>(object) in JSON format.
      const runtimeLine = JSON.stringify({ timestamp: 't', level: 'INFO', requestId: 'r', message: arg });
      expect(JSON.parse(runtimeLine).message).toEqual(arg);
    }
  });
});
