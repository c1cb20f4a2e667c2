import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ApiDomain, DomainRecordType } from '../../lib';
import { testApp } from '../util';
import { api, EDGE_CERT_ARN, EU_CERT_ARN, importedCertificate, prodStack, vpcEndpoint, zone } from './fixtures';

/** Asserts the exact message (not a substring) of the error `fn` throws. */
function expectError(fn: () => unknown, message: string): void {
  expect(fn).toThrow(new Error(message));
}

const FIX_PRIVATE_MAPPING = 'ApiDomain does not serve private APIs: call a private API through its VPC endpoint, or make the API EDGE or REGIONAL.';

describe('ApiDomain fails', () => {
  test('fails if a private API is mapped on an edge domain', () => {
    const { stack } = prodStack();
    const priv = api(stack, 'ItemsApi', apigateway.EndpointType.PRIVATE, { privateEndpoint: { vpcEndpoints: [vpcEndpoint(stack)] } });
    expectError(() => new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', hostedZone: zone(stack), endpointType: apigateway.EndpointType.EDGE, mappings: [{ basePath: 'v1', api: priv }],
    }), `Prod/Api/Domain: mapping 'v1' api is a PRIVATE API but the domain is EDGE (received 'Prod/Api/ItemsApi'). ${FIX_PRIVATE_MAPPING}`);
  });

  test('fails if the domain would be PRIVATE (taken from a private API)', () => {
    const { stack } = prodStack();
    const priv = api(stack, 'ItemsApi', apigateway.EndpointType.PRIVATE, { privateEndpoint: { vpcEndpoints: [vpcEndpoint(stack)] } });
    expectError(() => new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: priv }] }),
      'Prod/Api/Domain: endpointType is not supported for custom domains (received \'PRIVATE\'). '
      + 'ApiDomain serves EDGE and REGIONAL APIs; call a private API through its VPC endpoint (its execute-api URL with private DNS).');
  });

  test('fails if a multi-level base path is mapped on an edge domain', () => {
    const { stack } = prodStack();
    const edge = api(stack);
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack) });
    expectError(() => domain.addBasePath('orders/v2', edge),
      'Prod/Api/Domain: basePath has several levels on an EDGE domain (received \'orders/v2\'). '
      + 'API Gateway allows multi-level base paths on REGIONAL domains only: use one level (e.g. \'orders-v2\'), or a REGIONAL domain and API.');
  });

  test('fails if a multi-level base path is mapped on a TLS 1.0 domain', () => {
    const { stack } = prodStack();
    const regional = api(stack, 'ItemsApi', apigateway.EndpointType.REGIONAL);
    const domain = new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', hostedZone: zone(stack), endpointType: apigateway.EndpointType.REGIONAL, securityPolicy: apigateway.SecurityPolicy.TLS_1_0,
    });
    expectError(() => domain.addBasePath('orders/v2', regional),
      'Prod/Api/Domain: basePath has several levels on a domain with securityPolicy TLS_1_0 (received \'orders/v2\'). '
      + 'Multi-level base paths need TLS 1.2 or later: keep the default securityPolicy (TLS_1_2).');
  });

  test('fails if a base path is mapped twice', () => {
    const { stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: api(stack, 'V1') }] });
    expectError(() => domain.addBasePath('v1', api(stack, 'V2')),
      'Prod/Api/Domain: basePath is already mapped to Prod/Api/V1 (received \'v1\'). '
      + 'Map each base path once: give each API (or version) its own, e.g. \'v1\' and \'v2\'.');
  });

  test('fails if a base path has characters API Gateway does not allow', () => {
    const { stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack) });
    expectError(() => domain.addBasePath('v1?beta', api(stack)),
      'Prod/Api/Domain: basePath has characters API Gateway does not allow in a base path (received \'v1?beta\'). '
      + 'Use letters, digits and $ _ . + ! * \' ( ) -, with \'/\' between levels, e.g. \'v1\' or \'orders/v2\'.');
  });

  test('fails if a base path starts with a slash', () => {
    const { stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack) });
    expectError(() => domain.addBasePath('/v1', api(stack)),
      'Prod/Api/Domain: basePath starts or ends with \'/\' (received \'/v1\'). '
      + 'Write it without leading or trailing slashes, e.g. \'v1\' (\'\' maps the domain root).');
  });

  test('fails if the domain is not inside the hosted zone', () => {
    const { stack } = prodStack();
    expectError(() => new ApiDomain(stack, 'Domain', { domainName: 'api.example.org', hostedZone: zone(stack) }),
      'Prod/Api/Domain: domainName is not inside the hosted zone \'example.com\' (received \'api.example.org\'). '
      + 'Use a name ending in \'.example.com\', or the hosted zone that holds \'api.example.org\'.');
  });

  test('fails if a name only ends like the zone without being inside it', () => {
    const { stack } = prodStack();
    expect(() => new ApiDomain(stack, 'Domain', { domainName: 'api.notexample.com', hostedZone: zone(stack) }))
      .toThrow(/domainName is not inside the hosted zone 'example.com' \(received 'api.notexample.com'\)/);
  });

  test('fails if the domain has uppercase letters', () => {
    const { stack } = prodStack();
    expectError(() => new ApiDomain(stack, 'Domain', { domainName: 'API.example.com', hostedZone: zone(stack) }),
      'Prod/Api/Domain: domainName has uppercase letters (received \'API.example.com\'). API Gateway accepts lowercase domain names only: use \'api.example.com\'.');
  });

  test('fails if the domain is not a domain name', () => {
    const { stack } = prodStack();
    expectError(() => new ApiDomain(stack, 'Domain', { domainName: 'https://api.example.com', hostedZone: zone(stack) }),
      'Prod/Api/Domain: domainName is not a valid domain name (received \'https://api.example.com\'). '
      + 'Use lowercase labels of letters, digits and hyphens separated by dots, e.g. \'api.example.com\'.');
  });

  test('fails if an EDGE domain\'s imported certificate is not in us-east-1', () => {
    const { stack } = prodStack();
    expectError(() => new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', certificate: importedCertificate(stack, EU_CERT_ARN) }),
      `Prod/Api/Domain: certificate is in eu-west-1, but an EDGE domain's certificate must be in us-east-1 (received '${EU_CERT_ARN}'). `
      + 'Pass a certificate from us-east-1, or omit certificate and give hostedZone: the library then creates one in a us-east-1 companion stack.');
  });

  test('fails if an EDGE domain\'s certificate is created in an eu-west-1 stack', () => {
    const { stack } = prodStack();
    const certificate = new acm.Certificate(stack, 'Cert', { domainName: 'api.example.com' });
    expectError(() => new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', certificate }),
      'Prod/Api/Domain: certificate is in eu-west-1, but an EDGE domain\'s certificate must be in us-east-1 (received \'Prod/Api/Cert in eu-west-1\'). '
      + 'Pass a certificate from us-east-1, or omit certificate and give hostedZone: the library then creates one in a us-east-1 companion stack.');
  });

  test('fails if a REGIONAL domain\'s imported certificate is not in the stack\'s region', () => {
    const { stack } = prodStack();
    expectError(() => new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', certificate: importedCertificate(stack, EDGE_CERT_ARN), endpointType: apigateway.EndpointType.REGIONAL,
    }), `Prod/Api/Domain: certificate is in us-east-1, but a REGIONAL domain's certificate must be in the stack's region eu-west-1 (received '${EDGE_CERT_ARN}'). `
      + 'Pass a certificate from eu-west-1, or omit certificate and give hostedZone to have one created there.');
  });

  test('fails if mutual TLS is set on an EDGE domain', () => {
    const { stack } = prodStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Truststore', 'truststore-bucket');
    expectError(() => new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mutualTls: { bucket, key: 'truststore.pem' } }),
      'Prod/Api/Domain: mutualTls is set on an EDGE domain (received \'s3://truststore-bucket/truststore.pem\'). '
      + 'API Gateway supports mutual TLS on REGIONAL domains only: set endpointType: apigateway.EndpointType.REGIONAL, or drop mutualTls.');
  });

  test('fails if neither a certificate nor a hosted zone to validate one against is given', () => {
    const { stack } = prodStack();
    expectError(() => new ApiDomain(stack, 'Domain', { domainName: 'api.example.com' }),
      'Prod/Api/Domain: hostedZone is missing and no certificate is given (received undefined). '
      + 'Give hostedZone (the library creates a certificate validated against it) or an existing certificate.');
  });

  test('fails if an edge certificate must be created for a stack without explicit env', () => {
    const stack = new Stack(testApp(), 'Agnostic');
    expectError(() => new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack) }),
      'Agnostic/Domain: domainName needs a certificate in us-east-1, but stack \'Agnostic\' has no explicit account and region (received \'api.example.com\'). '
      + 'Give the stack env: { account, region } so the library can create the certificate in a us-east-1 companion stack, or pass a certificate from us-east-1.');
  });

  test('fails if the hosted zone of a companion-stack certificate is a resource of the API stack', () => {
    const { stack } = prodStack();
    const hostedZone = new route53.PublicHostedZone(stack, 'NewZone', { zoneName: 'example.com' });
    expectError(() => new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone }),
      'Prod/Api/Domain: hostedZone is defined by a resource of stack \'Prod/Api\' (received \'Prod/Api/NewZone\'). '
      + 'The certificate is validated in a us-east-1 stack, which cannot reference it: import the zone with route53.HostedZone.fromHostedZoneAttributes, or pass a certificate.');
  });

  test('fails if two domains of one stage have the same name', () => {
    const { stack } = prodStack();
    new ApiDomain(stack, 'A', { domainName: 'api.example.com', hostedZone: zone(stack) });
    expectError(() => new ApiDomain(stack, 'B', { domainName: 'api.example.com', hostedZone: zone(stack, 'Zone2') }),
      'Prod/Api/B: domainName already has a certificate in stack \'Prod/Api-Certificate\' (received \'api.example.com\'). '
      + 'Create one ApiDomain per domain name and map every API on it with addBasePath.');
  });

  test('fails if a CNAME is requested at the zone apex', () => {
    const { stack } = prodStack();
    expectError(() => new ApiDomain(stack, 'Domain', { domainName: 'example.com', hostedZone: zone(stack), recordType: DomainRecordType.CNAME }),
      'Prod/Api/Domain: recordType is not allowed at the zone apex \'example.com\' (received \'CNAME\'). DNS forbids a CNAME at the apex: use DomainRecordType.ALIAS.');
  });
});

