// Tests are transpiled only (no type checking per file): `npm run typecheck` checks the whole project once.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/test/**/*.test.ts'],
  testTimeout: 60000,
  // Examples import the package by name, as consumers do (examples/<name>/).
  moduleNameMapper: {
    '^serverless-api-constructs$': '<rootDir>/lib/index.ts',
    '^serverless-api-constructs/local$': '<rootDir>/lib/local/index.ts',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
};
