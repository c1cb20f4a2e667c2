import { App, Stack, Stage } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ServerlessApi } from '../../lib';
import { inlineHandler, testApp } from '../util';

export const ACCOUNT = '123456789012';
export const ZONE_ID = 'Z0123456789EXAMPLE';
export const EDGE_CERT_ARN = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`;
export const EU_CERT_ARN = `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`;

/** A 'Prod' stage of an app with an 'Api' stack in `region`. */
export function prodStack(region = 'eu-west-1', app: App = testApp()): { app: App; stage: Stage; stack: Stack } {
  const stage = new Stage(app, 'Prod');
  const stack = new Stack(stage, 'Api', { env: { account: ACCOUNT, region } });
  return { app, stage, stack };
}

/** A ServerlessApi with one route. */
export function api(stack: Stack, id = 'ItemsApi', endpointType?: apigateway.EndpointType, extra: Partial<ConstructorParameters<typeof ServerlessApi>[2]> = {}): ServerlessApi {
  return new ServerlessApi(stack, id, {
    stageName: 'prod',
    endpointType,
    routes: [{ method: 'GET', path: '/items', handler: inlineHandler() }],
    ...extra,
  });
}

/** The example.com zone, imported by attributes. */
export function zone(stack: Stack, id = 'Zone'): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, id, { hostedZoneId: ZONE_ID, zoneName: 'example.com' });
}

export function importedCertificate(stack: Stack, arn: string, id = 'Cert'): acm.ICertificate {
  return acm.Certificate.fromCertificateArn(stack, id, arn);
}

export function vpcEndpoint(stack: Stack, id = 'Endpoint', endpointId = 'vpce-0123456789abcdef0'): ec2.IInterfaceVpcEndpoint {
  return ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, id, { vpcEndpointId: endpointId, port: 443 });
}
