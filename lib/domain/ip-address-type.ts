import * as net from 'net';
import { Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import type { SourceIpPolicy } from '../auth/source-ip-policy';
import { propError } from '../core/errors';

/**
 * The IP address type of a REST API's endpoint (CloudFormation `EndpointConfiguration.IpAddressType`;
 * the OpenAPI body cannot carry it).
 *
 * Dualstack by default, as AWS recommends, with two exceptions: PRIVATE APIs take dualstack only, and
 * an API whose `sourceIpPolicy` lists IPv4 ranges only stays IPv4 ("if you change the IP address type
 * to dualstack, confirm that any policies controlling access have been updated to account for IPv6
 * calls"): an IPv4 allow list would deny every caller that reaches a dualstack endpoint over IPv6
 * (browsers prefer IPv6 when they can), an IPv4 deny list would not stop the same caller over IPv6.
 * Choosing dualstack with an IPv4-only allow list fails; with an IPv4-only deny list it is allowed.
 *
 * @internal
 */
export function resolveApiIpAddressType(
  scope: IConstruct, endpointType: apigateway.EndpointType, given: apigateway.IpAddressType | undefined, sourceIpPolicy: SourceIpPolicy | undefined,
): apigateway.IpAddressType {
  if (endpointType === apigateway.EndpointType.PRIVATE) {
    if (given !== undefined && given !== apigateway.IpAddressType.DUAL_STACK) {
      throw propError(scope, 'ipAddressType', given, 'is not supported for PRIVATE APIs',
        'API Gateway gives private APIs the dualstack type only: drop ipAddressType.');
    }
    return apigateway.IpAddressType.DUAL_STACK;
  }
  const ipv4Only = (list: string[]): boolean => list.length > 0
    && !list.some(cidr => typeof cidr !== 'string' || Token.isUnresolved(cidr) || net.isIP(cidr.split('/')[0]) === 6);
  const allow = sourceIpPolicy?.allow ?? [];
  const ipv4OnlyAllowList = ipv4Only(allow);
  const ipv4OnlyPolicy = ipv4Only([...allow, ...(sourceIpPolicy?.deny ?? [])]);
  if (given === apigateway.IpAddressType.DUAL_STACK && ipv4OnlyAllowList) {
    throw propError(scope, 'ipAddressType', given, 'is dualstack while sourceIpPolicy.allow lists IPv4 ranges only',
      'Every IPv6 caller would be denied: add the IPv6 ranges to allow, or use apigateway.IpAddressType.IPV4.');
  }
  return given ?? (ipv4OnlyPolicy ? apigateway.IpAddressType.IPV4 : apigateway.IpAddressType.DUAL_STACK);
}
