import * as fs from 'fs';
import * as path from 'path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ApiDomain, Integration, RouteAuthorization, RouteSchema, ServerlessApi } from '../../lib';
import { EU_CERT_ARN, importedCertificate, prodStack, zone } from '../domain/fixtures';
import { oas30Schema } from '../../lib/contracts/openapi-export';
import { inlineHandler, testApp, testStack } from '../util';

/** A full API: CRUD with an item schema, Cognito with scopes, IAM, an API key route, a greedy path, ANY. */
function fullApi(stack: Stack): ServerlessApi {
  const api = new ServerlessApi(stack, 'Api', { stageName: 'prod', cognito: { userPoolProps: { callbackUrls: ['https://app.example.com/callback'] } }, description: 'Items service' });
  api.addCrudResource('items', {
    itemSchema: RouteSchema.fromJson('{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}'),
    readAuthorization: RouteAuthorization.cognito(['api/read']),
    writeAuthorization: RouteAuthorization.cognito(['api/write']),
  });
  api.addRoute({ method: 'GET', path: '/reports', handler: inlineHandler(), apiKeyRequired: true, queryParameters: { month: true } });
  api.addRoute({ method: 'ANY', path: '/files/{proxy+}', handler: inlineHandler() }); // IAM by default
  api.addRoute({ method: 'GET', path: '/health', integration: Integration.mock({ statusCode: 200, body: '{"ok":true}' }), authorization: RouteAuthorization.none() });
  api.addUsagePlan('Plan');
  return api;
}

function exported(app: App, dir: string, file: string): any {
  const assembly = app.synth();
  return JSON.parse(fs.readFileSync(path.join(assembly.directory, dir, 'openapi', file), 'utf8'));
}

