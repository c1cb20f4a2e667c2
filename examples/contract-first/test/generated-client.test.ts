/**
 * examples/contract-first commits the client `npm run client` generates from its contract (so the
 * example reads without a build step). This keeps that copy honest: the committed files are exactly
 * what the generator writes today, so a change of the generator or the contract that is not
 * regenerated fails here.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'contract-first');

test('the committed generated/ of examples/contract-first is what `npm run client` writes from its contract', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'generated-example-'));
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'client.mjs'), '--document', path.join(EXAMPLE, 'openapi', 'bookshop.yaml'), '--out', out], { stdio: 'pipe' });
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
