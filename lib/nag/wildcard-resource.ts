import { Stack, Token, Validations } from 'aws-cdk-lib';
// cdk-nag's own flattening (no exports map: the deep import is how nag-rules is reached too), not a
// copy of it: the acknowledged id then matches the finding cdk-nag computes in whatever 3.x is installed.
import { flattenCfnReference as flatten } from 'cdk-nag/lib/utils/flatten-cfn-reference';
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
