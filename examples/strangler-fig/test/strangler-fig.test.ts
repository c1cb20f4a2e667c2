import { Template } from 'aws-cdk-lib/assertions';
import { Audit } from 'serverless-api-constructs';
import { assetHashSerializer, stageTemplates, testApp } from 'serverless-api-constructs/testing';
import { addStranglerFigStages } from '../lib/strangler-fig-stages';

expect.addSnapshotSerializer(assetHashSerializer);

const app = testApp();
const stages = addStranglerFigStages(app);
Audit.enable(app);

function body(): any {
  return Object.values<any>(Template.fromStack(stages.Prod.shop).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

function integrationOf(path: string, method: string): any {
  const operation = body().paths[path]?.[method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase()];
  return operation?.['x-amazon-apigateway-integration'];
}

describe.each(['Dev', 'Prod'] as const)('the %s stage', (id) => {
  test('matches its snapshot', () => {
    expect(stageTemplates(stages[id])).toMatchSnapshot();
  });
});

test('moved routes are served by the new system', () => {
  expect(integrationOf('/orders/{orderId}', 'GET').type).toBe('aws_proxy');
  expect(integrationOf('/orders', 'POST').type).toBe('aws_proxy');
  expect(JSON.stringify(integrationOf('/orders/{orderId}/refunds', 'POST').uri)).toContain(':apigateway:eu-west-1:states:action/StartExecution');
});

test('everything else reaches the legacy system, at the same path, with any method', () => {
  expect(integrationOf('/{proxy+}', 'ANY')).toMatchObject({ type: 'http_proxy', uri: 'https://shop.legacy.example.com/{proxy}' });
  expect(integrationOf('/', 'ANY')).toMatchObject({ type: 'http_proxy', uri: 'https://shop.legacy.example.com/' });
  // PUT /orders/7 and GET /orders hit resources the API declares: they still go to the legacy system.
  expect(integrationOf('/orders/{orderId}', 'ANY')).toMatchObject({ type: 'http_proxy', uri: 'https://shop.legacy.example.com/orders/{orderId}' });
  expect(integrationOf('/orders', 'ANY')).toMatchObject({ type: 'http_proxy', uri: 'https://shop.legacy.example.com/orders' });
  expect(integrationOf('/orders/{orderId}/refunds', 'ANY')).toMatchObject({ uri: 'https://shop.legacy.example.com/orders/{orderId}/refunds' });
});

test('the moved routes require signed requests; the legacy paths stay as open as the legacy system', () => {
  expect(body().paths['/orders/{orderId}'].get.security).toEqual([{ sigv4: [] }]);
  expect(body().paths['/orders/{orderId}']['x-amazon-apigateway-any-method'].security).toEqual([]);
});

test('the audit passes: cdk-nag AwsSolutions and the library\'s checks, every finding fixed or acknowledged with a reason', () => {
  expect(() => app.synth()).not.toThrow();
});
