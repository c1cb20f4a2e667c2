import { Template } from 'aws-cdk-lib/assertions';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';
import { body } from './util';

/**
 * What API Gateway's OpenAPI import documents for a method's `security`: one requirement object per
 * scheme, the API key as its own object (`{ api_key: [] }`, "for each method, create a security
 * requirement object to require an API key"), one authorizer per method, scopes only on Cognito
 * user pool authorizers, every scheme declared under components.securitySchemes. With FailOnWarnings,
 * anything else fails the deployment; the library rejects it at synth.
 */
function keyApi(): { stack: ReturnType<typeof testStack>; api: ServerlessApi } {
  const stack = testStack();
  const api = new ServerlessApi(stack, 'Api', { cognito: { userPoolProps: { callbackUrls: ['https://app.example.com/callback'] } } });
  api.addUsagePlan('Free');
  return { stack, api };
}

describe('FailOnWarnings', () => {
  test('GIVEN any API THEN the RestApi fails its import on warnings instead of leaving a method half-configured', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { FailOnWarnings: true });
  });
});

describe('security requirements in the documented import forms', () => {
  test('GIVEN a Cognito route with apiKeyRequired THEN the authorizer and the API key are separate requirement objects', () => {
    const { stack, api } = keyApi();
    api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito(['api/items.write']), apiKeyRequired: true });

    expect(body(stack).paths['/items'].post.security).toEqual([{ CognitoUserPool: ['api/items.write'] }, { api_key: [] }]);
  });

  test('GIVEN an IAM route with apiKeyRequired THEN sigv4 and the API key are separate requirement objects', () => {
    const { stack, api } = keyApi();
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler(), apiKeyRequired: true });

    expect(body(stack).paths['/items'].get.security).toEqual([{ sigv4: [] }, { api_key: [] }]);
  });

  test('GIVEN a public route with apiKeyRequired THEN its only requirement is the API key', () => {
    const { stack, api } = keyApi();
    api.addRoute({ method: 'GET', path: '/catalog', handler: inlineHandler(), authorization: RouteAuthorization.none(), apiKeyRequired: true });

    expect(body(stack).paths['/catalog'].get.security).toEqual([{ api_key: [] }]);
  });

  test('fails if an operation names two authorizers (API Gateway takes one per method)', () => {
    const { stack, api } = keyApi();
    api._extendOperations((_m, _p, operation) => { operation.security = [{ sigv4: [] }, { CognitoUserPool: [] }]; });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(() => Template.fromStack(stack)).toThrow(
      "TestStack/Api: route 'GET /items' security names the authorizers sigv4 and CognitoUserPool (received [{\"sigv4\":[]}, {\"CognitoUserPool\":[]}]). "
      + 'API Gateway gives a method one authorizer: keep one, plus { api_key: [] } as its own requirement when the route needs a key.');
  });

  test('fails if an operation combines the API key with an authorizer in one requirement object', () => {
    const { stack, api } = keyApi();
    api._extendOperations((_m, _p, operation) => { operation.security = [{ sigv4: [], api_key: [] }]; });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(() => Template.fromStack(stack)).toThrow(
      "TestStack/Api: route 'GET /items' security puts api_key in one requirement object with sigv4 (received [{\"sigv4\":[],\"api_key\":[]}]). "
      + 'API Gateway documents the API key as its own requirement object: write [{ sigv4: [] }, { api_key: [] }].');
  });

  test('fails if an operation names a scheme the body does not declare', () => {
    const { stack, api } = keyApi();
    api._extendOperations((_m, _p, operation) => { operation.security = [{ partnerAuth: [] }]; });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(() => Template.fromStack(stack)).toThrow(
      "TestStack/Api: route 'GET /items' security names the scheme partnerAuth, which components.securitySchemes does not declare (received [{\"partnerAuth\":[]}]). "
      + 'Declare it, or use RouteAuthorization.lambda(authorizer) so the library declares it.');
  });

  test('fails if scopes sit on a scheme other than a Cognito user pool', () => {
    const { stack, api } = keyApi();
    api._extendOperations((_m, _p, operation) => { operation.security = [{ sigv4: ['api/items.read'] }]; });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(() => Template.fromStack(stack)).toThrow(
      "TestStack/Api: route 'GET /items' security gives scopes to sigv4, which is not a Cognito user pool authorizer (received [{\"sigv4\":[\"api/items.read\"]}]). "
      + 'API Gateway enforces scopes on Cognito user pool authorizers only: use RouteAuthorization.cognito(scopes).');
  });
});
