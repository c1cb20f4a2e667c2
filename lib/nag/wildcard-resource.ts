import { Stack, Token, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's `AwsSolutions-IAM5[Resource::<arn>]` for exactly one resource ARN on the
 * construct holding the policy statement (a role's DefaultPolicy), with the finding id cdk-nag
 * computes: the resolved ARN flattened the way cdk-nag flattens it (`{Ref: X}` → `<X>`,
 * `{Fn::GetAtt: [X, Arn]}` → `<X.Arn>`, joins concatenated). Any other wildcard on that policy
 * remains a finding.
 *
 * Skipped (the finding stays, for the owner to judge) when the ARN cannot be resolved in the
 * policy's stack at this point, e.g. a reference to another stack.
 *
 * @internal
 */
export function acknowledgeWildcardResource(policy: IConstruct, arn: string, reason: string): void {
  let flat: string;
  try {
    flat = flatten(Stack.of(policy).resolve(arn));
  } catch {
    return;
  }
  if (!flat.includes('*') || Token.isUnresolved(flat)) {
    return;
  }
  Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
}

/** cdk-nag's flattenCfnReference. */
function flatten(node: unknown): string {
  if (node === undefined) { return ''; }
  if (typeof node === 'string') { return node.replace(/\$\{/g, '<').replace(/\}/g, '>'); }
  const o = node as Record<string, any>;
  if (o['Fn::Join']) {
    const [delimiter, items] = o['Fn::Join'];
    return (items as unknown[]).map(flatten).join(delimiter);
  }
  if (o['Fn::Sub']) { return flatten(o['Fn::Sub']); }
  if (o['Fn::GetAtt']) {
    const [resource, attribute] = o['Fn::GetAtt'];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (o['Fn::ImportValue']) { return flatten(o['Fn::ImportValue']); }
  if (o.Ref) { return `<${flatten(o.Ref)}>`; }
  return JSON.stringify(node);
}
