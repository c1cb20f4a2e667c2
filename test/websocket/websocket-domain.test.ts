import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { template, webSocketApi } from './util';
import { ApiDomain, ServerlessApi, ServerlessWebSocketApi, WebSocketAuthorization, WebSocketDomain } from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';

const zoneOf = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' });

describe('WebSocketDomain', () => {
  test('GIVEN a zone THEN a REGIONAL TLS 1.2 domain with a DNS-validated certificate in the stack, alias records and the stage mapped at the root', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const domain = api.addDomain({ domainName: 'ws.example.com', hostedZone: zoneOf(stack) });
    const t = template(stack);
    t.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'ws.example.com', ValidationMethod: 'DNS', DomainValidationOptions: [{ DomainName: 'ws.example.com', HostedZoneId: 'Z0123456789EXAMPLE' }],
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'ws.example.com',
      DomainNameConfigurations: [{ CertificateArn: { Ref: Match.stringLikeRegexp('ChatDomainCertificate') }, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: { Ref: stack.getLogicalId(api.webSocketApi.node.defaultChild as any) },
      DomainName: { Ref: Match.stringLikeRegexp('ChatDomain') },
      Stage: 'dev',
      ApiMappingKey: Match.absent(),
    });
    for (const type of ['A', 'AAAA']) {
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'ws.example.com.', Type: type, HostedZoneId: 'Z0123456789EXAMPLE',
        AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatDomain'), 'RegionalDomainName'] }, HostedZoneId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatDomain'), 'RegionalHostedZoneId'] } },
      });
    }
    expect(domain.url).toBe('wss://ws.example.com');
  });

  test('GIVEN a mapping key and an existing certificate THEN the stage is served under the key and no certificate or record is created', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
    api.addDomain({ domainName: 'ws.example.com', certificate }, 'chat');
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiMappingKey: 'chat' });
    t.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    t.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  test('GIVEN two WebSocket APIs THEN one domain maps both under their own paths', () => {
    const stack = testStack();
    const { api: chat } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() }, stack);
    const notifications = new ServerlessWebSocketApi(stack, 'Notifications', { connectAuthorization: WebSocketAuthorization.none() });
    new WebSocketDomain(stack, 'Ws', { domainName: 'ws.example.com', hostedZone: zoneOf(stack), mappings: [{ api: chat, mappingKey: 'chat' }, { api: notifications, mappingKey: 'notifications' }] });
    const t = template(stack);
    t.resourceCountIs('AWS::ApiGatewayV2::DomainName', 1);
    t.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 2);
  });

  test('GIVEN the REST API on api.example.com THEN the WebSocket API lives next to it on its own name in the same zone, and synth passes', () => {
    const app = testApp();
    const stack = testStack(app);
    const zone = zoneOf(stack);
    const rest = new ServerlessApi(stack, 'Rest', { endpointType: apigateway.EndpointType.REGIONAL, routes: [{ method: 'GET', path: '/x', handler: inlineHandler() }] });
    new ApiDomain(stack, 'RestDomain', { domainName: 'api.example.com', hostedZone: zone, mappings: [{ api: rest }] });
    const { api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() }, stack);
    api.addDomain({ domainName: 'ws.api.example.com', hostedZone: zone });
    expect(() => app.synth()).not.toThrow();
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api.example.com' });
    t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'ws.api.example.com' });
  });
});
