// API.md from the jsii assembly (.jsii) of this package, with jsii-docgen.
//
// jsii-docgen documents "the package in the current directory" by globbing every **/.jsii below it
// and keeping the last one found per name: in this checkout that includes the packed copies of this
// package that `npm run examples` installs in examples/*/node_modules, so a stale copy could win.
// It runs here in a scratch folder holding only this package's package.json and .jsii, with
// node_modules linked to the repository's (where the dependency assemblies, aws-cdk-lib and
// constructs, are found).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const output = path.resolve(root, process.argv[2] ?? 'API.md');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'docgen-'));
try {
  for (const file of ['package.json', '.jsii']) {
    fs.copyFileSync(path.join(root, file), path.join(scratch, file));
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
  const docgen = path.join(root, 'node_modules', 'jsii-docgen', 'bin', 'jsii-docgen');
  const run = spawnSync(process.execPath, [docgen, '--output', output], { cwd: scratch, stdio: 'inherit' });
  if (run.status !== 0) {
    process.exit(run.status ?? 1);
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
