/**
 * What `cdk deploy` prints for a stage: the constructs emit the outputs a user needs (URLs, ids,
 * the command that prints a key's value, never a key value), each switchable off.
 */
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiDomain, ApiUserPool, ServerlessApi, ServerlessApiProps } from '../../lib';
import { zone } from '../domain/fixtures';
import { inlineHandler, testStack } from '../util';

function apiIn(props: ServerlessApiProps = {}, apiKeyRequired = false): { template: () => Template; api: ServerlessApi } {
  const stack = testStack();
  const api = new ServerlessApi(stack, 'Api', { stageName: 'prod', ...props });
  api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler(), apiKeyRequired });
  return { template: () => Template.fromStack(stack), api };
}

describe('ServerlessApi outputs', () => {
  test('GIVEN no props THEN the stage URL is an output with the logical ID aws-cdk-lib\'s RestApi gives it', () => {
    const { template, api } = apiIn();
    const outputs = template().toJSON().Outputs;
    expect(Object.keys(outputs)).toEqual(['ApiEndpoint8485D197']);
    expect(outputs.ApiEndpoint8485D197).toEqual({
      Description: 'Stage URL of TestStack/Api',
      Value: { 'Fn::Join': ['', ['https://', { Ref: 'Api9AF3637B' }, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'ApiDeploymentStageprodB1EF9523' }, '/']] },
    });
    expect(api.urlOutput?.node.path).toBe('TestStack/Api/Resource/Endpoint');
  });

  test('GIVEN cfnOutputs false THEN the API has no output', () => {
    const { template, api } = apiIn({ cfnOutputs: false });
    expect(template().toJSON().Outputs).toBeUndefined();
    expect(api.urlOutput).toBeUndefined();
  });
});

describe('ApiUserPool outputs', () => {
  test('GIVEN no props THEN the pool id and the app client id are outputs', () => {
    const stack = testStack();
    new ApiUserPool(stack, 'Users');
    const outputs = Template.fromStack(stack).toJSON().Outputs;
    expect(outputs).toEqual({
      UsersId27FB406A: {
        Description: 'User pool of TestStack/Users: create users here (aws cognito-idp admin-create-user --user-pool-id <id> --username <email>)',
        Value: { Ref: 'Users10139FB0' },
      },
      UsersClientIdFC3C0AD5: {
        Description: 'App client of TestStack/Users: the client id callers sign in with',
        Value: { Ref: 'UsersApiClient4983EBC1' },
      },
    });
  });

  test('GIVEN the API creates the pool THEN its outputs are there, and userPoolProps.cfnOutputs false removes them', () => {
    const on = apiIn({ cognito: {} });
    expect(Object.keys(on.template().toJSON().Outputs)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ApiUserPoolId[0-9A-F]{8}$/), expect.stringMatching(/^ApiUserPoolClientId[0-9A-F]{8}$/),
    ]));
    const off = apiIn({ cognito: { userPoolProps: { cfnOutputs: false } } });
    expect(Object.keys(off.template().toJSON().Outputs)).toEqual(['ApiEndpoint8485D197']);
    expect(off.api.apiUserPool?.userPoolIdOutput).toBeUndefined();
  });
});

describe('ApiDomain outputs', () => {
  test('GIVEN a domain with base paths THEN its URL is an output that lists them', () => {
    const stack = testStack();
    const v1 = new ServerlessApi(stack, 'V1', { routes: [{ method: 'GET', path: '/a', handler: inlineHandler() }], endpointType: apigateway.EndpointType.REGIONAL });
    const v2 = new ServerlessApi(stack, 'V2', { routes: [{ method: 'GET', path: '/a', handler: inlineHandler() }], endpointType: apigateway.EndpointType.REGIONAL });
    const domain = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ basePath: 'v2', api: v2 }] });
    domain.addBasePath('v1', v1);
    expect(Template.fromStack(stack).toJSON().Outputs.DomainUrl4F1B3C19).toEqual({
      Description: 'Custom domain of TestStack/Domain; base paths: /v1, /v2',
      Value: 'https://api.example.com/',
    });
  });

  test('GIVEN cfnOutputs false THEN the domain has no output', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { routes: [{ method: 'GET', path: '/a', handler: inlineHandler() }], endpointType: apigateway.EndpointType.REGIONAL, cfnOutputs: false });
    const domain = api.addDomain({ domainName: 'api.example.com', hostedZone: zone(stack), cfnOutputs: false });
    expect(Template.fromStack(stack).toJSON().Outputs).toBeUndefined();
    expect(domain.urlOutput).toBeUndefined();
  });
});

describe('ApiConsumerKey outputs', () => {
  test('GIVEN a created key THEN its id and the command printing its value are outputs, and no value is anywhere', () => {
    const { template, api } = apiIn({}, true);
    api.addApiKey('Acme', { consumerName: 'acme', plans: [api.addUsagePlan('Free')] });
    const t = template();
    const outputs = t.toJSON().Outputs;
    expect(outputs.ApiAcmeIdAF19ADB0).toEqual({ Description: 'Id of the API key acme-prod (TestStack/Api/Acme)', Value: { Ref: 'ApiAcme29C2C547' } });
    expect(outputs.ApiAcmeValueCommand6B91F5BA).toEqual({
      Description: 'Prints the value of the API key acme-prod (needs apigateway:GET on the key)',
      Value: { 'Fn::Join': ['', ['aws apigateway get-api-key --api-key ', { Ref: 'ApiAcme29C2C547' }, ' --include-value --query value --output text --region eu-west-1']] },
    });
    t.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'acme-prod' });
    expect(Object.values(t.findResources('AWS::ApiGateway::ApiKey'))[0].Properties.Value).toBeUndefined();
  });

  test('GIVEN cfnOutputs false THEN the key has no output', () => {
    const { template, api } = apiIn({}, true);
    const key = api.addApiKey('Acme', { plans: [api.addUsagePlan('Free')], cfnOutputs: false });
    expect(Object.keys(template().toJSON().Outputs)).toEqual(['ApiEndpoint8485D197']);
    expect(key.keyIdOutput).toBeUndefined();
  });

  test('GIVEN an existing key THEN nothing is emitted for it', () => {
    const { template, api } = apiIn({}, true);
    api.addApiKey('Imported', { existingApiKey: apigateway.ApiKey.fromApiKeyId(api, 'Key', 'abc123'), plans: [api.addUsagePlan('Free')] });
    expect(Object.keys(template().toJSON().Outputs)).toEqual(['ApiEndpoint8485D197']);
  });
});
