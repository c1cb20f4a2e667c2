import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiDomain } from '../../lib';
import { api, EU_CERT_ARN, importedCertificate, prodStack, zone } from './fixtures';

/**
 * API Gateway: "For REST APIs, both edge-optimized and Regional custom domain names can have mappings
 * for edge-optimized API endpoints, Regional API endpoints, or both." Private APIs are not served by
 * public custom domain names.
 */
describe('endpoint types of a domain and its APIs', () => {
  test('GIVEN an EDGE domain THEN a REGIONAL API can be mapped next to an EDGE one', () => {
    const { stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', hostedZone: zone(stack), endpointType: apigateway.EndpointType.EDGE,
      mappings: [{ basePath: 'v1', api: api(stack, 'Edge') }],
    });
    domain.addBasePath('v2', api(stack, 'Regional', apigateway.EndpointType.REGIONAL));

    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::BasePathMapping', 2);
  });

  test('GIVEN a REGIONAL domain THEN an EDGE API can be mapped', () => {
    const { stack } = prodStack();
    new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', certificate: importedCertificate(stack, EU_CERT_ARN), endpointType: apigateway.EndpointType.REGIONAL,
      mappings: [{ basePath: 'v1', api: api(stack, 'Edge') }],
    });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
  });
});
