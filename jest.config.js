// jest-light-runner runs each test file in a worker thread with Node's own module loader: aws-cdk-lib,
// the library and everything else is loaded (and JIT-compiled) once per worker, not once per test file
// as in jest's default runner, which gives every file its own module registry. Test files therefore
// share modules: code that reads its environment at load (Lambda handlers) is loaded with
// test/support/cold-start.ts. TypeScript is transpiled only (tsx, esbuild): `npm run typecheck` checks
// the whole project once.
module.exports = {
  testMatch: ['**/test/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/cdk.out/', '<rootDir>/examples/[^/]+/(cdk.out|node_modules)/'],
  // Bundles the library's own handlers (dist/handlers) that CrudResource deploys; fast, rewrites only changes.
  globalSetup: '<rootDir>/scripts/bundle-handlers.mjs',
  runner: '<rootDir>/test/support/runner.mjs',
  // The slowest files first also on a fresh clone (see the file).
  testSequencer: '<rootDir>/test/support/sequencer.cjs',
  // TypeScript, and the package names examples/* import (see the file).
  setupFiles: ['<rootDir>/test/support/register.mjs'],
  // Test timeouts and expect.assertions(), which jest-light-runner does not enforce itself.
  setupFilesAfterEnv: ['<rootDir>/test/support/guards.mjs'],
  // One worker per core. Jest's default (cores - 1) is ONE worker on CI's 2 cores.
  maxWorkers: '100%',
};
