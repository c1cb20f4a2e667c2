import * as fs from 'fs';
import * as path from 'path';
import { AssetHashType, BundlingOptions, DockerImage, ILocalBundling, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/**
 * Bundles a route handler's entry file IN-PROCESS with esbuild's JavaScript API (`buildSync`), with the
 * same esbuild settings `NodejsFunction` passes to its CLI (bundle, platform node, target of the runtime,
 * CJS, minified, source maps without sources content, AWS SDK v3 left to the runtime).
 *
 * Why not NodejsFunction's own bundling: it starts one `npx esbuild` process per function (~0.3 s of
 * npm start-up each against 3-8 ms of esbuild work), and without esbuild it falls back to Docker, which
 * fails offline with an error naming neither esbuild nor the fix. Here a missing esbuild is our error,
 * and the source map's `sources` are relative to the entry's package root, so the asset hash is the same
 * whatever folder the checkout lives in (esbuild writes them relative to the output file, which lives in
 * the cloud assembly, often a temporary directory).
 */

/** The part of esbuild's JavaScript API we call: `buildSync` with in-memory output. */
interface EsbuildApi {
  buildSync(options: Record<string, unknown>): { outputFiles?: Array<{ path: string; contents: Uint8Array }> };
  readonly version: string;
}

/** Settings of one entry's bundle; every field takes part in CDK's asset cache key. @internal */
export interface EntryBundleSpec {
  /** Absolute path of the entry file. */
  readonly entry: string;
  /** Directory the source map's `sources` are relative to: the entry's package root. */
  readonly projectRoot: string;
  /** esbuild target, e.g. `node24`. */
  readonly target: string;
  /** Modules left out of the bundle (provided by the runtime). */
  readonly externals: string[];
}

const LOCK_FILES = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'];

/**
 * The entry's package root: the nearest folder above the entry with a lock file, else with a
 * package.json, else the entry's own folder. (NodejsFunction looks for the lock file from the current
 * working directory instead; starting from the entry gives the same root when cdk runs from the project,
 * and the right one when it does not.)
 * @internal
 */
export function packageRoot(entry: string): string {
  const start = path.dirname(path.resolve(entry));
  for (const names of [LOCK_FILES, ['package.json']]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (names.some(name => fs.existsSync(path.join(dir, name)))) { return dir; }
      if (path.dirname(dir) === dir) { break; }
    }
  }
  return start;
}

let loaded: { api?: EsbuildApi; error?: string } | undefined;

/**
 * esbuild's JavaScript API, resolved from the entry's project first (a consumer's devDependency), then
 * from this library. Undefined with the reason when it cannot be loaded.
 * @internal
 */
export function loadEsbuild(projectRoot: string): { api?: EsbuildApi; error?: string } {
  if (loaded?.api) { return loaded; }
  try {
    const resolved = require.resolve('esbuild', { paths: [projectRoot, __dirname] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const api = require(resolved) as EsbuildApi;
    if (typeof api?.buildSync !== 'function') {
      return { error: `the module at ${resolved} has no buildSync()` };
    }
    loaded = { api };
  } catch (e) {
    loaded = { error: String((e as Error)?.message ?? e).split('\n')[0] };
  }
  return loaded;
}

/** Forgets the loaded esbuild (tests). @internal */
export function _resetEsbuild(): void {
  loaded = undefined;
}

/**
 * The error for a missing esbuild: the route (or authorizer) whose entry needs it, and the fix.
 * @internal
 */
export function esbuildMissing(scope: IConstruct, subject: string, entry: string, reason: string): Error {
  return propError(scope, `${subject} handler entry`, entry,
    `needs esbuild to be bundled, and esbuild cannot be loaded (${reason})`,
    'Add it to your project: npm install -D esbuild (the library bundles in-process and never falls back to Docker). '
    + 'Or give prebuilt code with RouteHandler.fromCode(lambda.Code.fromAsset(dir)).');
}

/**
 * Local bundling for CDK's asset staging. Its one data field is the bundle's settings with the entry
 * relative to its package root: CDK keys its asset cache on the JSON of the bundling options, so two
 * entries never share a cached bundle, and when a stack's bundling is skipped (`cdk synth` of other
 * stacks, tests) CDK hashes that JSON into the asset hash, which then does not depend on where the
 * checkout lives (a Lambda Version's logical ID hashes the asset too). The absolute paths and the
 * construct stay in the closure, out of that JSON.
 */
function inProcessEsbuild(scope: IConstruct, subject: string, spec: EntryBundleSpec): ILocalBundling & { readonly settings: object } {
  return {
    settings: {
      entry: path.relative(spec.projectRoot, spec.entry).split(path.sep).join('/'),
      target: spec.target,
      externals: spec.externals,
    },
    tryBundle(outputDir: string): boolean {
      const esbuild = loadEsbuild(spec.projectRoot);
      if (!esbuild.api) {
        throw esbuildMissing(scope, subject, spec.entry, esbuild.error ?? 'unknown reason');
      }
      // The output path is virtual (write: false) and set in the package root, so `sources` in the map
      // read `src/handler.ts` or `node_modules/x/index.js` wherever the checkout and the assembly are.
      const result = esbuild.api.buildSync({
        entryPoints: [spec.entry],
        bundle: true,
        platform: 'node',
        target: spec.target,
        format: 'cjs',
        minify: true,
        sourcemap: true,
        sourcesContent: false,
        external: spec.externals,
        absWorkingDir: spec.projectRoot,
        outfile: path.join(spec.projectRoot, 'index.js'),
        write: false,
        logLevel: 'warning',
      });
      for (const file of result.outputFiles ?? []) {
        fs.writeFileSync(path.join(outputDir, path.basename(file.path)), file.contents);
      }
      return true;
    },
  };
}

/**
 * The code of a function bundled from `entry`: a directory asset hashed on the bundle's output, bundled
 * by esbuild in this process when the stack needs bundling. Throws the esbuild-missing error at
 * construction when the stack will be bundled and esbuild cannot be loaded.
 * @internal
 */
export function bundledEntryCode(scope: IConstruct, subject: string, entry: string, runtime: lambda.Runtime): lambda.Code {
  const absolute = path.resolve(entry);
  const projectRoot = packageRoot(absolute);
  const version = /^nodejs(\d+)/.exec(runtime.name)?.[1];
  const spec: EntryBundleSpec = {
    entry: absolute,
    projectRoot,
    target: version ? `node${version}` : 'node20',
    externals: ['@aws-sdk/*'],
  };
  if (Stack.of(scope).bundlingRequired) {
    const esbuild = loadEsbuild(projectRoot);
    if (!esbuild.api) {
      throw esbuildMissing(scope, subject, absolute, esbuild.error ?? 'unknown reason');
    }
  }
  const bundling: BundlingOptions = {
    // Never run: local bundling always succeeds or throws. CDK's BundlingOptions require an image.
    image: DockerImage.fromRegistry('in-process-esbuild'),
    local: inProcessEsbuild(scope, subject, spec),
  };
  return lambda.Code.fromAsset(projectRoot, { assetHashType: AssetHashType.OUTPUT, bundling });
}
