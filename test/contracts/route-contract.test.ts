import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { Integration, RouteAuthorization, RouteSchema, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';

function body(stack: Stack): any {
  const apis = Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi');
  return Object.values(apis)[0].Properties.Body;
}

const ITEM = RouteSchema.fromObject({
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['name'],
  properties: { name: { type: apigateway.JsonSchemaType.STRING, minLength: 1 }, tags: { type: apigateway.JsonSchemaType.ARRAY, items: { type: apigateway.JsonSchemaType.STRING } } },
});

describe('route contracts in the OpenAPI body', () => {
  test('GIVEN a request schema THEN the operation requires a JSON body of a model in components.schemas', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), requestSchema: ITEM });
    const b = body(stack);
    expect(b.paths['/items'].post.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/PostItemsRequest' } } } });
    expect(b.components.schemas.PostItemsRequest).toEqual({
      type: 'object', required: ['name'],
      properties: { name: { type: 'string', minLength: 1 }, tags: { type: 'array', items: { type: 'string' } } },
    });
  });

  test('GIVEN a named schema THEN routes reference it once, by name', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { schemas: { Item: ITEM } });
    api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), requestSchema: RouteSchema.ref('Item'), responseSchemas: { 201: RouteSchema.ref('Item') } });
    api.addRoute({ method: 'GET', path: '/items/{id}', handler: inlineHandler(), responseSchemas: { 200: RouteSchema.ref('Item') } });
    const b = body(stack);
    expect(Object.keys(b.components.schemas)).toEqual(['Item']);
    expect(b.paths['/items'].post.responses['201']).toEqual({ description: '201 response', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } });
    expect(b.paths['/items/{id}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Item' });
  });

  test('GIVEN a schema file THEN its schema is the model', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-'));
    const file = path.join(dir, 'order.json');
    fs.writeFileSync(file, JSON.stringify({ type: 'object', properties: { qty: { type: 'integer', minimum: 1 } } }));
    const stack = testStack();
    new ServerlessApi(stack, 'Api', { routes: [{ method: 'PUT', path: '/orders/{id}', handler: inlineHandler(), requestSchema: RouteSchema.fromFile(file) }] });
    expect(body(stack).components.schemas.PutOrdersByIdRequest).toEqual({ type: 'object', properties: { qty: { type: 'integer', minimum: 1 } } });
  });

  test('GIVEN query and header parameters THEN they are declared, required or not, after the path parameters', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api', {
      routes: [{ method: 'GET', path: '/items/{id}', handler: inlineHandler(), queryParameters: { fields: false, version: true }, headerParameters: { 'X-Tenant': true } }],
    });
    expect(body(stack).paths['/items/{id}'].get.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'fields', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'version', in: 'query', required: true, schema: { type: 'string' } },
      { name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } },
    ]);
  });

  test('GIVEN validated routes THEN the existing all validator checks them and a body failure answers the validator\'s detail in the library error shape', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api', { routes: [{ method: 'POST', path: '/items', handler: inlineHandler(), requestSchema: ITEM }] });
    const b = body(stack);
    expect(b['x-amazon-apigateway-request-validator']).toBe('all');
    expect(b['x-amazon-apigateway-gateway-responses'].BAD_REQUEST_BODY).toEqual({
      statusCode: '400',
      responseTemplates: {
        'application/json': '{"error":{"code":"BAD_REQUEST_BODY","message":"$context.error.validationErrorString","requestId":"$context.requestId"}}',
      },
    });
    // Parameters: the API's own response, whose messageString names them ('Missing required request parameters: [q]').
    expect(b['x-amazon-apigateway-gateway-responses'].BAD_REQUEST_PARAMETERS.responseTemplates['application/json'])
      .toBe('{"error":{"code":"$context.error.responseType","message":$context.error.messageString,"requestId":"$context.requestId"}}');
  });

  test('GIVEN no contract THEN the body has no components.schemas and BAD_REQUEST_BODY keeps the API\'s own message', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api', { routes: [{ method: 'GET', path: '/a', handler: inlineHandler() }] });
    const b = body(stack);
    expect(b.components?.schemas).toBeUndefined();
    expect(b['x-amazon-apigateway-gateway-responses'].BAD_REQUEST_BODY.responseTemplates['application/json']).toContain('$context.error.messageString');
    expect(b.paths['/a'].get.responses).toEqual({});
  });

  test('GIVEN only response schemas THEN BAD_REQUEST_BODY keeps the API\'s own message', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api', { routes: [{ method: 'GET', path: '/a', handler: inlineHandler(), responseSchemas: { 200: ITEM } }] });
    expect(body(stack)['x-amazon-apigateway-gateway-responses'].BAD_REQUEST_BODY.responseTemplates['application/json']).toContain('$context.error.messageString');
  });

  test('GIVEN an override of BAD_REQUEST_BODY THEN the contract keeps it', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api', {
      gatewayResponses: [{ type: apigateway.ResponseType.BAD_REQUEST_BODY, message: 'Not a valid item' }],
      routes: [{ method: 'POST', path: '/items', handler: inlineHandler(), requestSchema: ITEM }],
    });
    expect(body(stack)['x-amazon-apigateway-gateway-responses'].BAD_REQUEST_BODY.responseTemplates['application/json']).toContain('"message":"Not a valid item"');
  });

  test('GIVEN CORS THEN the validation responses carry the CORS headers too', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api', {
      cors: { allowOrigins: ['https://app.example.com'] },
      routes: [{ method: 'POST', path: '/items', handler: inlineHandler(), requestSchema: ITEM, authorization: RouteAuthorization.none() }],
    });
    const responses = body(stack)['x-amazon-apigateway-gateway-responses'];
    expect(responses.BAD_REQUEST_BODY.responseParameters).toEqual(responses.DEFAULT_4XX.responseParameters);
    expect(Object.keys(responses.BAD_REQUEST_BODY.responseParameters).length).toBeGreaterThan(0);
  });

  test('GIVEN a mock integration with a response schema THEN the schema joins the mock\'s method response', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api', {
      routes: [{
        method: 'GET', path: '/health', integration: Integration.mock({ statusCode: 200, body: '{"status":"ok"}' }), authorization: RouteAuthorization.none(),
        responseSchemas: { 200: RouteSchema.fromJson('{"type":"object","properties":{"status":{"type":"string"}}}') },
      }],
    });
    const response = body(stack).paths['/health'].get.responses['200'];
    expect(response.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/GetHealthResponse200' });
    expect(response.headers).toBeDefined();
  });

  test('fails on a parameter map whose value is not a boolean', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    expect(() => api.addRoute({ method: 'GET', path: '/a', handler: inlineHandler(), queryParameters: { limit: 'yes' as unknown as boolean } }))
      .toThrow(/route 'GET \/a' queryParameters\['limit'\] is not a parameter name mapped to true \(required\) or false \(optional\) \(received 'yes'\)/);
  });

  test('fails on a requestSchema that is not a RouteSchema', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    expect(() => api.addRoute({ method: 'POST', path: '/a', handler: inlineHandler(), requestSchema: { type: 'object' } as unknown as RouteSchema }))
      .toThrow(/route 'POST \/a' requestSchema is not a RouteSchema .*Use RouteSchema\.fromObject/);
  });
});
