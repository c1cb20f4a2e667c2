import { handler } from '../../bin/handlers/version';

describe('GET /version', () => {
  test('GIVEN a call THEN 200 {"version":"v2"} as JSON', async () => {
    const res = await handler();

    expect(res.statusCode).toBe(200);
    expect(res.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toEqual({ version: 'v2' });
  });

  test('GIVEN a call THEN the answer is not cached', async () => {
    const res = await handler();

    expect(res.headers?.['Cache-Control']).toBe('no-store');
  });
});
