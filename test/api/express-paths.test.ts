/**
 * Express-style routes (`/todos/:id`, `/files/*`) deploy as literal segments on API Gateway and
 * answer 404 for every real request; they fail at synth with the path to write instead.
 */
import { ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';

function addRoute(path: string, method = 'GET', api = new ServerlessApi(testStack(), 'Api')): () => void {
  return () => api.addRoute({ method, path, handler: inlineHandler() });
}

describe('Express-style route paths', () => {
  test('fails if a path parameter is written :id', () => {
    expect(addRoute('/todos/:id')).toThrow(
      "TestStack/Api: route 'GET /todos/:id' path has the Express-style parameter ':id', which API Gateway takes as a literal segment (received '/todos/:id'). Write path parameters in braces: '/todos/{id}'.");
  });

  test('fails naming the whole fixed path if several parameters are written :name', () => {
    expect(addRoute('/users/:userId/todos/:todoId', 'DELETE')).toThrow(
      "TestStack/Api: route 'DELETE /users/:userId/todos/:todoId' path has the Express-style parameter ':userId', which API Gateway takes as a literal segment (received '/users/:userId/todos/:todoId'). Write path parameters in braces: '/users/{userId}/todos/{todoId}'.");
  });

  test('fails if an optional or constrained Express parameter is used', () => {
    expect(addRoute('/todos/:id?')).toThrow("path has the Express-style parameter ':id?', which API Gateway takes as a literal segment (received '/todos/:id?'). Write path parameters in braces: '/todos/{id}'.");
    expect(addRoute('/todos/:id(\\d+)')).toThrow("Write path parameters in braces: '/todos/{id}'.");
  });

  test('fails if the last segment is a * wildcard', () => {
    expect(addRoute('/files/*')).toThrow(
      "TestStack/Api: route 'GET /files/*' path has the wildcard segment '*', which API Gateway does not match as a wildcard (received '/files/*'). Use a greedy parameter as the last segment: '/files/{proxy+}' (the handler reads event.pathParameters.proxy).");
  });

  test('fails if a * wildcard is not the last segment', () => {
    expect(addRoute('/files/*/meta')).toThrow(
      "TestStack/Api: route 'GET /files/*/meta' path has the wildcard segment '*', which API Gateway does not match as a wildcard (received '/files/*/meta'). Use a greedy parameter like '{proxy+}' as the last segment.");
  });

  test('fails if a route given in the routes prop is Express-style', () => {
    expect(() => new ServerlessApi(testStack(), 'Api', { routes: [{ method: 'PUT', path: '/todos/:id', handler: inlineHandler() }] })).toThrow(
      "TestStack/Api: route 'PUT /todos/:id' path has the Express-style parameter ':id'");
  });

  test('GIVEN a colon after a literal (/v1:batch) THEN it is a literal segment API Gateway allows', () => {
    expect(addRoute('/v1:batch', 'POST')).not.toThrow();
  });
});
