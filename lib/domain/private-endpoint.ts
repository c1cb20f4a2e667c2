import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ApiResourcePolicy } from '../auth/resource-policy';
import { propError } from '../core/errors';

/**
 * How clients reach a PRIVATE API: through interface VPC endpoints for `execute-api`, given or
 * created in a VPC. Give `vpcEndpoints` or `vpc`, not both.
 */
export interface PrivateEndpointOptions {
  /**
   * Existing interface VPC endpoints for the `execute-api` service. The API accepts requests only
   * through these.
   * @default - none; one is created in `vpc`
   */
  readonly vpcEndpoints?: ec2.IInterfaceVpcEndpoint[];
  /**
   * A VPC to create an `execute-api` interface endpoint in, with private DNS on, so that clients in
   * the VPC call the API's usual `https://<api-id>.execute-api.<region>.amazonaws.com` URL.
   * @default - none; give `vpcEndpoints`
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Where the created endpoint's network interfaces go (only with `vpc`).
   * @default - the VPC's private subnets, one per availability zone
   */
  readonly subnets?: ec2.SubnetSelection;
}

/**
 * Validates the private endpoint options of an API and creates the endpoint when a VPC is given.
 * Returns the endpoints the API must be attached to (empty for EDGE and REGIONAL APIs).
 *
 * @internal
 */
export function resolvePrivateEndpoints(
  scope: Construct, endpointType: apigateway.EndpointType, options: PrivateEndpointOptions | undefined,
): ec2.IInterfaceVpcEndpoint[] {
  if (endpointType !== apigateway.EndpointType.PRIVATE) {
    if (options !== undefined) {
      throw propError(scope, 'privateEndpoint', describeOptions(options), `is set on a ${endpointType} API`,
        'VPC endpoints apply to private APIs only: set endpointType: apigateway.EndpointType.PRIVATE, or drop privateEndpoint.');
    }
    return [];
  }
  if (options === undefined || (options.vpcEndpoints === undefined && options.vpc === undefined)) {
    throw propError(scope, 'privateEndpoint', options === undefined ? undefined : describeOptions(options), 'is missing on a PRIVATE API',
      'A private API is reachable only through interface VPC endpoints: pass privateEndpoint: { vpcEndpoints: [endpoint] }, or privateEndpoint: { vpc } to create one.');
  }
  if (options.vpcEndpoints !== undefined && options.vpc !== undefined) {
    throw propError(scope, 'privateEndpoint', describeOptions(options), 'sets both vpcEndpoints and vpc',
      'Give the existing endpoints (vpcEndpoints) or a VPC to create one in (vpc), not both.');
  }
  if (options.vpcEndpoints !== undefined) {
    if (options.vpcEndpoints.length === 0) {
      throw propError(scope, 'privateEndpoint.vpcEndpoints', [], 'is empty',
        'Give at least one execute-api interface VPC endpoint, or privateEndpoint: { vpc } to create one.');
    }
    if (options.subnets !== undefined) {
      throw propError(scope, 'privateEndpoint.subnets', describeOptions(options), 'is set with existing vpcEndpoints',
        'Subnets place a created endpoint only: drop subnets, or give vpc instead of vpcEndpoints.');
    }
    return [...options.vpcEndpoints];
  }
  const endpoint = new ec2.InterfaceVpcEndpoint(scope, 'VpcEndpoint', {
    vpc: options.vpc!,
    service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
    privateDnsEnabled: true,
    subnets: options.subnets,
  });
  return [endpoint];
}

/**
 * The resource policy of a private API: invoke denied unless the request comes through one of the
 * API's VPC endpoints. No blanket Allow: `ApiSecurity` allows the routes without IAM one by one (a
 * resource policy must explicitly allow them), and leaves IAM routes to IAM policies, so that an
 * Allow for everyone cannot let principals of other accounts in through the endpoint with their own
 * IAM policies (same-account principals need no resource-policy Allow).
 *
 * @internal
 */
export function addPrivateEndpointPolicy(policy: ApiResourcePolicy, endpoints: ec2.IInterfaceVpcEndpoint[]): void {
  policy.addStatements(new iam.PolicyStatement({
    sid: 'DenyOutsideVpcEndpoints',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['execute-api:Invoke'],
    resources: ['execute-api:/*'],
    conditions: { StringNotEquals: { 'aws:SourceVpce': endpoints.map(e => e.vpcEndpointId) } },
  }));
}

function describeOptions(options: PrivateEndpointOptions): string {
  const parts: string[] = [];
  if (options.vpcEndpoints !== undefined) { parts.push(`vpcEndpoints: ${options.vpcEndpoints.length} endpoint(s)`); }
  if (options.vpc !== undefined) { parts.push('vpc'); }
  if (options.subnets !== undefined) { parts.push('subnets'); }
  return `{ ${parts.join(', ')} }`;
}
