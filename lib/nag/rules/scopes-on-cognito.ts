import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules'; // not cdk-nag's index: see serverless-api-checks.ts
import { effectiveSecurity, openApiBody, openApiOperations, routeFinding } from '../open-api-body';

/**
 * `ServerlessApi-ScopesOnCognito`: OAuth scopes in a RestApi's OpenAPI body sit only on security
 * requirements of Cognito user pool schemes.
 *
 * API Gateway enforces authorization scopes for COGNITO_USER_POOLS authorizers only. Scopes on a
 * sigv4, Lambda authorizer or API key requirement (or on a scheme the body does not declare) are
 * ignored: the route reads as scoped and admits any caller its authorizer admits.
 *
 * (Whether the scopes a route declares with `RouteAuthorization.cognito(scopes)` reach the body is a
 * property of the library's rendering, tested in test/auth; a rule sees the body only.)
 *
 * One finding per operation that fails, named `METHOD:/path`.
 *
 * @param node the CfnResource to check
 */
export function ScopesOnCognito(node: CfnResource): NagRuleResult {
  const body = openApiBody(node);
  if (!body) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const schemes: Record<string, any> = body.components?.securitySchemes ?? {};
  const findings = openApiOperations(body)
    .filter(({ operation }) => effectiveSecurity(body, operation).some(requirement =>
      Object.entries(requirement ?? {}).some(([scheme, scopes]) =>
        Array.isArray(scopes) && scopes.length > 0 && !isCognitoScheme(schemes[scheme]))))
    .map(({ method, path }) => routeFinding(method, path));
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}

function isCognitoScheme(scheme: any): boolean {
  const type = scheme?.['x-amazon-apigateway-authorizer']?.type ?? scheme?.['x-amazon-apigateway-authtype'];
  return String(type ?? '').toLowerCase() === 'cognito_user_pools';
}
