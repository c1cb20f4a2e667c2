// Removes the build output (dist/: compiled library and handler bundles; .jsii: the jsii assembly),
// so a build never ships a file whose source was deleted.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const path of ['dist', '.jsii', 'tsconfig.jsii.tsbuildinfo']) {
  rmSync(join(root, path), { recursive: true, force: true });
}
