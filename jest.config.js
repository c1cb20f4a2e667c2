// Tests are transpiled only (no type checking per file): `npm run typecheck` checks the whole project once.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/test/**/*.test.ts'],
  testTimeout: 60000,
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  // One worker per core. Jest's default (cores - 1) is ONE worker on CI's 2 cores, which runs every
  // file in band in one process: half the machine idle, and one heap that grows with every file.
  maxWorkers: '100%',
  // Each test file loads aws-cdk-lib into its own module registry; a worker whose heap stays above this
  // after a file is replaced, which bounds the suite's memory (2 workers + jest ≈ 1.2 GiB at most).
  workerIdleMemoryLimit: '500MB',
};
