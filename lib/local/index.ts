// The local server: `serverless-api-constructs/local`. Kept out of lib/index.ts (the construct
// library's jsii surface): it is Node.js tooling for tests and development, not constructs.
import { assertEngines } from './engines';

assertEngines();

export { LocalApi, LocalApiOptions, LocalThrottle } from './local-api';
export type { LocalInfo, LocalApiEntry, LocalRouteInfo, LocalPrincipalInfo, LocalWebSocketApiEntry } from './server/local-info';
export type { QueueDelivery, RecordedMessage } from './services/aws-stand-ins';
export type { TokenPair, TokenRequest } from './auth/local-user-pools';
export type { InvokeOutcome, FunctionError } from './lambda/function-pool';
export { listStages } from './assembly/cloud-assembly';
export { LOCAL_SERVER_ENGINES } from './engines';
