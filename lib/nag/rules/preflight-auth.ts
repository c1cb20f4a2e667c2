import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules'; // not cdk-nag's index: see serverless-api-checks.ts
import { openApiBody, openApiOperations, routeFinding } from '../open-api-body';

/**
 * `ServerlessApi-PreflightAuth`: every OPTIONS operation of a RestApi's OpenAPI body declares
 * `security: []` itself.
 *
 * Browsers send CORS preflights without credentials, so a preflight that requires authorization
 * answers 401/403 and the browser blocks the real request. The empty list must be on the operation:
 * an operation without `security` inherits the body's top-level `security`, so a default added there
 * later would silently put every preflight behind it.
 *
 * One finding per OPTIONS operation that fails, named `OPTIONS:/path`.
 *
 * @param node the CfnResource to check
 */
export function PreflightAuth(node: CfnResource): NagRuleResult {
  const body = openApiBody(node);
  if (!body) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const preflights = openApiOperations(body).filter(o => o.method === 'OPTIONS');
  if (preflights.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings = preflights
    .filter(({ operation }) => !(Array.isArray(operation.security) && operation.security.length === 0))
    .map(({ method, path }) => routeFinding(method, path));
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
