import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { shortHash } from '../core/names';
import { DataAccess } from '../data/data-access';
import { acknowledgeXRayWriteAccess } from '../nag/xray-write-access';

/**
 * The execution roles of an API's functions: functions that need the same set of `DataAccess` share
 * one role (`FunctionRole`, or `FunctionRole<hash of the set>`, created under `scope`), so an API of a
 * thousand functions does not pay a thousand roles and no function holds a permission another one
 * needed. Used by `ServerlessApi` and `ServerlessWebSocketApi` alike.
 *
 * @internal
 */
export class SharedFunctionRoles {
  private readonly roles = new Map<string, iam.IRole>();

  constructor(private readonly scope: Construct, private readonly logGroup: logs.ILogGroup) {}

  /** The role of functions that need exactly `dataAccess` (and write their logs and traces). */
  public roleFor(dataAccess: readonly DataAccess[] = []): iam.IRole {
    const accesses = [...new Map(dataAccess.map(a => [a.key, a])).values()].sort((a, b) => a.key.localeCompare(b.key));
    const key = accesses.map(a => a.key).join('|');
    const existing = this.roles.get(key);
    if (existing) { return existing; }
    const id = key === '' ? 'FunctionRole' : `FunctionRole${shortHash(key)}`;
    const role = new iam.Role(this.scope, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: key === ''
        ? 'Shared by functions that only write logs and traces'
        : roleDescription(accesses.map(a => a.description)),
    });
    this.logGroup.grantWrite(role);
    for (const access of accesses) {
      access.grantTo(role);
    }
    acknowledgeXRayWriteAccess(role);
    this.roles.set(key, role);
    return role;
  }
}

/**
 * 'Shared by functions with: dynamodb:GetItem on <table>, ...' within IAM's 1,000 characters: whole
 * entries only, the rest counted ('..., and 3 more'), never an action name cut in half.
 */
function roleDescription(entries: string[]): string {
  const prefix = 'Shared by functions with: ';
  const max = 1000;
  const full = prefix + entries.join(', ');
  if (full.length <= max) { return full; }
  let listed = 0;
  let text = prefix;
  for (const entry of entries) {
    const next = `${text}${listed > 0 ? ', ' : ''}${entry}`;
    if (`${next}, and ${entries.length - listed - 1} more`.length > max) { break; }
    text = next;
    listed++;
  }
  return `${text}, and ${entries.length - listed} more`;
}
