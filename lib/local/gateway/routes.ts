import type { AuthorizerScheme } from '../auth/lambda-authorizers';
import type { RestApiSpec } from '../assembly/stage-model';
import { validationRules, ValidationRules } from './request-validator';

/** How a route is authorized. */
export type RouteAuthorizationSpec =
  | { readonly kind: 'NONE' }
  | { readonly kind: 'AWS_IAM' }
  | { readonly kind: 'COGNITO_USER_POOLS'; readonly providerArns: string[]; readonly scopes: string[] }
  | { readonly kind: 'CUSTOM'; readonly scheme: AuthorizerScheme };

/** A route of the API, read from its body. */
export interface RouteSpec {
  /** 'GET', ..., or 'ANY'. */
  readonly method: string;
  /** The resource path, e.g. '/items/{id}'. */
  readonly path: string;
  readonly operation: Record<string, any>;
  /** `x-amazon-apigateway-integration`. */
  readonly integration: Record<string, any> | undefined;
  readonly authorization: RouteAuthorizationSpec;
  readonly apiKeyRequired: boolean;
  readonly validation?: ValidationRules;
}

const METHOD_KEYS: Record<string, string> = {
  'get': 'GET', 'put': 'PUT', 'post': 'POST', 'delete': 'DELETE', 'options': 'OPTIONS', 'head': 'HEAD', 'patch': 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};

/** Every route of an API's body (OpenAPI 3 or Swagger 2), with its authorization, key and validation. */
export function readRoutes(api: RestApiSpec): RouteSpec[] {
  const body = api.body;
  const schemes: Record<string, any> = { ...(body.securityDefinitions ?? {}), ...(body.components?.securitySchemes ?? {}) };
  const routes: RouteSpec[] = [];
  for (const [path, pathItem] of Object.entries<Record<string, any>>(body.paths ?? {})) {
    for (const [key, operation] of Object.entries<Record<string, any>>(pathItem ?? {})) {
      const method = METHOD_KEYS[key.toLowerCase()];
      if (!method || !operation || typeof operation !== 'object') { continue; }
      const security: Array<Record<string, string[]>> = operation.security ?? body.security ?? [];
      // API Gateway's import combines the requirement objects: the API key is written as its own
      // object next to the authorizer's ([{ cognito: [...] }, { api_key: [] }]), and both apply.
      const requirements = security.flatMap(requirement => Object.entries(requirement ?? {}));
      let authorization: RouteAuthorizationSpec = { kind: 'NONE' };
      let apiKeyRequired = false;
      for (const [name, scopes] of requirements) {
        const scheme = schemes[name];
        if (!scheme) { continue; }
        const authType = String(scheme['x-amazon-apigateway-authtype'] ?? '').toLowerCase();
        const authorizer = scheme['x-amazon-apigateway-authorizer'];
        if (!authType && scheme.type === 'apiKey' && String(scheme.name).toLowerCase() === 'x-api-key') {
          apiKeyRequired = true;
        } else if (authType === 'awssigv4') {
          authorization = { kind: 'AWS_IAM' };
        } else if (authType === 'cognito_user_pools' || authorizer?.type === 'cognito_user_pools') {
          authorization = { kind: 'COGNITO_USER_POOLS', providerArns: (authorizer?.providerARNs ?? []).map(String), scopes: (scopes ?? []).map(String) };
        } else if (authorizer && (authorizer.type === 'token' || authorizer.type === 'request')) {
          authorization = {
            kind: 'CUSTOM',
            scheme: {
              name,
              type: authorizer.type,
              functionArn: functionArnOf(String(authorizer.authorizerUri ?? '')),
              identitySource: String(authorizer.identitySource ?? (authorizer.type === 'token' ? `method.request.header.${scheme.name ?? 'Authorization'}` : '')),
              validationExpression: authorizer.identityValidationExpression,
              ttlSeconds: Number(authorizer.authorizerResultTtlInSeconds ?? 300),
            },
          };
        }
      }
      const explicit = operation['x-amazon-apigateway-auth']?.type;
      if (typeof explicit === 'string' && explicit.toUpperCase() === 'AWS_IAM') { authorization = { kind: 'AWS_IAM' }; }
      if (operation['x-amazon-apigateway-api-key-required'] === true) { apiKeyRequired = true; }
      routes.push({
        method,
        path,
        operation,
        integration: operation['x-amazon-apigateway-integration'],
        authorization,
        apiKeyRequired,
        validation: validationRules(body, pathItem, operation),
      });
    }
  }
  return routes;
}

/**
 * The function ARN of a Lambda integration URI:
 * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`.
 */
export function functionArnOf(uri: string): string {
  const m = /:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri);
  return m ? m[1] : uri;
}
