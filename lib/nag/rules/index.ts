export { IntegrationCredentials } from './integration-credentials';
export { PreflightAuth } from './preflight-auth';
export { RouteAuth } from './route-auth';
export { ScopesOnCognito } from './scopes-on-cognito';
