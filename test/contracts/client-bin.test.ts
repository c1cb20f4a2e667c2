import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The `serverless-api-client` bin as a consumer gets it from the packed tarball: scripts/client.mjs and
 * its templates, outside this repository, so without the devDependency openapi-typescript.
 */
test('GIVEN the client bin installed without openapi-typescript THEN it exits 2 naming the package to install', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-client-bin-'));
  try {
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.copyFileSync(path.join(ROOT, 'scripts', 'client.mjs'), path.join(dir, 'scripts', 'client.mjs'));
    fs.cpSync(path.join(ROOT, 'scripts', 'client-templates'), path.join(dir, 'scripts', 'client-templates'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify({ openapi: '3.0.1', info: { title: 't', version: '1' }, paths: {} }));
    const run = spawnSync(process.execPath, [path.join(dir, 'scripts', 'client.mjs'), '--document', path.join(dir, 'openapi.json'), '--out', path.join(dir, 'out')],
      { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/client: openapi-typescript is not installed; run `npm install -D -E openapi-typescript@7\.13\.0` in your app \(the generated code also needs openapi-fetch\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('the bin on a document (one generator run for these tests)', () => {
  let dir: string;
  let out: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-client-bin-'));
    out = path.join(dir, 'out');
    const doc = {
      openapi: '3.0.1', info: { title: 't', version: '1' },
      security: [{ api_key: [] }],
      components: { securitySchemes: { api_key: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
      paths: {
        '/books/{bookId}': {
          summary: 'one book', description: 'a book by ID',
          parameters: [{ name: 'bookId', in: 'path', required: true, schema: { type: 'string' } }],
          get: { operationId: 'GetBook', responses: { 200: { description: 'ok' } } },
        },
      },
    };
    fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(doc));
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'client.mjs'), '--document', path.join(dir, 'openapi.json'), '--out', out],
      { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
  });
  afterAll(() => {
    if (dir) { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  test('GIVEN a path item with shared parameters, a summary and a description THEN the security table lists only its operations', () => {
    const routes = fs.readFileSync(path.join(out, 'routes.ts'), 'utf8');
    const table = JSON.parse(/export const SECURITY[^=]*= (\{[\s\S]*?\n\});/.exec(routes)![1]);
    expect(table).toEqual({ 'GET /books/{bookId}': ['api_key'] });
  });

  test('GIVEN a document THEN client.ts is the template scripts/client-templates/client.ts, the data in routes.ts', () => {
    expect(fs.readFileSync(path.join(out, 'client.ts'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'scripts', 'client-templates', 'client.ts'), 'utf8'));
    expect(fs.readFileSync(path.join(out, 'routes.ts'), 'utf8')).toMatch(/export const SERVERS: readonly string\[\] = \[\];/);
  });
});
