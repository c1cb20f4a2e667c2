/**
 * generated/ is committed (the example reads without a build step). This keeps it honest: `npm run
 * client` (the package's `serverless-api-client` bin, as this app has it installed) writes exactly the
 * committed files from the contract today, so a change of the generator or the contract that is not
 * regenerated fails here. Under `npm run examples` the bin is the packed library's; in the repository's
 * own jest, `serverless-api-constructs/package.json` maps to the repository's package.json, so the same
 * bin file of the sources runs.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const EXAMPLE = path.join(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'package.json'), 'utf8'));

test('`npm run client` is the package bin serverless-api-client, on the contract, into generated/', () => {
  expect(manifest.scripts.client).toBe('serverless-api-client --document openapi/bookshop.yaml --out generated');
});

test('the committed generated/ is what `npm run client` writes from the contract', () => {
  const libraryManifest = require.resolve('serverless-api-constructs/package.json');
  const bin = path.join(path.dirname(libraryManifest), JSON.parse(fs.readFileSync(libraryManifest, 'utf8')).bin['serverless-api-client']);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-first-client-'));
  try {
    const args = manifest.scripts.client.split(' ').slice(1).map((a: string) => (a === 'generated' ? out : a));
    execFileSync(process.execPath, [bin, ...args], { cwd: EXAMPLE, stdio: 'pipe' });
    const committed = path.join(EXAMPLE, 'generated');
    const names = fs.readdirSync(committed).sort();
    expect(fs.readdirSync(out).sort()).toEqual(names);
    for (const name of names) {
      expect({ name, text: fs.readFileSync(path.join(out, name), 'utf8') }).toEqual({ name, text: fs.readFileSync(path.join(committed, name), 'utf8') });
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
