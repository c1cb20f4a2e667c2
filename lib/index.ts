export * from './api/api-gateway-account';
export * from './api/route-function';
export * from './api/route-handler';
export * from './api/serverless-api';
export * from './auth/api-user-pool';
export * from './contracts';
export { CorsOptions, DEFAULT_CORS_HEADERS } from './auth/cors-options';
export * from './auth/lambda-authorizer';
export * from './auth/route-authorization';
export { MAX_RESOURCE_POLICY_LENGTH, SourceIpPolicy } from './auth/source-ip-policy';
export * from './data/crud-resource';
export * from './data/data-access';
export * from './data/serverless-table';
export * from './domain/api-domain';
export * from './integrations';
export type { PrivateEndpointOptions } from './domain/private-endpoint';
export { GatewayResponseOptions } from './operations/gateway-responses';
export { RouteCacheOptions, StageCacheOptions } from './operations/response-cache';
export { StageCanaryOptions } from './operations/stage-canary';
export { GradualDeploymentOptions } from './operations/gradual-deployment';
export { AlarmProfile, AlarmThresholds } from './monitoring/alarm-thresholds';
export { ApiMonitoring, ApiMonitoringOptions, ApiMonitoringProps } from './monitoring/api-monitoring';
export * from './nag/audit';
export { ServerlessApiChecks } from './nag/serverless-api-checks';
export * from './stages/environment-config';
export * from './traffic/api-consumer-key';
export * from './traffic/api-usage-plan';
export * from './traffic/api-web-acl';
export * from './traffic/throttle-limits';
export {
  ConnectionTrackingOptions, ServerlessWebSocketApi, ServerlessWebSocketApiProps, WebSocketApiKeySource, WebSocketApiRoute,
  WebSocketRouteProps, WebSocketUsagePlanOptions,
} from './websocket/serverless-websocket-api';
export * from './websocket/websocket-authorization';
export * from './websocket/websocket-domain';
export {
  WebSocketDynamoDbOptions, WebSocketEventBridgeOptions, WebSocketMockOptions, WebSocketSqsOptions, WebSocketStepFunctionsOptions, WebSocketTarget,
} from './websocket/websocket-target';
