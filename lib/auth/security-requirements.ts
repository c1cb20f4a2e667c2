import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { API_KEY_SCHEME } from '../traffic/api-key-security';

/** OpenAPI operation keys API Gateway imports as methods, and the method each stands for. */
const OPERATION_KEYS: Record<string, string> = {
  'get': 'GET', 'put': 'PUT', 'post': 'POST', 'delete': 'DELETE', 'options': 'OPTIONS',
  'head': 'HEAD', 'patch': 'PATCH', 'x-amazon-apigateway-any-method': 'ANY',
};

/**
 * Checks every operation's `security` against the forms API Gateway's OpenAPI import documents for
 * REST APIs, and returns one error per operation that strays from them:
 *
 * - a method has one authorizer (sigv4, a Cognito user pool or a Lambda authorizer), so the
 *   requirements name at most one scheme besides the API key;
 * - the API key is its own requirement object, `{ api_key: [] }` ("for each method, create a
 *   security requirement object to require an API key", as AWS SAM and the API Gateway exporter
 *   write it), never merged into the authorizer's object;
 * - every scheme named is declared under `components.securitySchemes`;
 * - scopes sit on Cognito user pool authorizers only, the one type that enforces them.
 *
 * The RestApi sets `FailOnWarnings`, so what the import cannot apply fails the deployment; these
 * checks fail it at synth, naming the route, instead.
 *
 * @internal
 */
export function securityRequirementErrors(scope: IConstruct, definition: Record<string, any>): string[] {
  const schemes: Record<string, any> = definition.components?.securitySchemes ?? {};
  const errors: string[] = [];
  for (const [path, item] of Object.entries<any>(definition.paths ?? {})) {
    for (const [key, operation] of Object.entries<any>(item ?? {})) {
      const method = OPERATION_KEYS[key];
      if (!method || !Array.isArray(operation?.security)) { continue; }
      const error = checkOperation(operation.security, schemes);
      if (error) {
        errors.push(propError(scope, `route '${method} ${path}' security`, operation.security, error.problem, error.fix).message);
      }
    }
  }
  return errors;
}

function checkOperation(security: Array<Record<string, string[]>>, schemes: Record<string, any>): { problem: string; fix: string } | undefined {
  for (const requirement of security) {
    const names = Object.keys(requirement ?? {});
    const others = names.filter(n => n !== API_KEY_SCHEME);
    if (names.includes(API_KEY_SCHEME) && others.length > 0) {
      return {
        problem: `puts ${API_KEY_SCHEME} in one requirement object with ${others.join(', ')}`,
        fix: `API Gateway documents the API key as its own requirement object: write [${others.map(o => `{ ${o}: [] }`).join(', ')}, { ${API_KEY_SCHEME}: [] }].`,
      };
    }
  }
  const authorizers = [...new Set(security.flatMap(r => Object.keys(r ?? {})).filter(n => n !== API_KEY_SCHEME))];
  if (authorizers.length > 1) {
    return {
      problem: `names the authorizers ${authorizers.slice(0, -1).join(', ')} and ${authorizers[authorizers.length - 1]}`,
      fix: `API Gateway gives a method one authorizer: keep one, plus { ${API_KEY_SCHEME}: [] } as its own requirement when the route needs a key.`,
    };
  }
  for (const requirement of security) {
    for (const [name, scopes] of Object.entries(requirement ?? {})) {
      if (!(name in schemes)) {
        return {
          problem: `names the scheme ${name}, which components.securitySchemes does not declare`,
          fix: 'Declare it, or use RouteAuthorization.lambda(authorizer) so the library declares it.',
        };
      }
      if (Array.isArray(scopes) && scopes.length > 0 && !isCognitoScheme(schemes[name])) {
        return {
          problem: `gives scopes to ${name}, which is not a Cognito user pool authorizer`,
          fix: 'API Gateway enforces scopes on Cognito user pool authorizers only: use RouteAuthorization.cognito(scopes).',
        };
      }
    }
  }
  return undefined;
}

function isCognitoScheme(scheme: any): boolean {
  const type = scheme?.['x-amazon-apigateway-authorizer']?.type ?? scheme?.['x-amazon-apigateway-authtype'];
  return String(type ?? '').toLowerCase() === 'cognito_user_pools';
}
