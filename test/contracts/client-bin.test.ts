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
