import type { APIGatewayProxyEvent } from 'aws-lambda';
import { CrudHandlers, LocalDynamo, loadHandlers, startDynalite } from './dynalite';
import { apiEvent, captureConsole, del, getOne, invoke, list, post, put } from './events';
import { collectSecrets, createLogger, redact } from '../../lib/runtime/logger';

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

  test('GIVEN a request WHEN handled THEN exactly one JSON access-log line with method, path, status, durationMs and requestId is written', async () => {
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
    expect(line).toMatchObject({
      level: 'info',
      message: 'request',
      requestId: 'log-req-1',
      method: 'GET',
      path: '/items/does-not-exist',
      status: 404,
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.headers).toBeUndefined();
  });

  test('GIVEN a whole event is logged WHEN the logger serializes it THEN sensitive headers and identity.apiKey are redacted by key', () => {
    const capture = captureConsole();
    try {
      const event = withSecrets(apiEvent({ headers: { AUTHORIZATION: 'Bearer SECRET123', 'X-Trace': 'ok' } }));
      createLogger({ requestId: 'r1' }).info('dump', { event }); // no value scrubbing: key redaction alone
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
