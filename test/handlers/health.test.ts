import { handler } from '../../bin/handlers/health';

describe('GET /health', () => {
  test('GIVEN a call THEN 200 {"status":"ok"} as JSON', async () => {
    const res = await handler();

    expect(res.statusCode).toBe(200);
    expect(res.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });

  test('GIVEN a call THEN the answer is never cached (a cached "ok" would hide an outage)', async () => {
    const res = await handler();

    expect(res.headers?.['Cache-Control']).toBe('no-store');
  });
});
