// Tests are transpiled only (no type checking per file): `npm run typecheck` checks the whole project once.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/test/**/*.test.ts'],
  testTimeout: 60000,
  // examples/* import the library by its package name, as consumers do; in this repository that name is its sources.
  moduleNameMapper: {
    '^serverless-api-constructs$': '<rootDir>/lib/index.ts',
    '^serverless-api-constructs/runtime/websocket$': '<rootDir>/lib/runtime/websocket/index.ts',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
};
