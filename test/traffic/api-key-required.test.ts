import { Template } from 'aws-cdk-lib/assertions';
import { itemsApi } from './helpers';
import { ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';

function body(stack: import('aws-cdk-lib').Stack): any {
  const apis = Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi');
  return Object.values(apis)[0].Properties.Body;
}

describe('apiKeyRequired', () => {
  test('adds the api key requirement to the route as its own object, next to its authorizer', () => {
    // GIVEN an API whose routes default to IAM authorization
    const { stack, api } = itemsApi();
    api.addUsagePlan('Free');
    // THEN
    expect(body(stack).paths['/items'].get.security).toEqual([{ sigv4: [] }, { api_key: [] }]);
  });

  test('declares the header key source and the api_key scheme at API level', () => {
    const { stack, api } = itemsApi();
    api.addUsagePlan('Free');
    const definition = body(stack);
    expect(definition['x-amazon-apigateway-api-key-source']).toBe('HEADER');
    expect(definition.components.securitySchemes.api_key).toEqual({ type: 'apiKey', name: 'x-api-key', in: 'header' });
  });

  test('leaves routes without apiKeyRequired and APIs without key routes alone (default false)', () => {
    const { stack } = itemsApi({ keyRequired: false });
    const definition = body(stack);
    expect(definition['x-amazon-apigateway-api-key-source']).toBeUndefined();
    expect(JSON.stringify(definition.paths)).not.toContain('api_key');
  });

  test('keeps the requirement another extension wrote and adds the key once', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api._extendOperations((_m, _p, operation) => { operation.security = [{ sigv4: [] }, { api_key: [] }]; });
    api.addRoute({ method: 'GET', path: '/k', handler: inlineHandler(), apiKeyRequired: true });
    api.addUsagePlan('Free');
    expect(body(stack).paths['/k'].get.security).toEqual([{ sigv4: [] }, { api_key: [] }]);
  });

  test('is available per operation group on CRUD resources', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addCrudResource('items', { readApiKeyRequired: true });
    api.addUsagePlan('Free');
    const paths = body(stack).paths;
    expect(JSON.stringify(paths['/items'].get.security)).toContain('api_key');
    expect(JSON.stringify(paths['/items/{id}'].get.security)).toContain('api_key');
    expect(JSON.stringify(paths['/items'].post.security ?? [])).not.toContain('api_key');
    expect(JSON.stringify(paths['/items/{id}'].delete.security ?? [])).not.toContain('api_key');
  });

  test('fails at synth if routes require a key but the API has no usage plan', () => {
    const { app } = itemsApi();
    expect(() => app.synth()).toThrow(
      "TestStack/Api: apiKeyRequired is set on routes of an API that has no usage plan (received ['GET /items', 'GET /items/{id}']). Add a plan with api.addUsagePlan() and keys with api.addApiKey(); API Gateway rejects every key that is in no plan of the stage.");
  });
});
