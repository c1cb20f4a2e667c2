import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ApiDomain } from '../../lib';
import { api, prodStack, vpcEndpoint, zone } from './fixtures';

/**
 * An AAAA record only makes sense for an endpoint that answers IPv6. API Gateway's default IP
 * address type is IPv4 for REST APIs and custom domain names; CloudFormation's EndpointConfiguration
 * takes IpAddressType (ipv4 | dualstack) for both (it cannot come from the OpenAPI body). The
 * library makes APIs and domains dualstack, as AWS recommends, and publishes AAAA only for a
 * dualstack domain.
 */
function records(stack: ReturnType<typeof prodStack>['stack']): string[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::Route53::RecordSet')).map(r => r.Properties.Type).sort();
}

describe('IP address type of APIs', () => {
  test('GIVEN an API THEN it is dualstack', () => {
    const { stack } = prodStack();
    api(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['EDGE'], IpAddressType: 'dualstack' } });
  });

  test('GIVEN a sourceIpPolicy allow list with only IPv4 ranges THEN the API stays IPv4, so IPv6 callers are not shut out by it', () => {
    const { stack } = prodStack();
    api(stack, 'ItemsApi', undefined, { sourceIpPolicy: { allow: ['203.0.113.0/24'] } });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { IpAddressType: 'ipv4' } });
  });

  test('GIVEN a sourceIpPolicy deny list with only IPv4 ranges THEN the API stays IPv4, so the denied callers cannot come back over IPv6', () => {
    const { stack } = prodStack();
    api(stack, 'ItemsApi', undefined, { sourceIpPolicy: { deny: ['198.51.100.0/24'] } });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { IpAddressType: 'ipv4' } });
  });

  test('GIVEN a sourceIpPolicy with IPv6 ranges THEN the API is dualstack', () => {
    const { stack } = prodStack();
    api(stack, 'ItemsApi', undefined, { sourceIpPolicy: { allow: ['203.0.113.0/24', '2001:db8::/32'] } });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { IpAddressType: 'dualstack' } });
  });

  test('GIVEN ipAddressType IPV4 THEN the API is IPv4', () => {
    const { stack } = prodStack();
    api(stack, 'ItemsApi', apigateway.EndpointType.REGIONAL, { ipAddressType: apigateway.IpAddressType.IPV4 });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'], IpAddressType: 'ipv4' } });
  });

  test('fails if a dualstack API has an allow list without IPv6 ranges', () => {
    const { stack } = prodStack();
    expect(() => api(stack, 'ItemsApi', undefined, { ipAddressType: apigateway.IpAddressType.DUAL_STACK, sourceIpPolicy: { allow: ['203.0.113.0/24'] } })).toThrow(
      "Prod/Api/ItemsApi: ipAddressType is dualstack while sourceIpPolicy.allow lists IPv4 ranges only (received 'dualstack'). "
      + 'Every IPv6 caller would be denied: add the IPv6 ranges to allow, or use apigateway.IpAddressType.IPV4.');
  });

  test('fails if a PRIVATE API is IPv4', () => {
    const { stack } = prodStack();
    expect(() => api(stack, 'ItemsApi', apigateway.EndpointType.PRIVATE, {
      ipAddressType: apigateway.IpAddressType.IPV4, privateEndpoint: { vpcEndpoints: [vpcEndpoint(stack)] },
    })).toThrow("Prod/Api/ItemsApi: ipAddressType is not supported for PRIVATE APIs (received 'ipv4'). API Gateway gives private APIs the dualstack type only: drop ipAddressType.");
  });
});

describe('IP address type of custom domains', () => {
  test('GIVEN a domain over dualstack APIs THEN the domain is dualstack and gets A and AAAA aliases', () => {
    const { stack } = prodStack();
    new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: api(stack) }] });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', { EndpointConfiguration: { Types: ['EDGE'], IpAddressType: 'dualstack' } });
    expect(records(stack)).toEqual(['A', 'AAAA']);
  });

  test('GIVEN an IPv4 domain THEN it publishes no AAAA record', () => {
    const { stack } = prodStack();
    new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', hostedZone: zone(stack), ipAddressType: apigateway.IpAddressType.IPV4, mappings: [{ basePath: 'v1', api: api(stack) }],
    });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', { EndpointConfiguration: { IpAddressType: 'ipv4' } });
    expect(records(stack)).toEqual(['A']);
  });

  test('GIVEN a domain over an IPv4 API THEN the domain is IPv4 with no AAAA record', () => {
    const { stack } = prodStack();
    const ipv4 = api(stack, 'ItemsApi', undefined, { ipAddressType: apigateway.IpAddressType.IPV4 });
    new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: ipv4 }] });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', { EndpointConfiguration: Match.objectLike({ IpAddressType: 'ipv4' }) });
    expect(records(stack)).toEqual(['A']);
  });

  test('fails if an IPv4 API is mapped on a dualstack domain', () => {
    const { stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: api(stack) }] });
    const ipv4 = api(stack, 'Other', undefined, { ipAddressType: apigateway.IpAddressType.IPV4 });

    expect(() => domain.addBasePath('v2', ipv4)).toThrow(
      "Prod/Api/Domain: mapping 'v2' api is an ipv4 API on a dualstack domain (received 'Prod/Api/Other'). "
      + 'IPv6 callers would reach it through the domain: make the API dualstack, or the domain ipAddressType IPV4.');
  });
});
