import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ServerlessApi, ServerlessApiProps } from '../../lib';
import { body } from '../auth/util';
import { inlineHandler, testStack } from '../util';

function api(props: ServerlessApiProps = {}) {
  const stack = testStack();
  const created = new ServerlessApi(stack, 'Api', props);
  created.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });
  return { stack, api: created, responses: () => body(stack)['x-amazon-apigateway-gateway-responses'] };
}

const EXPECTED_STATUS: Record<string, string | undefined> = {
  ACCESS_DENIED: '403', API_CONFIGURATION_ERROR: '500', AUTHORIZER_CONFIGURATION_ERROR: '500', AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_BODY: '400', BAD_REQUEST_PARAMETERS: '400', EXPIRED_TOKEN: '403', INTEGRATION_FAILURE: '504',
  INTEGRATION_TIMEOUT: '504', INVALID_API_KEY: '403', INVALID_SIGNATURE: '403', MISSING_AUTHENTICATION_TOKEN: '403',
  QUOTA_EXCEEDED: '429', REQUEST_TOO_LARGE: '413', RESOURCE_NOT_FOUND: '404', THROTTLED: '429', UNAUTHORIZED: '401',
  UNSUPPORTED_MEDIA_TYPE: '415', WAF_FILTERED: '403', DEFAULT_4XX: undefined, DEFAULT_5XX: undefined,
};
const SHAPE = '{"error":{"code":"$context.error.responseType","message":$context.error.messageString,"requestId":"$context.requestId"}}';

describe('gateway responses', () => {
  test('GIVEN an API THEN every response type is declared with API Gateway\'s status and the JSON error shape', () => {
    const { responses } = api();

    const rendered = responses();
    expect(Object.keys(rendered).sort()).toEqual(Object.keys(EXPECTED_STATUS).sort());
    for (const [type, status] of Object.entries(EXPECTED_STATUS)) {
      expect(rendered[type].statusCode).toBe(status);
      expect(rendered[type].responseTemplates).toEqual({ 'application/json': SHAPE });
      expect(rendered[type].responseParameters).toBeUndefined();
    }
  });

  test('GIVEN cors THEN every response type, not only the defaults, carries the CORS headers (a browser sees the real 401 or 429)', () => {
    const { responses } = api({ cors: { allowOrigins: ['https://app.example.com'] } });

    for (const type of Object.keys(EXPECTED_STATUS)) {
      expect(responses()[type].responseParameters).toEqual({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'gatewayresponse.header.Vary': "'Origin'",
      });
    }
  });

  test('GIVEN an override THEN that type takes its status, message and headers, and the others are unchanged', () => {
    const { api: created, responses } = api({ cors: { allowOrigins: ['*'] } });

    created.addGatewayResponse({ type: apigateway.ResponseType.THROTTLED, statusCode: 503, message: 'Slow down, please', headers: { 'Retry-After': '1' } });

    expect(responses().THROTTLED).toEqual({
      statusCode: '503',
      responseParameters: {
        'gatewayresponse.header.Retry-After': "'1'",
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
      },
      responseTemplates: {
        'application/json': '{"error":{"code":"$context.error.responseType","message":"Slow down, please","requestId":"$context.requestId"}}',
      },
    });
    expect(responses().QUOTA_EXCEEDED.statusCode).toBe('429');
  });

  test('GIVEN overrides in props THEN they apply like addGatewayResponse', () => {
    const { responses } = api({ gatewayResponses: [{ type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, statusCode: 404, message: 'No such route' }] });

    expect(responses().MISSING_AUTHENTICATION_TOKEN.statusCode).toBe('404');
    expect(responses().MISSING_AUTHENTICATION_TOKEN.responseTemplates['application/json']).toContain('"message":"No such route"');
  });

  test('fails if the type is not one API Gateway knows', () => {
    const { api: created } = api();
    expect(() => created.addGatewayResponse({ type: apigateway.ResponseType.of('TEAPOT') }))
      .toThrow(/Api: addGatewayResponse type is not an API Gateway response type \(received 'TEAPOT'\)\. Use apigateway\.ResponseType\.THROTTLED/);
  });

  test('fails if the status is not an error status', () => {
    expect(() => api({ gatewayResponses: [{ type: apigateway.ResponseType.UNAUTHORIZED, statusCode: 200 }] }))
      .toThrow(/Api: gatewayResponses UNAUTHORIZED statusCode is not an error status from 400 to 599 \(received 200\)\. A gateway response answers an error/);
  });

  test('fails if the message would be evaluated by the mapping template', () => {
    const { api: created } = api();
    expect(() => created.addGatewayResponse({ type: apigateway.ResponseType.UNAUTHORIZED, message: 'Pay $5' }))
      .toThrow(/addGatewayResponse UNAUTHORIZED message contains '\$', '#' or '\\', which the mapping template would evaluate \(received 'Pay \$5'\)\. Write the message as plain text\./);
  });

  test('fails if a header value holds a single quote', () => {
    const { api: created } = api();
    expect(() => created.addGatewayResponse({ type: apigateway.ResponseType.THROTTLED, headers: { 'Retry-After': "'1'" } }))
      .toThrow(/addGatewayResponse THROTTLED headers is not a header name with a literal value without single quotes \(received \{"Retry-After":"'1'"\}\)/);
  });
});
