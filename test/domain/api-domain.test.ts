import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ApiDomain, DomainRecordType } from '../../lib';
import { testApp } from '../util';
import { ACCOUNT, api, EDGE_CERT_ARN, EU_CERT_ARN, importedCertificate, prodStack, ZONE_ID, zone } from './fixtures';

describe('edge certificate created in a us-east-1 companion stack', () => {
  test('GIVEN an EDGE domain in eu-west-1 WHEN synthesized THEN a DNS-validated certificate is in stack Prod-Api-Certificate in us-east-1 of the same stage', () => {
    const { stage, stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: api(stack) }] });

    const assembly = stage.synth();
    const certStack = assembly.getStackByName('Prod-Api-Certificate');
    expect(certStack.environment).toMatchObject({ account: ACCOUNT, region: 'us-east-1' });
    expect(domain.certificateStack?.region).toBe('us-east-1');
    Template.fromStack(domain.certificateStack!).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: ZONE_ID }],
    });
    Template.fromStack(stack).resourceCountIs('AWS::CertificateManager::Certificate', 0);
  });

  test('GIVEN the companion certificate THEN its ARN reaches the API stack as a cross-region stack output', () => {
    const { stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: api(stack) }] });

    const outputs = Template.fromStack(domain.certificateStack!).toJSON().Outputs;
    const outputName = 'ApiExampleComCertificateArn';
    expect(Object.keys(outputs)).toEqual([outputName]);
    expect(outputs[outputName].Value).toEqual({ Ref: expect.stringMatching(/^ApiExampleComCertificate/) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      CertificateArn: { 'Fn::GetStackOutput': { StackName: 'Prod-Api-Certificate', Region: 'us-east-1', OutputName: outputName } },
      EndpointConfiguration: { Types: ['EDGE'] },
    });
  });

  test('GIVEN an app whose cross-stack references default to strong THEN the certificate ARN is still a weak reference (no export writer/reader)', () => {
    const { stack } = prodStack('eu-west-1', testApp({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } }));
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: api(stack) }] });

    Template.fromStack(domain.certificateStack!).resourceCountIs('Custom::CrossRegionExportWriter', 0);
    Template.fromStack(stack).resourceCountIs('Custom::CrossRegionExportReader', 0);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', {
      CertificateArn: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Prod-Api-Certificate', Region: 'us-east-1' }) },
    });
  });

  test('GIVEN an app without a cross-stack reference strength THEN the certificate raises no "defaulting to strong" warning', () => {
    // A consumer's App: none of the project's feature flags (the cross-stack strength flag among them).
    // Validation, tree metadata and stack traces are off: they change no reference and cost seconds.
    const { app, stage, stack } = prodStack('eu-west-1', new App({ builtinCloudFormationValidation: false, treeMetadata: false, stackTraces: false }));
    new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: api(stack) }] });

    // The app's synth, as `cdk synth` runs it (CDK resolves cross-stack references there).
    const assembly = app.synth().getNestedAssembly(`assembly-${stage.stageName}`);
    const messages = assembly.stacks.flatMap(s => s.messages.map(m => JSON.stringify(m.entry.data)));
    expect(assembly.stacks.map(s => s.stackName).sort()).toEqual(['Prod-Api', 'Prod-Api-Certificate']);
    expect(messages).not.toContainEqual(expect.stringContaining('cross-stack-reference strength'));
  });

  test('GIVEN the companion stack THEN the API stack depends on it, so deploying the stage deploys the certificate first', () => {
    const { stage, stack } = prodStack();
    new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: api(stack) }] });

    const assembly = stage.synth();
    const apiArtifact = assembly.getStackByName('Prod-Api');
    expect(apiArtifact.dependencies.map(d => d.id)).toContain(assembly.getStackByName('Prod-Api-Certificate').id);
  });

  test('GIVEN two edge domains in one stack THEN they share one companion stack', () => {
    const { stage, stack } = prodStack();
    const hostedZone = zone(stack);
    const a = new ApiDomain(stack, 'A', { domainName: 'api.example.com', hostedZone, mappings: [{ basePath: 'v1', api: api(stack) }] });
    const b = new ApiDomain(stack, 'B', { domainName: 'www.example.com', hostedZone });

    expect(a.certificateStack).toBe(b.certificateStack);
    expect(stage.synth().stacks.map(s => s.stackName).sort()).toEqual(['Prod-Api', 'Prod-Api-Certificate']);
    Template.fromStack(a.certificateStack!).resourceCountIs('AWS::CertificateManager::Certificate', 2);
  });

  test('GIVEN an EDGE domain in a us-east-1 stack THEN the certificate is in the same stack and no companion stack exists', () => {
    const { stage, stack } = prodStack('us-east-1');
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: api(stack) }] });

    expect(domain.certificateStack).toBeUndefined();
    expect(stage.synth().stacks).toHaveLength(1);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', { CertificateArn: { Ref: Match.stringLikeRegexp('^DomainCertificate') } });
  });
});

