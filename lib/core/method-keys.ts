/**
 * How API Gateway keys a REST stage's methods, shared by the construct side (method settings, usage
 * plan throttles, execute-api ARNs) and the local server (lib/local), which reads the same keys back
 * from the synthesized template. Imports nothing, so the local server stays free of aws-cdk-lib.
 */

/**
 * The method as API Gateway writes it in execute-api ARNs, method settings and usage-plan throttles:
 * `ANY` routes match the wildcard `*`. @internal
 */
export function wildcardMethod(method: string): string {
  const upper = String(method).toUpperCase();
  return upper === 'ANY' ? '*' : upper;
}

/** `/items/{id}` → `/~1items~1{id}` (JSON-pointer escaping, as AWS::ApiGateway::Stage MethodSettings expects). @internal */
export function resourcePathOf(path: string): string {
  return path === '/' ? '/' : '/' + path.split('/').join('~1');
}

/** The operation keys of an OpenAPI path item that API Gateway serves, in OpenAPI's spelling. @internal */
export const OPENAPI_METHODS: readonly string[] = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** The path-item key API Gateway writes and reads for an `ANY` method (OpenAPI has no ANY). @internal */
export const OPENAPI_ANY_METHOD = 'x-amazon-apigateway-any-method';
