import { Template } from 'aws-cdk-lib/assertions';
import { ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';

/** SpecRestApi drops `description`; API Gateway takes it from the body's info.description. */
describe('API description', () => {
  test('GIVEN a description THEN the deployed body carries it as info.description', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { apiName: 'items', description: 'Items API (prod)' });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { Body: { info: { title: 'items', description: 'Items API (prod)' } } });
  });

  test('GIVEN no description THEN info has none', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    const body = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
    expect(body.info).not.toHaveProperty('description');
  });
});