describe('regional domains', () => {
  test('GIVEN a REGIONAL domain THEN its certificate is created in the API\'s own stack and region', () => {
    const { stage, stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', hostedZone: zone(stack),
      mappings: [{ basePath: 'v1', api: api(stack, 'ItemsApi', apigateway.EndpointType.REGIONAL) }],
    });

    expect(domain.endpointType).toBe(apigateway.EndpointType.REGIONAL);
    expect(domain.certificateStack).toBeUndefined();
    expect(stage.synth().stacks).toHaveLength(1);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'api.example.com', ValidationMethod: 'DNS' });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      RegionalCertificateArn: { Ref: Match.stringLikeRegexp('^DomainCertificate') },
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  test('GIVEN mutualTls on a REGIONAL domain THEN the truststore is configured', () => {
    const { stack } = prodStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Truststore', 'truststore-bucket');
    new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', hostedZone: zone(stack), endpointType: apigateway.EndpointType.REGIONAL,
      mutualTls: { bucket, key: 'truststore.pem' },
    });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', {
      MutualTlsAuthentication: { TruststoreUri: 's3://truststore-bucket/truststore.pem' },
    });
  });
});

describe('imported certificates', () => {
  test('GIVEN an imported us-east-1 certificate on an EDGE domain THEN it is used and nothing is created', () => {
    const { stage, stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', certificate: importedCertificate(stack, EDGE_CERT_ARN), hostedZone: zone(stack),
    });

    expect(domain.certificateStack).toBeUndefined();
    expect(stage.synth().stacks).toHaveLength(1);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', { CertificateArn: EDGE_CERT_ARN });
  });

  test('GIVEN an imported certificate of the stack\'s region on a REGIONAL domain THEN it is the regional certificate', () => {
    const { stack } = prodStack();
    new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', certificate: importedCertificate(stack, EU_CERT_ARN), endpointType: apigateway.EndpointType.REGIONAL,
    });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', { RegionalCertificateArn: EU_CERT_ARN });
  });
});

describe('DNS records', () => {
  test('GIVEN a hosted zone and the default record type THEN A and AAAA alias records point at the edge distribution', () => {
    const { stack } = prodStack();
    new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack) });

    const template = Template.fromStack(stack);
    for (const type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Type: type,
        Name: 'api.example.com.',
        HostedZoneId: ZONE_ID,
        AliasTarget: {
          DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Domain'), 'DistributionDomainName'] },
          HostedZoneId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Domain'), 'DistributionHostedZoneId'] },
        },
      });
    }
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
  });

  test('GIVEN a REGIONAL domain THEN the alias records point at the regional domain name', () => {
    const { stack } = prodStack();
    new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), endpointType: apigateway.EndpointType.REGIONAL });

    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'A',
      AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Domain'), 'RegionalDomainName'] } },
    });
  });

  test('GIVEN recordType CNAME THEN one CNAME points at the domain\'s target and no alias is written', () => {
    const { stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), recordType: DomainRecordType.CNAME });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::RecordSet', 1);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'CNAME',
      Name: 'api.example.com.',
      ResourceRecords: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Domain'), 'DistributionDomainName'] }],
    });
    expect(domain.records).toHaveLength(1);
  });

  test('GIVEN a certificate and no hosted zone THEN no record is written', () => {
    const { stack } = prodStack();
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', certificate: importedCertificate(stack, EDGE_CERT_ARN) });

    Template.fromStack(stack).resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(domain.records).toEqual([]);
  });
});

