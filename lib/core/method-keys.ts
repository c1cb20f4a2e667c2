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