describe('the OpenAPI document for clients, in the cloud assembly', () => {
  test('GIVEN a stack of the app THEN cdk.out/openapi/<stack>-<api>.json holds a document valid per swagger-parser', async () => {
    const app = testApp();
    fullApi(testStack(app));
    const doc = exported(app, '', 'TestStack-Api.json');
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.info).toEqual({ title: expect.any(String), description: 'Items service', version: '1.0' });
  });

  test('GIVEN the document THEN it holds no AWS extension and no ARN', () => {
    const app = testApp();
    fullApi(testStack(app));
    const text = JSON.stringify(exported(app, '', 'TestStack-Api.json'));
    expect(text).not.toContain('x-amazon-apigateway');
    expect(text).not.toMatch(/arn:/);
    expect(text).not.toContain('Fn::');
    expect(text).not.toContain('(resolved at deploy)');
  });

  test('GIVEN routes with contracts THEN paths, operationIds, parameters, request bodies and schemas are kept', () => {
    const app = testApp();
    fullApi(testStack(app));
    const doc = exported(app, '', 'TestStack-Api.json');
    expect(doc.paths['/items'].post.operationId).toBe('PostItems');
    expect(doc.paths['/items'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ItemCreateRequest' });
    expect(doc.paths['/reports'].get.parameters).toEqual([{ name: 'month', in: 'query', required: true, schema: { type: 'string' } }]);
    expect(doc.components.schemas.Item.required).toEqual(['name', 'id', 'version']);
    expect(doc.paths['/reports'].get.responses).toEqual({ default: { description: 'The response of the integration (undeclared)' } });
  });

  test('GIVEN a greedy path and ANY THEN the document has the parameter proxy and one operation per method', () => {
    const app = testApp();
    fullApi(testStack(app));
    const doc = exported(app, '', 'TestStack-Api.json');
    expect(Object.keys(doc.paths['/files/{proxy}']).sort()).toEqual(['delete', 'get', 'head', 'patch', 'post', 'put']);
    expect(doc.paths['/files/{proxy}'].get.operationId).toBe('AnyFilesProxyGet');
    expect(doc.paths['/files/{proxy}'].get.parameters).toEqual([{ name: 'proxy', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  test('GIVEN Cognito, IAM and API key routes THEN the security schemes are a bearer JWT, SigV4 described as an extension, and the key header', () => {
    const app = testApp();
    fullApi(testStack(app));
    const doc = exported(app, '', 'TestStack-Api.json');
    expect(doc.components.securitySchemes).toEqual({
      CognitoUserPool: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: expect.stringContaining('Cognito user pool token') },
      sigv4: { 'type': 'apiKey', 'in': 'header', 'name': 'Authorization', 'description': expect.stringContaining('Signature Version 4'), 'x-sigv4': { service: 'execute-api', region: 'eu-west-1' } },
      api_key: { type: 'apiKey', in: 'header', name: 'x-api-key', description: expect.any(String) },
    });
    expect(doc.paths['/items'].get.security).toEqual([{ CognitoUserPool: [] }]);
    expect(doc.paths['/items'].get['x-required-scopes']).toEqual(['api/read']);
    expect(doc.paths['/reports'].get.security).toEqual([{ sigv4: [] }, { api_key: [] }]);
    expect(doc.paths['/health'].get.security).toEqual([]);
  });

  test('GIVEN a custom domain THEN servers are the stage URL and the domain URL with its base path', () => {
    const { app, stack } = prodStack();
    const api = new ServerlessApi(stack, 'ItemsApi', { stageName: 'prod', endpointType: apigateway.EndpointType.REGIONAL, routes: [{ method: 'GET', path: '/items', handler: inlineHandler() }] });
    new ApiDomain(stack, 'Domain', {
      domainName: 'api.example.com', hostedZone: zone(stack), certificate: importedCertificate(stack, EU_CERT_ARN),
      mappings: [{ basePath: 'v1', api }],
    });
    const doc = exported(app, 'assembly-Prod', 'Api-ItemsApi.json');
    expect(doc.servers).toEqual([
      {
        url: 'https://{restApiId}.execute-api.eu-west-1.amazonaws.com/prod',
        description: 'The prod stage',
        variables: { restApiId: { default: 'restApiId', description: expect.stringContaining('Prod/Api/ItemsApi') } },
      },
      { url: 'https://api.example.com/v1', description: 'Custom domain api.example.com' },
    ]);
  });

  test('GIVEN CORS THEN preflight OPTIONS operations are not in the client document', () => {
    const app = testApp();
    new ServerlessApi(testStack(app), 'Api', { cors: { allowOrigins: ['https://app.example.com'] }, routes: [{ method: 'GET', path: '/a', handler: inlineHandler() }] });
    const doc = exported(app, '', 'TestStack-Api.json');
    expect(Object.keys(doc.paths['/a'])).toEqual(['get']);
  });
});

describe('GET /openapi.json served by the API', () => {
  test('GIVEN serveOpenApi THEN a mock answers the client document, which lists the route itself', async () => {
    const app = testApp();
    const stack = testStack(app);
    const api = fullApi(stack);
    api.serveOpenApi({ authorization: RouteAuthorization.none() });
    const body = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
    const operation = body.paths['/openapi.json'].get;
    expect(operation.operationId).toBe('GetOpenApiDocument');
    expect(operation['x-amazon-apigateway-integration'].type).toBe('mock');
    const template: string = operation['x-amazon-apigateway-integration'].responses.default.responseTemplates['application/json'];
    const served = JSON.parse(/#\[\[(.*)\]\]#/s.exec(template)![1]);
    expect(served).toEqual(exported(app, '', 'TestStack-Api.json'));
    expect(served.paths['/openapi.json'].get.operationId).toBe('GetOpenApiDocument');
    await expect(SwaggerParser.validate(served)).resolves.toBeDefined();
  });

  test('GIVEN no serveOpenApi THEN there is no such route', () => {
    const stack = testStack();
    fullApi(stack);
    const body = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
    expect(body.paths['/openapi.json']).toBeUndefined();
  });
});

describe('draft-4 schemas as OpenAPI 3.0 Schema Objects', () => {
  test('a type array with null becomes nullable, several types anyOf, and draft-4-only keywords are dropped', () => {
    expect(oas30Schema({
      $schema: 'http://json-schema.org/draft-04/schema#', id: 'x', type: 'object',
      properties: { a: { type: ['string', 'null'] }, b: { type: ['string', 'integer'] }, c: { type: 'array', items: { type: ['number', 'null'] }, additionalItems: false } },
      patternProperties: { '^x-': {} }, dependencies: { a: ['b'] }, definitions: {},
    })).toEqual({
      type: 'object',
      properties: { a: { type: 'string', nullable: true }, b: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, c: { type: 'array', items: { type: 'number', nullable: true } } },
    });
  });
});
