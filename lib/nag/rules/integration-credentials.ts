import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { openApiBody, openApiOperations, routeFinding } from '../open-api-body';

/**
 * `ServerlessApi-IntegrationCredentials`: every AWS service integration of a RestApi's OpenAPI body
 * (`type: aws`) names, as `credentials`, a role of the same stack whose permissions are scoped:
 * no managed policies, and every Allow statement names specific actions (no `*`, no `service:*`)
 * on specific resources (no `*`).
 *
 * API Gateway assumes that role for every request of the route, unauthenticated ones included when
 * the route is public: a role that can do more than the route needs turns the route into a way to
 * do it. The library's integration roles are built from the resources' `grant*` methods and pass;
 * the rule catches roles widened by an escape hatch, and roles it cannot see (an ARN of another
 * stack or account), which need an acknowledgement saying why they are scoped.
 *
 * Lambda integrations (their URI invokes a function, allowed by the function's resource policy) and
 * integrations that pass the caller's own credentials (`arn:aws:iam::*:user/*`) are not checked.
 *
 * One finding per route, named `METHOD:/path`.
 *
 * @param node the CfnResource to check
 */
export function IntegrationCredentials(node: CfnResource): NagRuleResult {
  const body = openApiBody(node);
  if (!body) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const checked = openApiOperations(body).filter(({ operation }) => {
    const integration = operation['x-amazon-apigateway-integration'];
    return String(integration?.type ?? '').toLowerCase() === 'aws' && !isLambdaUri(integration.uri);
  });
  if (checked.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const roles = new RoleIndex(Stack.of(node));
  const findings = checked
    .filter(({ operation }) => !roles.isScoped(operation['x-amazon-apigateway-integration'].credentials))
    .map(({ method, path }) => routeFinding(method, path));
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}

function isLambdaUri(uri: unknown): boolean {
  return JSON.stringify(uri ?? '').includes(':lambda:path/');
}

/** The roles of a stack and their policy statements, resolved as they will be in the template. */
class RoleIndex {
  private readonly resources: Record<string, { Type: string; Properties?: Record<string, any> }> = {};

  constructor(private readonly stack: Stack) {
    for (const child of stack.node.findAll()) {
      if (CfnResource.isCfnResource(child) && Stack.of(child) === stack) {
        const rendered = stack.resolve(child._toCloudFormation()) as { Resources?: Record<string, any> };
        Object.assign(this.resources, rendered.Resources ?? {});
      }
    }
  }

  /** Whether `credentials` is a role of this stack with only scoped permissions. */
  public isScoped(credentials: unknown): boolean {
    if (credentials === 'arn:aws:iam::*:user/*') {
      return true; // the caller's own credentials
    }
    const resolved = this.stack.resolve(credentials);
    const logicalId: unknown = resolved?.['Fn::GetAtt']?.[0];
    if (typeof logicalId !== 'string') {
      return false; // not a role of this stack
    }
    const role = this.resources[logicalId];
    if (!role || role.Type !== 'AWS::IAM::Role') {
      return false; // missing, or a role the rule cannot see
    }
    if ((role.Properties?.ManagedPolicyArns ?? []).length > 0) {
      return false;
    }
    const documents = [
      ...(role.Properties?.Policies ?? []).map((p: any) => p.PolicyDocument),
      ...Object.values(this.resources)
        .filter(r => (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::RolePolicy')
          && (JSON.stringify(r.Properties?.Roles ?? []).includes(`"${logicalId}"`) || JSON.stringify(r.Properties?.RoleName ?? '').includes(`"${logicalId}"`)))
        .map(r => r.Properties?.PolicyDocument),
    ];
    return documents.every(document => [document?.Statement ?? []].flat().every(isScopedStatement));
  }
}

function isScopedStatement(statement: any): boolean {
  if (statement?.Effect !== 'Allow') {
    return true;
  }
  if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
    return false;
  }
  const actions = [statement.Action ?? []].flat();
  const resources = [statement.Resource ?? []].flat();
  return actions.every((a: unknown) => typeof a === 'string' && a !== '*' && !/^[^:]+:\*$/.test(a))
    && resources.length > 0 && resources.every((r: unknown) => r !== '*');
}
