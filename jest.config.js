// Tests are transpiled only (no type checking per file): `npm run typecheck` checks the whole project once.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/test/**/*.test.ts'],
  testTimeout: 60000,
  // examples/* import the library by its package name, as consumers do; in this repository that name is
  // its sources. aws-cdk-lib, constructs and cdk-nag always come from the root node_modules, also when
  // `npm run examples` has installed an example's own copies, so one copy of each is ever loaded.
  moduleNameMapper: {
    '^serverless-api-constructs$': '<rootDir>/lib/index.ts',
    '^serverless-api-constructs/testing$': '<rootDir>/lib/testing/index.ts',
    '^serverless-api-constructs/local$': '<rootDir>/lib/local/index.ts',
    '^serverless-api-constructs/client$': '<rootDir>/lib/client/index.ts',
    '^serverless-api-constructs/runtime/websocket$': '<rootDir>/lib/runtime/websocket/index.ts',
    '^serverless-api-constructs/package.json$': '<rootDir>/package.json',
    '^(aws-cdk-lib|constructs|cdk-nag)(/.*)?$': '<rootDir>/node_modules/$1$2',
  },
  modulePathIgnorePatterns: ['<rootDir>/cdk.out/', '<rootDir>/examples/[^/]+/(cdk.out|node_modules)/'],
  // Bundles the library's own handlers (dist/handlers) that CrudResource deploys; fast, rewrites only changes.
  globalSetup: '<rootDir>/scripts/bundle-handlers.mjs',
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  // One worker per core. Jest's default (cores - 1) is ONE worker on CI's 2 cores, which runs every
  // file in band in one process: half the machine idle, and one heap that grows with every file.
  maxWorkers: '100%',
  // Each test file loads aws-cdk-lib into its own module registry; a worker whose heap stays above this
  // after a file is replaced, which bounds the suite's memory (2 workers + jest ≈ 1.2 GiB at most).
  workerIdleMemoryLimit: '500MB',
};
