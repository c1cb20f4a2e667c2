import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules'; // not cdk-nag's index: see serverless-api-checks.ts
import { effectiveSecurity, openApiBody, openApiOperations, routeFinding } from '../open-api-body';

/**
 * `ServerlessApi-RouteAuth`: every operation of a RestApi's OpenAPI body requires authorization.
 *
 * cdk-nag's APIG4 and COG4 only read `AWS::ApiGateway::Method` resources; a `ServerlessApi` has none
 * (its routes live in the body), so this rule reads the body instead. An operation is public when
 * the security requirements that apply to it (its own `security`, else the body's) are empty or
 * include the empty requirement `{}`, and it has no `x-amazon-apigateway-auth` of type AWS_IAM.
 * A requirement naming any scheme counts: sigv4, Cognito, a Lambda authorizer, or an API key.
 *
 * One finding per public route, named `METHOD:/path`: the finding id is
 * `ServerlessApi-RouteAuth[GET:/health]`, and an acknowledgement covers that route only. The library
 * acknowledges exactly the routes declared `RouteAuthorization.none()` (see `acknowledgePublicRoute`),
 * so a route that becomes public any other way (a bug, an escape hatch) is a new, unacknowledged
 * finding that fails synth.
 *
 * CORS preflights (OPTIONS with a `mock` integration: answered by API Gateway, no code, no data) are
 * left to `ServerlessApi-PreflightAuth`, which requires them to be public.
 *
 * @param node the CfnResource to check
 */
export function RouteAuth(node: CfnResource): NagRuleResult {
  const body = openApiBody(node);
  if (!body) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings = openApiOperations(body)
    .filter(({ method, operation }) => !(method === 'OPTIONS' && isMockIntegration(operation)))
    .filter(({ operation }) => isPublic(body, operation))
    .map(({ method, path }) => routeFinding(method, path));
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}

function isPublic(body: Record<string, any>, operation: Record<string, any>): boolean {
  if (String(operation['x-amazon-apigateway-auth']?.type ?? '').toUpperCase() === 'AWS_IAM') {
    return false;
  }
  const security = effectiveSecurity(body, operation);
  return security.length === 0 || security.some(requirement => Object.keys(requirement ?? {}).length === 0);
}

function isMockIntegration(operation: Record<string, any>): boolean {
  return String(operation['x-amazon-apigateway-integration']?.type ?? '').toLowerCase() === 'mock';
}
