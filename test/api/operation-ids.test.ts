import { Template } from 'aws-cdk-lib/assertions';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';

/** operationId of every operation of the deployed body, keyed 'METHOD /path'. */
function operationIds(stack: ReturnType<typeof testStack>): Record<string, string> {
  const body = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
  const out: Record<string, string> = {};
  for (const [path, item] of Object.entries<any>(body.paths)) {
    for (const [key, operation] of Object.entries<any>(item)) {
      out[`${key === 'x-amazon-apigateway-any-method' ? 'ANY' : key.toUpperCase()} ${path}`] = operation.operationId;
    }
  }
  return out;
}

function apiWith(routes: Array<[string, string, string?]>, props: ConstructorParameters<typeof ServerlessApi>[2] = {}): ReturnType<typeof testStack> {
  const stack = testStack();
  const api = new ServerlessApi(stack, 'Api', props);
  const handler = inlineHandler();
  for (const [method, path, operationId] of routes) {
    api.addRoute({ method, path, handler, operationId, authorization: RouteAuthorization.none() });
  }
  return stack;
}

describe('operationIds', () => {
  test('GIVEN routes whose derived ids do not collide THEN they keep the readable derived ids', () => {
    expect(operationIds(apiWith([['GET', '/items'], ['GET', '/items/{id}'], ['PUT', '/items/{id}']]))).toEqual({
      'GET /items': 'GetItems', 'GET /items/{id}': 'GetItemsById', 'PUT /items/{id}': 'PutItemsById',
    });
  });

  test.each([
    ['/a-b', '/a/b'],
    ['/items/by-id', '/items/{id}'],
  ])('GIVEN %s and %s (both derive the same id) THEN their operationIds differ', (first, second) => {
    const ids = operationIds(apiWith([['GET', first], ['GET', second]]));
    expect(ids[`GET ${first}`]).not.toEqual(ids[`GET ${second}`]);
    expect(ids[`GET ${first}`]).toMatch(/^Get[A-Za-z]+_[0-9A-F]{8}$/);
  });

  test('GIVEN colliding routes declared in either order THEN each keeps the same operationId (stable)', () => {
    expect(operationIds(apiWith([['GET', '/a-b'], ['GET', '/a/b']]))).toEqual(operationIds(apiWith([['GET', '/a/b'], ['GET', '/a-b']])));
  });

  test('GIVEN CORS and paths whose preflights derive the same id THEN the preflights\' operationIds differ', () => {
    const ids = operationIds(apiWith([['GET', '/a-b'], ['POST', '/a/b']], { cors: { allowOrigins: ['https://app.example.com'] } }));
    expect(ids['OPTIONS /a-b']).not.toEqual(ids['OPTIONS /a/b']);
    expect(ids['GET /a-b']).toBe('GetAB');
    expect(ids['POST /a/b']).toBe('PostAB');
  });

  test('GIVEN an explicit operationId THEN it is used, and a derived id equal to it moves aside', () => {
    const ids = operationIds(apiWith([['GET', '/a/b', 'GetAB'], ['GET', '/a-b']]));
    expect(ids['GET /a/b']).toBe('GetAB');
    expect(ids['GET /a-b']).toMatch(/^GetAB_[0-9A-F]{8}$/);
  });

  test('fails if two routes set the same operationId', () => {
    expect(() => apiWith([['GET', '/a', 'ListThings'], ['GET', '/b', 'ListThings']])).toThrow(
      "TestStack/Api: route 'GET /b' operationId is already the operationId of route 'GET /a' (received 'ListThings'). Give each route its own operationId.");
  });

  test('fails if an operationId given by hand is the suffixed id of a derived one', () => {
    // GET /a-b and GET /a/b both derive GetAB; GET /a-b moves aside to GetAB_<hash of 'GET /a-b'>, which GET /c took.
    expect(() => operationIds(apiWith([['GET', '/a/b'], ['GET', '/a-b'], ['GET', '/c', 'GetAB_408F79B6']]))).toThrow(
      "TestStack/Api: route 'GET /c' operationId is also the operationId of route 'GET /a-b' (received 'GetAB_408F79B6'). Give route 'GET /a-b' an operationId of its own.");
  });

  test('fails if an operationId is not an identifier', () => {
    expect(() => apiWith([['GET', '/a', 'list things']])).toThrow(
      "TestStack/Api: route 'GET /a' operationId is not an identifier (received 'list things'). Use letters, digits and underscores, starting with a letter, e.g. 'ListThings'.");
  });
});
