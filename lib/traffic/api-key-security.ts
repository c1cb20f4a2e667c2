import { propError } from '../core/errors';
import type { ServerlessApi } from '../api/serverless-api';
import { ApiUsagePlan } from './api-usage-plan';

/** The OpenAPI security scheme name of API keys. @internal */
export const API_KEY_SCHEME = 'api_key';

/**
 * Marks an operation as requiring an API key: `{ api_key: [] }` as its own security requirement
 * object, next to the route's authorizer (`[{ CognitoUserPool: [...] }, { api_key: [] }]`). That is
 * the form API Gateway's OpenAPI import documents ("for each method, create a security requirement
 * object to require an API key") and the one AWS SAM and API Gateway's own export write; the import
 * applies the method's one authorizer and sets apiKeyRequired. Runs after every other operation
 * extension.
 * @internal
 */
export function requireApiKey(operation: Record<string, any>): void {
  const security: Array<Record<string, string[]>> = Array.isArray(operation.security) ? operation.security : [];
  if (security.some(requirement => API_KEY_SCHEME in (requirement ?? {}))) {
    return;
  }
  operation.security = [...security, { [API_KEY_SCHEME]: [] }];
}

/**
 * Declares the API key scheme and the key source (the `x-api-key` header) at API level.
 * @internal
 */
export function declareApiKeySource(definition: Record<string, any>): void {
  definition.components ??= {};
  definition.components.securitySchemes ??= {};
  definition.components.securitySchemes[API_KEY_SCHEME] = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  definition['x-amazon-apigateway-api-key-source'] = 'HEADER';
}

/**
 * Routes that require a key on an API without a usage plan would reject every request.
 * @internal
 */
export function validateApiKeyRoutes(api: ServerlessApi, keyRoutes: string[]): string[] {
  if (keyRoutes.length === 0 || ApiUsagePlan._plansOf(api).length > 0) {
    return [];
  }
  return [propError(api, 'apiKeyRequired', keyRoutes, 'is set on routes of an API that has no usage plan',
    'Add a plan with api.addUsagePlan() and keys with api.addApiKey(); API Gateway rejects every key that is in no plan of the stage.').message];
}
