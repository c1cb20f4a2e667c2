// Tests are transpiled only (no type checking per file): `npm run typecheck` checks the whole project once.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/test/**/*.test.ts'],
  testTimeout: 60000,
  // Bundles the library's own handlers (dist/handlers) that CrudResource deploys; fast, rewrites only changes.
  globalSetup: '<rootDir>/scripts/bundle-handlers.mjs',
  // Examples import the package by name, as consumers do (examples/<name>/).
  moduleNameMapper: {
    '^serverless-api-constructs$': '<rootDir>/lib/index.ts',
    '^serverless-api-constructs/local$': '<rootDir>/lib/local/index.ts',
    '^serverless-api-constructs/client$': '<rootDir>/lib/client/index.ts',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
};
