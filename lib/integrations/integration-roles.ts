import { Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ServerlessApi } from '../api/serverless-api';
import { shortHash } from '../core/names';

/**
 * One permission an AWS service integration needs: a stable key (the action and the resource's
 * construct path) and the grant that gives it, through the resource's own `grant*` method.
 * @internal
 */
export interface IntegrationPermission {
  /** e.g. 'sqs:SendMessage TestStack/Queue': equal keys are the same permission. */
  readonly key: string;
  grant(grantee: iam.IGrantable): void;
}

interface RoleRecord {
  readonly role: iam.Role;
  readonly routes: string[];
}

const ROLES = new WeakMap<ServerlessApi, Map<string, RoleRecord>>();

/**
 * The role API Gateway assumes to call AWS services for a route: routes that need the same
 * permissions share one role (as route functions share theirs), and a role holds exactly the grants
 * of its routes, nothing else. Created under the API as `IntegrationRole<hash of the permissions>`,
 * so adding a route with another permission set adds a role and changes no existing one.
 * @internal
 */
export function integrationRole(api: ServerlessApi, routeKey: string, permissions: IntegrationPermission[]): iam.IRole {
  const unique = [...new Map(permissions.map(p => [p.key, p])).values()].sort((a, b) => a.key.localeCompare(b.key));
  const key = unique.map(p => p.key).join('|');
  let roles = ROLES.get(api);
  if (!roles) {
    roles = new Map();
    ROLES.set(api, roles);
  }
  let record = roles.get(key);
  if (!record) {
    const routes: string[] = [];
    const role = new iam.Role(api, `IntegrationRole${shortHash(key)}`, {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: Lazy.string({ produce: () => `API Gateway calls AWS services for: ${routes.join(', ')}`.slice(0, 1000) }),
    });
    for (const permission of unique) {
      permission.grant(role);
    }
    record = { role, routes };
    roles.set(key, record);
  }
  record.routes.push(routeKey);
  return record.role;
}
