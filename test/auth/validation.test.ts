import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { LambdaAuthorizer, RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';
import { authorizerFunction } from './util';

describe('authorization props that fail at synth', () => {
  test('fails if a route uses cognito() and the API has no cognito config', () => {
    const api = new ServerlessApi(testStack(), 'Api');

    expect(() => api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito() })).toThrow(
      "TestStack/Api: route 'POST /items' authorization needs a Cognito user pool, but the API's cognito prop is not set (received 'RouteAuthorization.cognito()'). Set cognito: {} (a new user pool) or cognito: { userPool } on the ServerlessApi.");
  });

  test('fails if defaultAuthorization is cognito() and the API has no cognito config', () => {
    expect(() => new ServerlessApi(testStack(), 'Api', { defaultAuthorization: RouteAuthorization.cognito() })).toThrow(
      "TestStack/Api: defaultAuthorization needs a Cognito user pool, but cognito is not set (received 'RouteAuthorization.cognito()'). Set cognito: {} (a new user pool) or cognito: { userPool }.");
  });

  test('fails if cognito has both userPool and userPoolProps', () => {
    const stack = testStack();
    const userPool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc');

    expect(() => new ServerlessApi(stack, 'Api', { cognito: { userPool, userPoolProps: {} } })).toThrow(
      "TestStack/Api: cognito.userPool and cognito.userPoolProps are both set (received 'a user pool'). Pass an existing user pool or props for a new one, not both.");
  });

  test('fails if a scope contains whitespace', () => {
    const api = new ServerlessApi(testStack(), 'Api', { cognito: {} });

    expect(() => api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito(['api/items write']) })).toThrow(
      "TestStack/Api: route 'POST /items' authorization scopes is not an OAuth scope (empty, blank, or with spaces or quotes) (received 'api/items write'). Write scopes as they appear in access tokens, e.g. 'api/items.write'.");
  });

  test('fails if a scope is empty', () => {
    const api = new ServerlessApi(testStack(), 'Api', { cognito: {} });

    expect(() => api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito(['']) })).toThrow(
      "TestStack/Api: route 'POST /items' authorization scopes is not an OAuth scope (empty, blank, or with spaces or quotes) (received ''). Write scopes as they appear in access tokens, e.g. 'api/items.write'.");
  });

  test('fails if a request authorizer has no identity sources', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const authorizer = LambdaAuthorizer.request({ handler: authorizerFunction(stack, 'Auth'), identitySources: [] });

    expect(() => api.addRoute({ method: 'GET', path: '/p', handler: inlineHandler(), authorization: RouteAuthorization.lambda(authorizer) })).toThrow(
      "TestStack/Api: authorizer 'AuthAuthorizer' identitySources is empty (received []). Name at least one request value the decision depends on, e.g. 'method.request.header.x-partner-id'.");
  });

  test('fails if an identity source is an empty string', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const authorizer = LambdaAuthorizer.request({ handler: authorizerFunction(stack, 'Auth'), identitySources: [''] });

    expect(() => api.addRoute({ method: 'GET', path: '/p', handler: inlineHandler(), authorization: RouteAuthorization.lambda(authorizer) })).toThrow(
      "TestStack/Api: authorizer 'AuthAuthorizer' identitySources is not an identity source (received ''). Use method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<name>.");
  });

  test('fails if an identity source is a bare header name', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const authorizer = LambdaAuthorizer.request({ handler: authorizerFunction(stack, 'Auth'), identitySources: ['x-partner-id'] });

    expect(() => api.addRoute({ method: 'GET', path: '/p', handler: inlineHandler(), authorization: RouteAuthorization.lambda(authorizer) })).toThrow(
      /authorizer 'AuthAuthorizer' identitySources is not an identity source \(received 'x-partner-id'\)/);
  });

  test('fails if a token authorizer header is empty', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const authorizer = LambdaAuthorizer.token({ handler: authorizerFunction(stack, 'Auth'), headerName: '' });

    expect(() => api.addRoute({ method: 'GET', path: '/p', handler: inlineHandler(), authorization: RouteAuthorization.lambda(authorizer) })).toThrow(
      "TestStack/Api: authorizer 'AuthAuthorizer' headerName is not an HTTP header name (received ''). Use e.g. 'Authorization'.");
  });

  test('fails if the results cache TTL is above an hour', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const authorizer = LambdaAuthorizer.token({ handler: authorizerFunction(stack, 'Auth'), resultsCacheTtl: Duration.hours(2) });

    expect(() => api.addRoute({ method: 'GET', path: '/p', handler: inlineHandler(), authorization: RouteAuthorization.lambda(authorizer) })).toThrow(
      "TestStack/Api: authorizer 'AuthAuthorizer' resultsCacheTtl must be from 0 to 3600 seconds (received '2 hours'). Use e.g. Duration.minutes(5), or Duration.seconds(0) to call the authorizer on every request.");
  });

  test('fails on the 11th authorizer of an API (the user pool counts)', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { cognito: {} });
    for (let i = 1; i <= 9; i++) {
      const authorizer = LambdaAuthorizer.token({ handler: authorizerFunction(stack, `Auth${i}`) });
      api.addRoute({ method: 'GET', path: `/p${i}`, handler: inlineHandler(), authorization: RouteAuthorization.lambda(authorizer) });
    }
    const eleventh = LambdaAuthorizer.token({ handler: authorizerFunction(stack, 'Auth10') });

    expect(() => api.addRoute({ method: 'GET', path: '/p10', handler: inlineHandler(), authorization: RouteAuthorization.lambda(eleventh) })).toThrow(
      "TestStack/Api: route 'GET /p10' authorization would be authorizer number 11 of the API (received 'Auth10Authorizer'). API Gateway allows 10 authorizers per API (a Cognito user pool counts as one): share authorizers between routes.");
  });

  test('fails if a route declares OPTIONS while cors is on', () => {
    const api = new ServerlessApi(testStack(), 'Api', { cors: { allowOrigins: ['https://app.example.com'] } });

    expect(() => api.addRoute({ method: 'OPTIONS', path: '/items', handler: inlineHandler() })).toThrow(
      "TestStack/Api: route 'OPTIONS /items' method is declared while cors is on, and the API answers preflight OPTIONS itself (received 'OPTIONS'). Drop the OPTIONS route, or drop cors and answer preflight requests in your handler.");
  });

  test('fails if cors allows credentials with the * origin', () => {
    expect(() => new ServerlessApi(testStack(), 'Api', { cors: { allowOrigins: ['*'], allowCredentials: true } })).toThrow(
      "TestStack/Api: cors.allowCredentials is set with the '*' origin, which browsers reject (received true). List the allowed origins explicitly, or drop allowCredentials.");
  });

  test('fails if an origin has a path', () => {
    expect(() => new ServerlessApi(testStack(), 'Api', { cors: { allowOrigins: ['https://app.example.com/'] } })).toThrow(
      "TestStack/Api: cors.allowOrigins is not an origin (received 'https://app.example.com/'). An origin is scheme, host and optional port without a path or trailing slash, e.g. 'https://app.example.com'.");
  });

  test('fails if cors has no origins', () => {
    expect(() => new ServerlessApi(testStack(), 'Api', { cors: { allowOrigins: [] } })).toThrow(
      "TestStack/Api: cors.allowOrigins is empty (received []). List the origins allowed to call the API, e.g. ['https://app.example.com'].");
  });

  test('fails if a CIDR block is malformed', () => {
    expect(() => new ServerlessApi(testStack(), 'Api', { sourceIpPolicy: { allow: ['10.0.0.0/33'] } })).toThrow(
      "TestStack/Api: sourceIpPolicy.allow is not an IPv4 or IPv6 CIDR block (received '10.0.0.0/33'). Use e.g. '203.0.113.0/24', '198.51.100.7' or '2001:db8::/32'.");
  });

  test('fails if an IPv6 CIDR block is malformed', () => {
    expect(() => new ServerlessApi(testStack(), 'Api', { sourceIpPolicy: { deny: ['2001:db8::g/32'] } })).toThrow(
      /sourceIpPolicy.deny is not an IPv4 or IPv6 CIDR block \(received '2001:db8::g\/32'\)/);
  });

  test('fails if sourceIpPolicy lists no addresses', () => {
    expect(() => new ServerlessApi(testStack(), 'Api', { sourceIpPolicy: { allow: [], deny: [] } })).toThrow(
      'TestStack/Api: sourceIpPolicy has neither allow nor deny addresses (received {"allow":[],"deny":[]}). List CIDR blocks in allow (only they may call) or deny (they may not), or drop sourceIpPolicy.');
  });
});

describe('token authorizer validation expression', () => {
  test('fails if validationRegex does not compile', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const authorizer = LambdaAuthorizer.token({ handler: authorizerFunction(stack, 'Auth'), validationRegex: '^Bearer (' });

    expect(() => api.addRoute({ method: 'GET', path: '/p', handler: inlineHandler(), authorization: RouteAuthorization.lambda(authorizer) })).toThrow(
      "TestStack/Api: authorizer 'AuthAuthorizer' validationRegex is not a regular expression (received '^Bearer ('). Give the pattern a valid token matches, e.g. '^Bearer [-0-9A-Za-z._~+/]+=*$', or drop it.");
  });
});
