import { RouteAuthorization, ServerlessApi } from '../../lib';
import { testStack } from '../util';
import { body } from './util';

describe('CRUD resource authorization', () => {
  test('GIVEN no read/write authorization THEN the five routes use the API default (IAM)', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addCrudResource('items');

    const paths = body(stack).paths;
    for (const operation of [paths['/items'].get, paths['/items'].post, paths['/items/{id}'].get, paths['/items/{id}'].put, paths['/items/{id}'].delete]) {
      expect(operation.security).toEqual([{ sigv4: [] }]);
    }
  });

  test('GIVEN public reads and Cognito writes THEN GETs have no auth and POST, PUT, DELETE need a user pool token', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { cognito: {} });
    api.addCrudResource('items', { readAuthorization: RouteAuthorization.none(), writeAuthorization: RouteAuthorization.cognito() });

    const paths = body(stack).paths;
    expect(paths['/items'].get.security).toEqual([]);
    expect(paths['/items/{id}'].get.security).toEqual([]);
    expect(paths['/items'].post.security).toEqual([{ CognitoUserPool: [] }]);
    expect(paths['/items/{id}'].put.security).toEqual([{ CognitoUserPool: [] }]);
    expect(paths['/items/{id}'].delete.security).toEqual([{ CognitoUserPool: [] }]);
  });
});
