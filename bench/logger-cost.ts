/**
 * What Powertools for AWS Lambda's Logger would cost a CRUD handler, against the library's own logger
 * (lib/runtime/logger.ts): bundle size and cold-start require time. The numbers in logger.ts and the
 * README come from this script.
 *
 *   npm run bench:logger                        # installs the pinned Powertools version in a temp dir
 *   LOGGER_BENCH_RUNS=41 npm run bench:logger
 *
 * Bundles are built like the library's functions (esbuild, minified, CJS, node20, `@aws-sdk/*`
 * external). Require time is measured in fresh Node processes with the AWS SDK already loaded (as it
 * is in a handler), so only what the logger itself adds is timed: the median of the runs is printed.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { buildSync } from 'esbuild';

const POWERTOOLS = '@aws-lambda-powertools/logger@2.36.0';
const RUNS = Number(process.env.LOGGER_BENCH_RUNS ?? 21);
const ROOT = path.join(__dirname, '..');

function bundle(dir: string, name: string, source: string): string {
  const entry = path.join(dir, `${name}.ts`);
  const outfile = path.join(dir, `${name}.js`);
  fs.writeFileSync(entry, source);
  buildSync({
    entryPoints: [entry], outfile, bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['@aws-sdk/*'], nodePaths: [path.join(dir, 'node_modules'), path.join(ROOT, 'node_modules')], logLevel: 'error',
  });
  return outfile;
}

/** Median ms to require `file` (and call its `make()` if any), SDK preloaded, over RUNS fresh processes. */
function requireMs(dir: string, file: string): number {
  const probe = path.join(dir, 'probe.js');
  fs.writeFileSync(probe, [
    "require('@aws-sdk/client-dynamodb'); require('@aws-sdk/lib-dynamodb');",
    'const t = process.hrtime.bigint();',
    'const m = require(process.argv[2]); if (m.make) m.make();',
    'process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));',
  ].join('\n'));
  const env = { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), NODE_NO_WARNINGS: '1', TABLE_NAME: 'bench' };
  const samples = Array.from({ length: RUNS }, () => Number(execFileSync(process.execPath, [probe, file], { env }).toString()));
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logger-cost-'));
  try {
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, '-E', POWERTOOLS], { stdio: 'ignore' });
    const runtime = path.join(ROOT, 'lib', 'runtime');
    const files = {
      'own logger': bundle(dir, 'own', `import { createLogger } from '${runtime}/logger';\nexport const make = () => createLogger({ requestId: 'x' });\n`),
      'Powertools Logger': bundle(dir, 'powertools', "import { Logger } from '@aws-lambda-powertools/logger';\nexport const make = () => new Logger({ serviceName: 'crud' });\n"),
      'GET handler': bundle(dir, 'get', `export { handler } from '${runtime}/crud/get';\n`),
      'GET handler + Powertools': bundle(dir, 'getpt', `export { handler } from '${runtime}/crud/get';\nimport { Logger } from '@aws-lambda-powertools/logger';\nexport const make = () => new Logger({ serviceName: 'crud' });\n`),
    };
    console.log(`${POWERTOOLS}, esbuild minified CJS node20 @aws-sdk/* external, ${RUNS} runs, Node ${process.version}`);
    console.log('bundle                      bytes   gzip   require+construct (median ms, SDK preloaded)');
    for (const [name, file] of Object.entries(files)) {
      const bytes = fs.statSync(file).size;
      const gzip = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
      const ms = name.startsWith('GET') ? '' : requireMs(dir, file).toFixed(2);
      console.log(`${name.padEnd(26)} ${String(bytes).padStart(6)} ${String(gzip).padStart(6)}   ${ms}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
