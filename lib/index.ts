export * from './api/api-gateway-account';
export * from './api/route-function';
export * from './api/route-handler';
export * from './api/serverless-api';
export * from './data/crud-resource';
export * from './data/data-access';
export * from './data/serverless-table';
export * from './stages/environment-config';
