import { Template } from 'aws-cdk-lib/assertions';
import { ItemsApiStage } from '../../bin/items-api-stage';
import { EnvironmentConfigs } from '../../lib';
import { testApp } from '../util';

const built = new Map<string, ItemsApiStage>();

/** A stage of the example app, built (and synthesized) once per stage name for every test that reads it. */
function exampleStage(name: string): ItemsApiStage {
  if (!built.has(name)) {
    const app = testApp();
    built.set(name, new ItemsApiStage(app, name[0].toUpperCase() + name.slice(1), { config: EnvironmentConfigs.of(app, name) }));
  }
  return built.get(name)!;
}

describe('example app custom domains', () => {
  test('GIVEN the Prod stage WHEN synthesized THEN its assembly holds the API stack in eu-west-1 and a us-east-1 certificate stack it depends on', () => {
    const stage = exampleStage('prod');
    const assembly = stage.synth();

    const certStack = assembly.getStackByName('Prod-Api-Certificate');
    const apiStack = assembly.getStackByName('Prod-Api');
    expect(certStack.environment).toMatchObject({ account: '333333333333', region: 'us-east-1' });
    expect(apiStack.environment.region).toBe('eu-west-1');
    expect(apiStack.dependencies.map(d => d.id)).toContain(certStack.id);
    expect(Object.values(certStack.template.Resources).map((r: any) => r.Type)).toEqual(['AWS::CertificateManager::Certificate']);
  });

  test('GIVEN the Prod stage THEN api.example.com is an edge domain serving v1 and v2 of the items API', () => {
    const stage = exampleStage('prod');
    const stack = stage.apiStack;
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api.example.com', EndpointConfiguration: { Types: ['EDGE'] } });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'v1', RestApiId: { Ref: stack.getLogicalId(stack.api.restApi.node.defaultChild as any) } });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'v2', RestApiId: { Ref: stack.getLogicalId(stack.apiV2.restApi.node.defaultChild as any) } });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'A', HostedZoneId: 'Z0123456789EXAMPLE' });
  });

  test.each([['dev', 'api.dev.example.com'], ['test', 'api.test.example.com']])('GIVEN the %s stage THEN its domain is %s', (name, domainName) => {
    const stage = exampleStage(name);
    expect(stage.apiStack.domain?.domainName).toBe(domainName);
    Template.fromStack(stage.apiStack.domain!.certificateStack!).hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: domainName });
  });

  test('GIVEN per-stage context <stage>:hostedZoneId and <stage>:zoneName THEN each stage writes into its own zone', () => {
    const app = testApp({
      context: {
        'prod:account': '345678901234', 'prod:hostedZoneId': 'ZPRODZONE', 'prod:zoneName': 'corp.example.net',
        'dev:account': '123456789012', 'dev:hostedZoneId': 'ZDEVZONE', 'dev:zoneName': 'dev.corp.example.net',
      },
    });
    const prod = new ItemsApiStage(app, 'Prod', { config: EnvironmentConfigs.of(app, 'prod') });
    const dev = new ItemsApiStage(app, 'Dev', { config: EnvironmentConfigs.of(app, 'dev') });

    Template.fromStack(prod.apiStack).hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.corp.example.net.', HostedZoneId: 'ZPRODZONE' });
    Template.fromStack(dev.apiStack).hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.dev.corp.example.net.', HostedZoneId: 'ZDEVZONE' });
    Template.fromStack(dev.apiStack.domain!.certificateStack!).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.dev.corp.example.net', DomainValidationOptions: [{ DomainName: 'api.dev.corp.example.net', HostedZoneId: 'ZDEVZONE' }],
    });
    expect(dev.apiStack.domain!.certificateStack!.account).toBe('123456789012');
  });

  test('GIVEN a stage with a real account and no zone of its own THEN the example app fails at synth', () => {
    const app = testApp({ context: { 'test:account': '234567890123' } });
    expect(() => new ItemsApiStage(app, 'Test', { config: EnvironmentConfigs.of(app, 'test') })).toThrow(/test:hostedZoneId is the offline placeholder while test:account is the real account 234567890123/);
  });

  test('GIVEN the example stack THEN the v1 API keeps its construct IDs (logical IDs unchanged by v2 and the domain)', () => {
    const stage = exampleStage('prod');
    const stack = stage.apiStack;
    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(resources.ItemsApiA26A7E4B?.Type).toBe('AWS::ApiGateway::RestApi');
    expect(resources.ItemsTableB7160AE2?.Type).toBe('AWS::DynamoDB::Table');
  });
});
