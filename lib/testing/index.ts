// serverless-api-constructs/testing: helpers for consumers' snapshot tests (and this repository's own).
export * from './asset-hash-serializer';
export * from './stage-templates';
export * from './test-app';