describe('base path mappings', () => {
  test('GIVEN v1 and v2 APIs THEN each base path maps its API\'s one stage', () => {
    const { stack } = prodStack();
    const v1 = api(stack, 'V1');
    const v2 = api(stack, 'V2');
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v1', api: v1 }] });
    domain.addBasePath('v2', v2);

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 2);
    for (const [basePath, target] of [['v1', v1], ['v2', v2]] as const) {
      template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
        BasePath: basePath,
        DomainName: { Ref: Match.stringLikeRegexp('^Domain') },
        RestApiId: { Ref: stack.getLogicalId(target.restApi.node.defaultChild as apigateway.CfnRestApi) },
        Stage: { Ref: stack.getLogicalId(target.stage.node.defaultChild as apigateway.CfnStage) },
      });
    }
    expect(domain.mappings.map(m => m.basePath)).toEqual(['v1', 'v2']);
    expect(domain.urlFor('v2')).toBe('https://api.example.com/v2/');
  });

  test('GIVEN a mapping without base path THEN the API serves the domain root', () => {
    const { stack } = prodStack();
    new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ api: api(stack) }] });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: Match.absent() });
  });

  test('GIVEN a multi-level base path on a REGIONAL domain THEN it is an API mapping with that key', () => {
    const { stack } = prodStack();
    const regional = api(stack, 'Orders', apigateway.EndpointType.REGIONAL);
    new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'orders/v2', api: regional }] });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiMappingKey: 'orders/v2',
      ApiId: { Ref: stack.getLogicalId(regional.restApi.node.defaultChild as apigateway.CfnRestApi) },
      Stage: { Ref: stack.getLogicalId(regional.stage.node.defaultChild as apigateway.CfnStage) },
    });
  });

  test('GIVEN api.addDomain THEN the domain has the API\'s endpoint type and maps it at the base path', () => {
    const { stack } = prodStack();
    const regional = api(stack, 'ItemsApi', apigateway.EndpointType.REGIONAL);
    const domain = regional.addDomain({ domainName: 'api.example.com', hostedZone: zone(stack) }, 'v1');

    expect(domain.endpointType).toBe(apigateway.EndpointType.REGIONAL);
    expect(domain.node.path).toBe('Prod/Api/ItemsApi/Domain');
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'v1' });
  });
});

describe('security policy', () => {
  test('GIVEN no securityPolicy THEN the domain requires TLS 1.2', () => {
    const { stack } = prodStack();
    new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack) });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', { SecurityPolicy: 'TLS_1_2' });
  });

  test('GIVEN securityPolicy TLS_1_0 THEN it is passed through', () => {
    const { stack } = prodStack();
    new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), securityPolicy: apigateway.SecurityPolicy.TLS_1_0 });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', { SecurityPolicy: 'TLS_1_0' });
  });
});

describe('with no explicit environment', () => {
  test('GIVEN a REGIONAL domain in an environment-agnostic stack THEN the certificate is created there', () => {
    const stack = new Stack(testApp(), 'Agnostic');
    new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), endpointType: apigateway.EndpointType.REGIONAL });

    Template.fromStack(stack).resourceCountIs('AWS::CertificateManager::Certificate', 1);
  });
});
