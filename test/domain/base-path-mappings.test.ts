import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiDomain } from '../../lib';
import { api, EU_CERT_ARN, importedCertificate, prodStack, zone } from './fixtures';

/**
 * A base path mapping is identified by domain + base path. Its logical ID must be too: with the target
 * API in the logical ID, re-pointing 'v1' to another API makes CloudFormation create the new mapping
 * before deleting the old one, and API Gateway answers 409 "Base path already exists". With a stable
 * logical ID, CloudFormation updates the mapping's RestApiId in place.
 */
function mappingIds(target: 'A' | 'B', basePath: string, endpointType = apigateway.EndpointType.EDGE): Record<string, any> {
  const { stack } = prodStack();
  const apis = { A: api(stack, 'ItemsApiA', endpointType), B: api(stack, 'ItemsApiB', endpointType) };
  new ApiDomain(stack, 'Domain', {
    domainName: 'api.example.com',
    ...(endpointType === apigateway.EndpointType.REGIONAL ? { certificate: importedCertificate(stack, EU_CERT_ARN) } : { hostedZone: zone(stack) }),
    endpointType,
    mappings: [{ basePath, api: apis[target] }],
  });
  const template = Template.fromStack(stack);
  return { ...template.findResources('AWS::ApiGateway::BasePathMapping'), ...template.findResources('AWS::ApiGatewayV2::ApiMapping') };
}

describe('base path mapping logical IDs', () => {
  test('GIVEN v1 re-pointed from one API to another THEN the mapping keeps its logical ID (updated in place, no 409)', () => {
    const before = mappingIds('A', 'v1');
    const after = mappingIds('B', 'v1');

    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(JSON.stringify(Object.values(after)[0].Properties.RestApiId)).not.toEqual(JSON.stringify(Object.values(before)[0].Properties.RestApiId));
  });

  test('GIVEN a multi-level base path re-pointed THEN its API mapping keeps its logical ID too', () => {
    expect(Object.keys(mappingIds('B', 'orders/v2', apigateway.EndpointType.REGIONAL)))
      .toEqual(Object.keys(mappingIds('A', 'orders/v2', apigateway.EndpointType.REGIONAL)));
  });

  test('GIVEN two base paths THEN each has its own logical ID', () => {
    const { stack } = prodStack();
    new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', hostedZone: zone(stack),
      mappings: [{ basePath: 'v1', api: api(stack, 'A') }, { basePath: 'v-1', api: api(stack, 'B') }, { basePath: '', api: api(stack, 'C') }],
    });
    const mappings = Template.fromStack(stack).findResources('AWS::ApiGateway::BasePathMapping');
    expect(Object.values(mappings).map(m => m.Properties.BasePath ?? '(root)').sort()).toEqual(['(root)', 'v-1', 'v1']);
  });
});

describe('mappingResource', () => {
  test('GIVEN a deployed stack\'s old mapping logical ID THEN overrideLogicalId keeps it, whatever the mapping targets later', () => {
    const { stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: api(stack) }] });
    domain.mappingResource('v1').overrideLogicalId('DomainMapv1ProdApiItemsApi1A2B3C4D');

    expect(Template.fromStack(stack).findResources('AWS::ApiGateway::BasePathMapping')).toHaveProperty('DomainMapv1ProdApiItemsApi1A2B3C4D');
  });

  test('fails if the base path is not mapped', () => {
    const { stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: api(stack) }] });
    expect(() => domain.mappingResource('v2')).toThrow("Prod/Api/Domain: basePath is not mapped on this domain (received 'v2'). Use one of: 'v1'.");
  });
});
