import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** The only actions a role acknowledged by {@link acknowledgeXRayWriteAccess} may hold on `*`. */
const XRAY_WRITE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

/**
 * Acknowledges cdk-nag's `AwsSolutions-IAM5[Resource::*]` on a function role whose only `*` comes
 * from active X-Ray tracing (`lambda.Tracing.ACTIVE` grants xray:PutTraceSegments and
 * xray:PutTelemetryRecords on `*`; X-Ray defines no resource type for them, so no narrower
 * resource exists).
 *
 * The acknowledgement stays true by construction: the role also gets a validation that fails synth
 * if any other action is ever granted on `*` (say `fn.addToRolePolicy(...)` with `resources: ['*']`),
 * instead of letting the acknowledgement hide it.
 *
 * @internal
 */
export function acknowledgeXRayWriteAccess(role: iam.Role): void {
  // On the role's DefaultPolicy, where the statements and the finding are (the role itself when
  // it has none yet).
  Validations.of(role.node.tryFindChild('DefaultPolicy') ?? role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Active X-Ray tracing grants xray:PutTraceSegments and xray:PutTelemetryRecords on "*": X-Ray defines no '
      + 'resource-level permissions for them. Every other action of this role is scoped to a resource '
      + '(checked at synth).',
  });
  role.node.addValidation({
    validate: () => {
      const stack = Stack.of(role);
      const documents: any[] = [stack.resolve((role.node.defaultChild as iam.CfnRole).policies) ?? []]
        .flat()
        .map((p: any) => p.policyDocument ?? p.PolicyDocument);
      for (const child of role.node.findAll()) {
        if (child instanceof iam.Policy) {
          documents.push(stack.resolve(child.document.toJSON()));
        }
      }
      const problems: string[] = [];
      for (const statement of documents.flatMap(d => [d?.Statement ?? []].flat())) {
        const resources = [statement.Resource ?? []].flat();
        const actions = [statement.Action ?? []].flat();
        if (statement.Effect === 'Allow' && resources.includes('*')) {
          problems.push(...actions.filter((a: unknown) => !XRAY_WRITE_ACTIONS.includes(a as string)));
        }
      }
      return problems.length === 0 ? [] : [
        `grants ${problems.join(', ')} on resource "*", but the role acknowledges AwsSolutions-IAM5[Resource::*] `
        + `for X-Ray (${XRAY_WRITE_ACTIONS.join(', ')}) only. Scope the statement to the resources it needs `
        + '(e.g. table.grantReadData(fn)), or give the function its own role.',
      ];
    },
  });
}
