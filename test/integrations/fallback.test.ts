import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Audit, Integration, RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';
import { entryOf, operationOf, synthesizedBody } from './fixtures';

const LEGACY = 'https://legacy.example.com';

function stranglerApi(configure: (api: ServerlessApi, stack: Stack) => void = () => undefined, stack = testStack()) {
  const api = new ServerlessApi(stack, 'Api');
  api.addFallback(Integration.http(LEGACY));
  configure(api, stack);
  return { stack, api, body: synthesizedBody(stack) };
}

function methods(body: any, path: string): string[] {
  return Object.keys(body.paths[path] ?? {}).sort();
}

describe('the strangler fig: a legacy backend behind the API', () => {
  test('GIVEN only the fallback THEN ANY / and ANY /{proxy+} forward to the legacy backend at the same path', () => {
    const { body } = stranglerApi();
    expect(Object.keys(body.paths)).toEqual(['/', '/{proxy+}']);
    expect(entryOf(body, 'ANY', '/')).toMatchObject({ type: 'http_proxy', httpMethod: 'ANY', uri: 'https://legacy.example.com/' });
    expect(entryOf(body, 'ANY', '/{proxy+}')).toMatchObject({
      type: 'http_proxy', httpMethod: 'ANY', uri: 'https://legacy.example.com/{proxy}',
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    });
  });

  test('GIVEN a route moved to Lambda THEN its method wins, the other methods of its path and its ancestors still reach the legacy backend', () => {
    const { body } = stranglerApi(api => api.addRoute({ method: 'GET', path: '/orders/{id}', handler: inlineHandler() }));
    expect(methods(body, '/orders/{id}')).toEqual(['get', 'x-amazon-apigateway-any-method']);
    expect(entryOf(body, 'GET', '/orders/{id}').type).toBe('aws_proxy');
    expect(entryOf(body, 'ANY', '/orders/{id}')).toMatchObject({
      uri: 'https://legacy.example.com/orders/{id}', requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
    });
    expect(entryOf(body, 'ANY', '/orders')).toMatchObject({ uri: 'https://legacy.example.com/orders' });
    expect(operationOf(body, 'ANY', '/orders/{id}').operationId).toBe('AnyOrdersByIdFallback');
  });

  test('GIVEN a declared ANY route THEN the fallback leaves that path to it', () => {
    const { body } = stranglerApi(api => api.addRoute({ method: 'ANY', path: '/reports/{proxy+}', integration: Integration.mock({ statusCode: 200, body: '{}' }) }));
    expect(entryOf(body, 'ANY', '/reports/{proxy+}').type).toBe('mock');
    expect(entryOf(body, 'ANY', '/reports')).toMatchObject({ uri: 'https://legacy.example.com/reports' });
  });

  test('GIVEN routes declared before the fallback THEN they take precedence as well', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'POST', path: '/orders', handler: inlineHandler() });
    api.addFallback(Integration.http(LEGACY));
    const body = synthesizedBody(stack);
    expect(methods(body, '/orders')).toEqual(['post', 'x-amazon-apigateway-any-method']);
  });

  test('GIVEN one more route moved THEN only that route\'s branch of the body changes, and the deployment', () => {
    const before = stranglerApi(api => api.addRoute({ method: 'GET', path: '/orders/{id}', handler: inlineHandler() }));
    const after = stranglerApi((api, stack) => {
      api.addRoute({ method: 'GET', path: '/orders/{id}', handler: inlineHandler() });
      api.addRoute({ method: 'POST', path: '/invoices', integration: Integration.sqs(new sqs.Queue(stack, 'Q')) });
    });
    const changed = [...new Set([...Object.keys(before.body.paths), ...Object.keys(after.body.paths)])]
      .filter(path => JSON.stringify(before.body.paths[path]) !== JSON.stringify(after.body.paths[path]));
    expect(changed).toEqual(['/invoices']);
    const deployments = (stack: Stack) => Object.keys(Template.fromStack(stack).findResources('AWS::ApiGateway::Deployment'));
    expect(deployments(after.stack)).not.toEqual(deployments(before.stack));
  });

  test('GIVEN the fallback\'s authorization THEN every fallback operation has it', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/orders/{id}', handler: inlineHandler(), authorization: RouteAuthorization.iam() });
    api.addFallback(Integration.http(LEGACY), { authorization: RouteAuthorization.none() });
    const body = synthesizedBody(stack);
    expect([operationOf(body, 'ANY', '/').security, operationOf(body, 'ANY', '/orders').security, operationOf(body, 'ANY', '/orders/{id}').security])
      .toEqual([[], [], []]);
    expect(operationOf(body, 'GET', '/orders/{id}').security).toEqual([{ sigv4: [] }]);
  });

  test('GIVEN CORS THEN paths the fallback adds get a preflight too', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { cors: { allowOrigins: ['https://app.example.com'] } });
    api.addFallback(Integration.http(LEGACY));
    api.addRoute({ method: 'GET', path: '/orders/{id}', handler: inlineHandler() });
    expect(methods(synthesizedBody(stack), '/orders')).toEqual(['options', 'x-amazon-apigateway-any-method']);
  });

  test('GIVEN a public fallback under the audit THEN each of its operations is acknowledged as public, and synth passes', () => {
    const app = testApp();
    const stack = testStack(app, 'Audited');
    Audit.enable(app);
    const api = new ServerlessApi(stack, 'Api');
    Validations.of(api.stage.node.defaultChild!).acknowledge({ id: 'AwsSolutions-APIG3', reason: 'Test API, never deployed: no web ACL needed.' });
    api.addFallback(Integration.http(LEGACY), { authorization: RouteAuthorization.none() });
    api.addRoute({ method: 'GET', path: '/orders/{id}', handler: inlineHandler(), authorization: RouteAuthorization.iam() });
    expect(() => app.synth()).not.toThrow();
  });

  test('GIVEN a private fallback behind IAM under the audit THEN no public route is acknowledged', () => {
    const app = testApp();
    const stack = testStack(app, 'Audited');
    const api = new ServerlessApi(stack, 'Api');
    api.addFallback(Integration.http(LEGACY));
    api.addRoute({ method: 'GET', path: '/orders/{id}', handler: inlineHandler() });
    const acknowledged = (api.restApi.node.defaultChild!.node.metadata)
      .filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap(m => Object.keys(m.data as object));
    expect(acknowledged.filter(id => id.includes('RouteAuth'))).toEqual([]);
  });
});
