import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { RouteAuthorization } from '../../lib';
import { inlineHandler } from '../util';
import { api, prodStack, vpcEndpoint } from './fixtures';

describe('endpoint types', () => {
  test('GIVEN no endpointType THEN the API is EDGE with no VPC endpoints', () => {
    const { stack } = prodStack();
    const edge = api(stack);

    expect(edge.vpcEndpoints).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['EDGE'], VpcEndpointIds: Match.absent() },
    });
  });

  test('GIVEN endpointType REGIONAL THEN the API is REGIONAL', () => {
    const { stack } = prodStack();
    api(stack, 'ItemsApi', apigateway.EndpointType.REGIONAL);

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
  });

  test('GIVEN a PRIVATE API with existing VPC endpoints THEN they are attached to the API', () => {
    const { stack } = prodStack();
    const endpoints = [vpcEndpoint(stack, 'A', 'vpce-0aaaaaaaaaaaaaaaa'), vpcEndpoint(stack, 'B', 'vpce-0bbbbbbbbbbbbbbbb')];
    const priv = api(stack, 'ItemsApi', apigateway.EndpointType.PRIVATE, { privateEndpoint: { vpcEndpoints: endpoints } });

    expect(priv.vpcEndpoints).toEqual(endpoints);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0aaaaaaaaaaaaaaaa', 'vpce-0bbbbbbbbbbbbbbbb'] },
    });
  });

  test('GIVEN a PRIVATE API THEN its resource policy denies invoke unless aws:SourceVpce is one of its endpoints', () => {
    const { stack } = prodStack();
    api(stack, 'ItemsApi', apigateway.EndpointType.PRIVATE, { privateEndpoint: { vpcEndpoints: [vpcEndpoint(stack)] } });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      Body: { 'x-amazon-apigateway-policy': {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*',
            Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } },
          }),
        ]),
      } },
    });
  });

  test('GIVEN a PRIVATE API with IAM and public routes THEN only the routes without IAM are allowed for everyone; IAM routes are left to IAM policies', () => {
    const { stack } = prodStack();
    const priv = api(stack, 'ItemsApi', apigateway.EndpointType.PRIVATE, { privateEndpoint: { vpcEndpoints: [vpcEndpoint(stack)] } }); // GET /items: IAM
    priv.addRoute({ method: 'GET', path: '/health', handler: inlineHandler(), authorization: RouteAuthorization.none() });

    const statements = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0]
      .Properties.Body['x-amazon-apigateway-policy'].Statement;
    expect(statements.filter((st: any) => st.Effect === 'Allow')).toEqual([{
      Sid: 'AllowRoutesWithoutIam', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/prod/GET/health',
    }]);
  });

  test('GIVEN a PRIVATE API with a vpc THEN an execute-api interface endpoint with private DNS is created and attached', () => {
    const { stack } = prodStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const priv = api(stack, 'ItemsApi', apigateway.EndpointType.PRIVATE, { privateEndpoint: { vpc } });

    const template = Template.fromStack(stack);
    const endpointId = stack.getLogicalId(priv.vpcEndpoints[0].node.defaultChild as ec2.CfnVPCEndpoint);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      ServiceName: 'com.amazonaws.eu-west-1.execute-api',
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: [{ Ref: endpointId }] },
      Body: { 'x-amazon-apigateway-policy': { Statement: Match.arrayWith([Match.objectLike({ Condition: { StringNotEquals: { 'aws:SourceVpce': [{ Ref: endpointId }] } } })]) } },
    });
  });
});
