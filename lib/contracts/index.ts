export * from './route-contract';
export * from './route-schema';
export { ServeOpenApiOptions } from './openapi-route';
export { OpenApiDocument, OpenApiImportOptions } from './openapi-import';