describe('ServerlessApi private endpoint fails', () => {
  test('fails if a PRIVATE API has no VPC endpoints or VPC', () => {
    const { stack } = prodStack();
    expectError(() => api(stack, 'ItemsApi', apigateway.EndpointType.PRIVATE),
      'Prod/Api/ItemsApi: privateEndpoint is missing on a PRIVATE API (received undefined). '
      + 'A private API is reachable only through interface VPC endpoints: pass privateEndpoint: { vpcEndpoints: [endpoint] }, or privateEndpoint: { vpc } to create one.');
  });

  test('fails if a PRIVATE API gets an empty list of VPC endpoints', () => {
    const { stack } = prodStack();
    expectError(() => api(stack, 'ItemsApi', apigateway.EndpointType.PRIVATE, { privateEndpoint: { vpcEndpoints: [] } }),
      'Prod/Api/ItemsApi: privateEndpoint.vpcEndpoints is empty (received []). '
      + 'Give at least one execute-api interface VPC endpoint, or privateEndpoint: { vpc } to create one.');
  });

  test('fails if VPC endpoints are given to a non-PRIVATE API', () => {
    const { stack } = prodStack();
    expectError(() => api(stack, 'ItemsApi', apigateway.EndpointType.REGIONAL, { privateEndpoint: { vpcEndpoints: [vpcEndpoint(stack)] } }),
      'Prod/Api/ItemsApi: privateEndpoint is set on a REGIONAL API (received \'{ vpcEndpoints: 1 endpoint(s) }\'). '
      + 'VPC endpoints apply to private APIs only: set endpointType: apigateway.EndpointType.PRIVATE, or drop privateEndpoint.');
  });

  test('fails if both VPC endpoints and a VPC are given', () => {
    const { stack } = prodStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    expectError(() => api(stack, 'ItemsApi', apigateway.EndpointType.PRIVATE, { privateEndpoint: { vpcEndpoints: [vpcEndpoint(stack)], vpc } }),
      'Prod/Api/ItemsApi: privateEndpoint sets both vpcEndpoints and vpc (received \'{ vpcEndpoints: 1 endpoint(s), vpc }\'). '
      + 'Give the existing endpoints (vpcEndpoints) or a VPC to create one in (vpc), not both.');
  });
});
