// Bundles the library's own Lambda handlers (lib/runtime/<feature>/<name>.ts that export `handler`)
// into dist/handlers/<feature>/<name>/index.js (+ index.js.map), which the package ships and
// `libraryHandler('<feature>/<name>')` (lib/core/library-handler.ts) deploys with lambda.Code.fromAsset.
// A consumer app therefore needs neither esbuild nor Docker for them.
//
// Run by `npm run build`, as jest's globalSetup and before `cdk synth` (cdk.json), so a clean clone
// works without a separate step. Files are rewritten only when their bytes change (a bundle of
// unchanged sources keeps its mtime and its asset hash), and the whole run takes well under a second.
//
//   node scripts/bundle-handlers.mjs [--quiet]   bundle every handler
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNTIME = join(ROOT, 'lib', 'runtime');
/** Where the bundles go; lib/core/library-handler.ts reads them from here (shipped by package.json "files"). */
export const OUT = join(ROOT, 'dist', 'handlers');
/**
 * The Node.js version the bundles target: the major of DEFAULT_RUNTIME (lib/api/route-function.ts),
 * checked by test/core/library-handler.test.ts.
 */
export const NODE_TARGET = 'node24';

/** A file exporting `handler` (the Lambda convention) is a handler; helpers such as crud/config.ts are not. */
const EXPORTS_HANDLER = /^export\s+(?:const|let|var|async\s+function|function)\s+handler\b|^export\s*\{[^}]*\bas\s+handler\b/m;

/** `{ 'crud/create': '<root>/lib/runtime/crud/create.ts', ... }` */
export function findHandlers() {
  const handlers = {};
  for (const feature of readdirSync(RUNTIME, { withFileTypes: true })) {
    if (!feature.isDirectory()) { continue; }
    for (const file of readdirSync(join(RUNTIME, feature.name)).sort()) {
      if (!file.endsWith('.ts') || file.endsWith('.d.ts') || file.endsWith('.test.ts')) { continue; }
      const entry = join(RUNTIME, feature.name, file);
      if (EXPORTS_HANDLER.test(readFileSync(entry, 'utf8'))) {
        handlers[`${feature.name}/${file.slice(0, -3)}`] = entry;
      }
    }
  }
  return handlers;
}

/** Bundles every handler; returns the names of the bundles whose bytes changed. */
export async function bundleHandlers({ quiet = false } = {}) {
  const esbuild = await import('esbuild');
  const handlers = findHandlers();
  const changed = [];
  await Promise.all(Object.entries(handlers).map(async ([name, entry]) => {
    const outdir = join(OUT, ...name.split('/'));
    const result = await esbuild.build({
      entryPoints: [entry],
      outfile: join(outdir, 'index.js'),
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      target: NODE_TARGET,
      format: 'cjs',
      minify: true,
      // The AWS SDK v3 is part of the Node.js Lambda runtime.
      external: ['@aws-sdk/*'],
      sourcemap: true,
      sourcesContent: false,
      legalComments: 'none',
      logLevel: 'warning',
      write: false,
    });
    for (const file of result.outputFiles) {
      let contents = Buffer.from(file.contents);
      if (file.path.endsWith('.map')) {
        contents = Buffer.from(portableSourceMap(contents.toString('utf8'), dirname(file.path)));
      }
      if (writeIfChanged(file.path, contents)) {
        changed.push(name);
      }
    }
  }));
  // Bundles of handlers that no longer exist would be shipped: remove them.
  for (const stale of listBundles().filter(name => !(name in handlers))) {
    rmSync(join(OUT, ...stale.split('/')), { recursive: true, force: true });
    changed.push(stale);
  }
  if (!quiet) {
    const names = Object.keys(handlers);
    console.log(`bundle-handlers: ${names.length} handlers in ${relative(ROOT, OUT)} (${[...new Set(changed)].length} changed)`);
  }
  return [...new Set(changed)];
}

/**
 * esbuild writes `sources` relative to the map (e.g. '../../../../lib/runtime/crud/create.ts'), which
 * depends on where dist/ sits, not on the checkout path. Make it plainly the package-relative path,
 * so stack traces read 'serverless-api-constructs/lib/runtime/crud/create.ts' wherever it was built.
 */
function portableSourceMap(json, mapDir) {
  const map = JSON.parse(json);
  map.sources = map.sources.map(source => {
    const absolute = join(mapDir, source);
    const fromRoot = relative(ROOT, absolute).split(sep).join('/');
    if (fromRoot.startsWith('..')) {
      throw new Error(`bundle-handlers: source ${source} lies outside the package`);
    }
    return `serverless-api-constructs/${fromRoot}`;
  });
  map.sourceRoot = '';
  return JSON.stringify(map);
}

function writeIfChanged(file, contents) {
  if (existsSync(file) && readFileSync(file).equals(contents)) {
    return false;
  }
  mkdirSync(dirname(file), { recursive: true });
  // Rename over the old file: a concurrent reader sees the old or the new bundle, never half of one.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, file);
  return true;
}

/** `['crud/create', ...]` for every bundle in OUT. */
function listBundles() {
  if (!existsSync(OUT)) { return []; }
  const out = [];
  for (const feature of readdirSync(OUT, { withFileTypes: true }).filter(d => d.isDirectory())) {
    for (const handler of readdirSync(join(OUT, feature.name), { withFileTypes: true }).filter(d => d.isDirectory())) {
      out.push(`${feature.name}/${handler.name}`);
    }
  }
  return out;
}

/** jest globalSetup: the bundles exist and are current before any test synthesizes a CrudResource. */
export default async function globalSetup() {
  await bundleHandlers({ quiet: true });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundleHandlers({ quiet: process.argv.includes('--quiet') });
}
