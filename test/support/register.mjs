// Loaded once per jest-light-runner worker (jest.config.js `setupFiles`), before any test file.
//
// 1. TypeScript: tsx's loaders (esbuild, transpile-only; `npm run typecheck` checks types once for the
//    whole project), for the test files jest-light-runner imports and everything they require.
// 2. Each test file starts with the environment variables the worker started with, as under jest's
//    default runner (which gives each file its own copy of process.env): a file that sets TABLE_NAME or
//    a body limit for its handlers cannot change what the next file in the same worker sees.
// 3. The module names jest's default runner mapped with `moduleNameMapper`: examples/* import the
//    library by its package name as consumers do (here: its sources), and aws-cdk-lib, constructs and
//    cdk-nag always come from the root node_modules, also when `npm run examples` has installed an
//    example's own copies, so one copy of each is ever loaded.
import Module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register as registerCjs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

registerCjs();
registerEsm();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const examples = path.join(root, 'examples') + path.sep;
/** A module at the repository root: packages resolved on its behalf come from the root node_modules. */
const rootModule = new Module(path.join(root, 'package.json'));
rootModule.filename = path.join(root, 'package.json');
rootModule.paths = Module._nodeModulePaths(root);

/** Package entry point → source file (the package.json `exports` of this repository, in source form). */
const OWN_ENTRY_POINTS = {
  'serverless-api-constructs': 'lib/index.ts',
  'serverless-api-constructs/testing': 'lib/testing/index.ts',
  'serverless-api-constructs/local': 'lib/local/index.ts',
  'serverless-api-constructs/client': 'lib/client/index.ts',
  'serverless-api-constructs/runtime/websocket': 'lib/runtime/websocket/index.ts',
  'serverless-api-constructs/package.json': 'package.json',
};
const SHARED_PACKAGES = /^(aws-cdk-lib|constructs|cdk-nag)(\/.*)?$/;

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const own = OWN_ENTRY_POINTS[request];
  if (own) return path.join(root, own);
  if (SHARED_PACKAGES.test(request) && parent?.filename?.startsWith(examples)) {
    return resolveFilename.call(this, request, rootModule, ...rest);
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

const BASELINE_ENV = { ...process.env };
const TEST_FILE = /\.test\.ts$/;
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename, ...rest) {
  if (TEST_FILE.test(filename)) {
    for (const name of Object.keys(process.env)) {
      if (!(name in BASELINE_ENV)) delete process.env[name];
    }
    Object.assign(process.env, BASELINE_ENV);
  }
  return compile.call(this, content, filename, ...rest);
};
