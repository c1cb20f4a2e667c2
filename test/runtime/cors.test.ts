import { CrudHandlers, LocalDynamo, loadHandlers, startDynalite } from './dynalite';
import { getOne } from './events';

let db: LocalDynamo;
let h: CrudHandlers;

beforeAll(async () => {
  db = await startDynalite('cors-items');
  h = await loadHandlers();
});

afterAll(async () => {
  delete process.env.CORS_ALLOW_ORIGINS;
  await db?.stop();
});

function withOrigin(origin: string) {
  const event = getOne('missing-item');
  event.headers = { ...event.headers, Origin: origin };
  return event;
}

test('GIVEN an allowed origin THEN even an error response carries Access-Control-Allow-Origin for it', async () => {
  process.env.CORS_ALLOW_ORIGINS = 'https://app.example.com,https://admin.example.com';
  const response = await h.get(withOrigin('https://admin.example.com'), {} as any);
  expect(response.statusCode).toBe(404);
  expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'https://admin.example.com', Vary: 'Origin' });
});

test('GIVEN an origin that is not allowed THEN no Access-Control-Allow-Origin is sent', async () => {
  process.env.CORS_ALLOW_ORIGINS = 'https://app.example.com';
  const response = await h.get(withOrigin('https://evil.example.net'), {} as any);
  expect(response.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
});

test('GIVEN no CORS configuration THEN no CORS headers at all', async () => {
  delete process.env.CORS_ALLOW_ORIGINS;
  const response = await h.get(withOrigin('https://app.example.com'), {} as any);
  expect(response.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
  expect(response.headers?.Vary).toBeUndefined();
});
