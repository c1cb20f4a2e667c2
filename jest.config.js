// Tests are transpiled only (no type checking per file): `npm run typecheck` checks the whole project once.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/test/**/*.test.ts'],
  testTimeout: 60000,
  // Bundles the library's own handlers (dist/handlers) that CrudResource deploys; fast, rewrites only changes.
  globalSetup: '<rootDir>/scripts/bundle-handlers.mjs',
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
};
