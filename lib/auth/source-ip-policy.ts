import * as net from 'net';
import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/**
 * Which client addresses may call the API, enforced by the API's resource policy (before any
 * authorizer or function runs). IPv4 and IPv6 CIDR blocks or single addresses.
 */
export interface SourceIpPolicy {
  /**
   * Only these addresses may call the API.
   * @default - every address not in `deny`
   */
  readonly allow?: string[];
  /**
   * These addresses may not call the API.
   * @default - none
   */
  readonly deny?: string[];
}

/** API Gateway's limit on the resource policy's length. */
export const MAX_RESOURCE_POLICY_LENGTH = 8192;

/** Validates the CIDR lists; throws naming the prop. @internal */
export function validateSourceIpPolicy(scope: IConstruct, policy: SourceIpPolicy): void {
  const allow = policy.allow ?? [];
  const deny = policy.deny ?? [];
  if (allow.length === 0 && deny.length === 0) {
    throw propError(scope, 'sourceIpPolicy', policy, 'has neither allow nor deny addresses',
      'List CIDR blocks in allow (only they may call) or deny (they may not), or drop sourceIpPolicy.');
  }
  for (const [name, list] of [['allow', allow], ['deny', deny]] as const) {
    for (const cidr of list) {
      if (typeof cidr === 'string' && Token.isUnresolved(cidr)) { continue; }
      if (!isCidr(cidr)) {
        throw propError(scope, `sourceIpPolicy.${name}`, cidr, 'is not an IPv4 or IPv6 CIDR block',
          'Use e.g. \'203.0.113.0/24\', \'198.51.100.7\' or \'2001:db8::/32\'.');
      }
    }
  }
}

/**
 * Deny statements of the resource policy: everyone outside `allow`, everyone inside `deny`.
 * @internal
 */
export function sourceIpDenyStatements(policy: SourceIpPolicy): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const common = { effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['execute-api:Invoke'], resources: ['execute-api:/*'] };
  if (policy.allow?.length) {
    statements.push(new iam.PolicyStatement({ ...common, sid: 'DenyOutsideAllowedSourceIps', conditions: { NotIpAddress: { 'aws:SourceIp': policy.allow } } }));
  }
  if (policy.deny?.length) {
    statements.push(new iam.PolicyStatement({ ...common, sid: 'DenyDeniedSourceIps', conditions: { IpAddress: { 'aws:SourceIp': policy.deny } } }));
  }
  return statements;
}

function isCidr(value: unknown): boolean {
  if (typeof value !== 'string') { return false; }
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0) { return false; }
  const version = net.isIP(address);
  if (version === 0) { return false; }
  if (prefix === undefined) { return true; }
  if (!/^\d{1,3}$/.test(prefix)) { return false; }
  return Number(prefix) <= (version === 4 ? 32 : 128);
}
