import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';
import { body } from './util';

function corsApi(cors: ConstructorParameters<typeof ServerlessApi>[2] = {}) {
  const stack = testStack();
  const api = new ServerlessApi(stack, 'Api', { cors: { allowOrigins: ['https://app.example.com'] }, ...cors });
  api.addRoute({ method: 'GET', path: '/items/{id}', handler: inlineHandler() });
  api.addRoute({ method: 'PUT', path: '/items/{id}', handler: inlineHandler() });
  return { stack, api };
}

describe('CORS', () => {
  test('GIVEN cors on an IAM-default API THEN every path gets an OPTIONS preflight without auth, answered by a MOCK integration', () => {
    const { stack } = corsApi();

    const options = body(stack).paths['/items/{id}'].options;
    expect(options.security).toEqual([]);
    expect(options.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(options['x-amazon-apigateway-integration']).toMatchObject({
      type: 'mock',
      requestTemplates: { 'application/json': '{"statusCode": 204}' },
      responses: { default: { statusCode: '204' } },
    });
    expect(body(stack).paths['/items/{id}'].get.security).toEqual([{ sigv4: [] }]);
  });

  test('GIVEN a Cognito-default API THEN the preflight still has no auth', () => {
    const { stack } = corsApi({ cognito: {}, defaultAuthorization: RouteAuthorization.cognito() });

    expect(body(stack).paths['/items/{id}'].options.security).toEqual([]);
    expect(body(stack).paths['/items/{id}'].put.security).toEqual([{ CognitoUserPool: [] }]);
  });

  test('GIVEN default options THEN the preflight allows the origin, the path\'s methods, the default headers for an hour', () => {
    const { stack } = corsApi();

    const integration = body(stack).paths['/items/{id}'].options['x-amazon-apigateway-integration'];
    expect(integration.responses.default.responseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'method.response.header.Access-Control-Allow-Methods': "'GET,PUT,OPTIONS'",
      'method.response.header.Access-Control-Allow-Headers': "'Content-Type,Authorization,X-Api-Key,X-Amz-Date,X-Amz-Security-Token'",
      'method.response.header.Access-Control-Max-Age': "'3600'",
      'method.response.header.Vary': "'Origin'",
    });
    expect(Object.keys(body(stack).paths['/items/{id}'].options.responses['204'].headers)).toEqual([
      'Access-Control-Allow-Origin', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers', 'Access-Control-Max-Age', 'Vary',
    ]);
  });

  test('GIVEN methods, headers, credentials and max age THEN the preflight uses them', () => {
    const { stack } = corsApi({
      cors: {
        allowOrigins: ['https://app.example.com'], allowMethods: ['GET'], allowHeaders: ['X-Custom'],
        allowCredentials: true, maxAge: Duration.minutes(5),
      },
    });

    expect(body(stack).paths['/items/{id}'].options['x-amazon-apigateway-integration'].responses.default.responseParameters).toMatchObject({
      'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'",
      'method.response.header.Access-Control-Allow-Headers': "'X-Custom'",
      'method.response.header.Access-Control-Allow-Credentials': "'true'",
      'method.response.header.Access-Control-Max-Age': "'300'",
    });
  });

  test('GIVEN several origins THEN the preflight echoes the request origin when it is one of them', () => {
    const { stack } = corsApi({ cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'] } });

    const template = body(stack).paths['/items/{id}'].options['x-amazon-apigateway-integration'].responses.default.responseTemplates['application/json'];
    expect(template).toContain('#if($origin == "https://b.example.com")');
    expect(template).toContain('#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)');
  });

  test('GIVEN cors THEN gateway 4XX and 5XX responses carry the CORS headers', () => {
    const { stack } = corsApi();

    const responses = body(stack)['x-amazon-apigateway-gateway-responses'];
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(responses[type].responseParameters).toEqual({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'gatewayresponse.header.Vary': "'Origin'",
      });
      expect(responses[type].responseTemplates['application/json']).toContain('$context.error.responseType');
    }
  });

  test('GIVEN no cors THEN no preflight and no CORS headers on gateway responses', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(body(stack).paths['/items'].options).toBeUndefined();
    expect(body(stack)['x-amazon-apigateway-gateway-responses'].DEFAULT_4XX.responseParameters).toBeUndefined();
  });

  test('GIVEN cors THEN the functions the API creates get CORS_ALLOW_ORIGINS', () => {
    const { stack } = corsApi({ cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'] } });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CORS_ALLOW_ORIGINS: 'https://a.example.com,https://b.example.com' }) },
    });
  });
});
