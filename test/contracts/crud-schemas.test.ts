import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { RouteSchema, ServerlessApi } from '../../lib';
import { testStack } from '../util';

function body(stack: Stack): any {
  return Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

const { OBJECT, STRING, INTEGER } = apigateway.JsonSchemaType;
const PRODUCT = RouteSchema.fromObject({
  type: OBJECT,
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: STRING, minLength: 1 }, stock: { type: INTEGER, minimum: 0 } },
});

describe('the schemas of a CRUD resource', () => {
  test('GIVEN no item schema THEN the resource declares its item, requests, page and error, and its routes use them', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api').addCrudResource('items');
    const b = body(stack);
    expect(Object.keys(b.components.schemas).sort()).toEqual(['Error', 'Item', 'ItemCreateRequest', 'ItemPage', 'ItemUpdateRequest']);
    expect(b.components.schemas.Item.required).toEqual(['id', 'version']);
    expect(b.components.schemas.ItemUpdateRequest.required).toEqual(['version']);
    expect(b.components.schemas.ItemPage.properties.items).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Item' } });
    expect(b.paths['/items'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ItemCreateRequest' });
    expect(b.paths['/items/{id}'].put.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ItemUpdateRequest' });
    expect(b.paths['/items'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ItemPage' });
    expect(b.paths['/items/{id}'].get.responses['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(b.paths['/items'].get.parameters).toEqual([
      { name: 'limit', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'nextToken', in: 'query', required: false, schema: { type: 'string' } },
    ]);
  });

  test('GIVEN an item schema THEN it extends every item schema, keeps its required and closedness, and the handlers get it', () => {
    const stack = testStack();
    const crud = new ServerlessApi(stack, 'Api').addCrudResource('products', { itemSchema: PRODUCT });
    const schemas = body(stack).components.schemas;
    expect(schemas.Product).toEqual({
      type: 'object', additionalProperties: false, required: ['name', 'id', 'version'],
      properties: {
        name: { type: 'string', minLength: 1 }, stock: { type: 'integer', minimum: 0 },
        id: { type: 'string', minLength: 1, maxLength: 1024 }, version: { type: 'integer', minimum: 1 },
        createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' },
      },
    });
    expect(schemas.ProductCreateRequest.required).toEqual(['name']);
    expect(Object.keys(schemas.ProductCreateRequest.properties)).toEqual(['name', 'stock', 'id']);
    expect(schemas.ProductUpdateRequest.required).toEqual(['name', 'version']);
    const fnId = stack.resolve((crud.createFunction.node.defaultChild as any).logicalId);
    const env = Template.fromStack(stack).toJSON().Resources[fnId].Properties.Environment.Variables;
    expect(JSON.parse(env.ITEM_SCHEMA)).toEqual({
      type: 'object', required: ['name'], additionalProperties: false,
      properties: { id: { type: 'string', minLength: 1, maxLength: 1024 }, name: { type: 'string', minLength: 1 }, stock: { type: 'integer', minimum: 0 } },
    });
  });

  test('GIVEN no item schema THEN the functions get no ITEM_SCHEMA', () => {
    const stack = testStack();
    const crud = new ServerlessApi(stack, 'Api').addCrudResource('items');
    const fnId = stack.resolve((crud.createFunction.node.defaultChild as any).logicalId);
    expect(Template.fromStack(stack).toJSON().Resources[fnId].Properties.Environment.Variables.ITEM_SCHEMA).toBeUndefined();
  });

  test('GIVEN an item schema by reference THEN the handlers get it with the reference inlined', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', {
      schemas: {
        Money: RouteSchema.fromJson('{"type":"object","required":["amount"],"properties":{"amount":{"type":"integer"}}}'),
        OrderData: RouteSchema.fromJson('{"type":"object","properties":{"total":{"$ref":"#/components/schemas/Money"}}}'),
      },
    });
    const crud = api.addCrudResource('orders', { itemSchema: RouteSchema.ref('OrderData') });
    const fnId = stack.resolve((crud.createFunction.node.defaultChild as any).logicalId);
    const env = Template.fromStack(stack).toJSON().Resources[fnId].Properties.Environment.Variables;
    expect(JSON.parse(env.ITEM_SCHEMA).properties.total).toEqual({ type: 'object', required: ['amount'], properties: { amount: { type: 'integer' } } });
    expect(body(stack).components.schemas.Order.properties.total).toEqual({ type: 'object', required: ['amount'], properties: { amount: { type: 'integer' } } });
  });

  test('fails when a schema of the API already has the name of the resource\'s item schema', () => {
    const api = new ServerlessApi(testStack(), 'Api', { schemas: { Order: RouteSchema.fromJson('{"type":"object"}') } });
    expect(() => api.addCrudResource('orders'))
      .toThrow(/TestStack\/Api: itemSchema \(as Order\) is already declared with another schema \(received 'Order'\)\. Give each schema its own name\./);
  });

  test('fails on an item schema that declares the version attribute', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    expect(() => api.addCrudResource('items', { itemSchema: RouteSchema.fromJson('{"type":"object","properties":{"version":{"type":"integer"}}}') }))
      .toThrow(/TestStack\/Api\/Items: itemSchema properties\['version'\] is an attribute the handlers manage \(received 'version'\)\. Drop it from the schema/);
  });

  test('fails on an item schema that is not an object schema', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    expect(() => api.addCrudResource('items', { itemSchema: RouteSchema.fromJson('{"type":"array"}') }))
      .toThrow(/TestStack\/Api\/Items: itemSchema is not an object schema \(type: 'object'\) \(received 'array'\)/);
  });

  test('fails on an item schema declaring the partition key as a number', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    expect(() => api.addCrudResource('items', { itemSchema: RouteSchema.fromJson('{"type":"object","properties":{"id":{"type":"integer"}}}') }))
      .toThrow(/itemSchema properties\['id'\] is the partition key, which is a string \(received 'integer'\)/);
  });

  test('fails on an item schema API Gateway would refuse, naming the pointer', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    expect(() => api.addCrudResource('items', { itemSchema: RouteSchema.fromJson('{"type":"object","properties":{"n":{"type":"number","exclusiveMinimum":0}}}') }))
      .toThrow(/TestStack\/Api\/Items: itemSchema at '\/properties\/n\/exclusiveMinimum' is not supported by API Gateway models .*\(received 'a schema'\)\. API Gateway does not support exclusiveMinimum/);
  });

  test('fails on an item schema too large for the functions\' environment', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    const properties = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`attribute${i}`, { type: 'string', description: 'x'.repeat(10) }]));
    expect(() => api.addCrudResource('items', { itemSchema: RouteSchema.fromJson(JSON.stringify({ type: 'object', properties })) }))
      .toThrow(/itemSchema is too large for the handlers' environment \(at most 3000 characters as JSON, references inlined\)/);
  });

  test('fails on an item schema referencing a schema not declared yet', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    expect(() => api.addCrudResource('items', { itemSchema: RouteSchema.fromJson('{"type":"object","properties":{"a":{"$ref":"#/components/schemas/Later"}}}') }))
      .toThrow(/itemSchema references a schema the API does not declare \(yet\) \(received '#\/components\/schemas\/Later'\)\. Declare 'Later'/);
  });
});
