import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { propError } from '../core/errors';
import { shortHash } from '../core/names';
import type { IntegrationBindContext } from './integration-binding';
import type { HttpConnection, HttpIntegrationOptions } from './http-integration';

/** Options of the private HTTP integrations ({@link Integration.nlb}, {@link Integration.alb}). */
export interface PrivateHttpIntegrationOptions extends HttpIntegrationOptions {
  /**
   * The URL API Gateway requests: its host is the Host header (and the name TLS verifies for https),
   * the connection goes through the VPC link whatever it says. May name the route's path parameters
   * in braces.
   * @default - http://<load balancer DNS name>:<port><the route's path>
   */
  readonly url?: string;
  /**
   * The load balancer's listener port.
   * @default 80
   */
  readonly port?: number;
}

/** The default URL of a private route: the load balancer's name and the route's own path. @internal */
export function privateUrl(loadBalancer: elbv2.ILoadBalancerV2, options: PrivateHttpIntegrationOptions): (context: IntegrationBindContext) => string {
  return context => options.url ?? `http://${loadBalancer.loadBalancerDnsName}${options.port && options.port !== 80 ? `:${options.port}` : ''}`
    + context.parsed.path.replace(/\{([A-Za-z0-9_]+)\+\}/, '{$1}').replace(/^\/$/, '/');
}

function isInternetFacing(loadBalancer: elbv2.ILoadBalancerV2): boolean {
  const cfn = loadBalancer.node.defaultChild as elbv2.CfnLoadBalancer | undefined;
  return cfn instanceof elbv2.CfnLoadBalancer && cfn.scheme === 'internet-facing';
}

function checkPrivate(context: IntegrationBindContext, loadBalancer: elbv2.ILoadBalancerV2, factory: string): void {
  if (!loadBalancer || typeof loadBalancer.loadBalancerDnsName !== 'string') {
    throw propError(context.api, `route '${context.routeKey}' integration loadBalancer`, loadBalancer, 'is missing', `Pass the load balancer: Integration.${factory}(loadBalancer).`);
  }
  if (isInternetFacing(loadBalancer)) {
    throw propError(context.api, `route '${context.routeKey}' integration loadBalancer`, loadBalancer.node.path,
      'is internet-facing: the backend would be reachable around the API, without its authorization, keys and throttling',
      `Create it with internetFacing: false (a VPC link reaches internal load balancers), or use Integration.http('https://...') for a public backend.`);
  }
}

/** One VPC link (V1) per NLB and API, shared by every route behind that NLB. @internal */
export function nlbConnection(nlb: elbv2.INetworkLoadBalancer): (context: IntegrationBindContext) => HttpConnection {
  return context => {
    checkPrivate(context, nlb, 'nlb');
    const id = `VpcLink${shortHash(nlb.node.path)}`;
    const link = (context.api.node.tryFindChild(id) as apigateway.VpcLink | undefined)
      ?? new apigateway.VpcLink(context.api, id, { targets: [nlb], description: `${context.api.node.path} to ${nlb.node.path}` });
    return { connectionType: 'VPC_LINK', connectionId: link.vpcLinkId };
  };
}

/**
 * One VPC link V2 per ALB and API (API Gateway REST reaches ALBs through V2 links, naming the load
 * balancer as integration target), with its own security group, which the ALB lets in on `port`.
 * @internal
 */
export function albConnection(alb: elbv2.IApplicationLoadBalancer, port: number): (context: IntegrationBindContext) => HttpConnection {
  return context => {
    checkPrivate(context, alb, 'alb');
    const vpc = alb.vpc;
    if (!vpc) {
      throw propError(context.api, `route '${context.routeKey}' integration loadBalancer`, alb.node.path, 'has no known VPC (an imported ALB without vpc)',
        'Import it with ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes({ ..., vpc }), or pass the VPC link yourself with Integration.vpcLink().');
    }
    const id = `VpcLinkV2${shortHash(alb.node.path)}`;
    let link = context.api.node.tryFindChild(id) as apigatewayv2.VpcLink | undefined;
    if (!link) {
      const scope = new Construct(context.api, `${id}Resources`);
      const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
        vpc,
        description: `VPC link of ${context.api.node.path} to ${alb.node.path}`,
        allowAllOutbound: false,
      });
      // The VPC's default subnets: private with egress, else isolated, else public.
      link = new apigatewayv2.VpcLink(context.api, id, { vpc, subnets: {}, securityGroups: [securityGroup] });
      securityGroup.connections.allowTo(alb, ec2.Port.tcp(port), 'API Gateway VPC link to the ALB');
    }
    return { connectionType: 'VPC_LINK', connectionId: link.vpcLinkId, integrationTarget: alb.loadBalancerArn };
  };
}

/** An existing VPC link (V1, to an NLB). @internal */
export function vpcLinkConnection(vpcLink: apigateway.IVpcLink): (context: IntegrationBindContext) => HttpConnection {
  return context => {
    if (!vpcLink || typeof vpcLink.vpcLinkId !== 'string') {
      throw propError(context.api, `route '${context.routeKey}' integration vpcLink`, vpcLink, 'is missing', 'Pass an apigateway.IVpcLink.');
    }
    if (vpcLink instanceof apigateway.VpcLink && vpcLink._targetDnsNames.length === 0) {
      throw propError(context.api, `route '${context.routeKey}' integration vpcLink`, vpcLink.node.path, 'has no target: it leads to no load balancer',
        'Give it targets: new apigateway.VpcLink(this, \'Link\', { targets: [nlb] }), or use Integration.nlb(nlb), which creates the link.');
    }
    return { connectionType: 'VPC_LINK', connectionId: vpcLink.vpcLinkId };
  };
}
