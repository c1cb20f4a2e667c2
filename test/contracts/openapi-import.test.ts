import * as fs from 'fs';
import * as path from 'path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { parse as parseYaml } from 'yaml';
import { Integration, OpenApiDocument, RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';

const FIXTURES = path.join(__dirname, 'fixtures');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function load(file: string): any {
  const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
}

function operationIds(doc: any): string[] {
  return Object.values<any>(doc.paths).flatMap(item => METHODS.filter(m => item[m]).map(m => item[m].operationId));
}

const mock = Integration.mock({ statusCode: 200, body: '{}' });

function importInto(file: string, authorizations: Record<string, RouteAuthorization> = {}): { app: App; stack: Stack; api: ServerlessApi } {
  const app = testApp();
  const stack = testStack(app);
  const api = new ServerlessApi(stack, 'Api', { stageName: 'prod' });
  const integrations = Object.fromEntries(operationIds(load(file)).map(id => [id, mock]));
  api.importOpenApi(OpenApiDocument.fromFile(path.join(FIXTURES, file)), { integrations, authorizations });
  return { app, stack, api };
}

function exported(app: App): any {
  const dir = path.join(app.synth().directory, 'openapi');
  return JSON.parse(fs.readFileSync(path.join(dir, 'TestStack-Api.json'), 'utf8'));
}

/** What the import keeps of a schema, written independently of it: API Gateway's draft-4 subset of the schema. */
function normalized(schema: any): any {
  if (Array.isArray(schema)) { return schema.map(normalized); }
  if (typeof schema !== 'object' || schema === null) { return schema; }
  const out: any = {};
  for (const [k, v] of Object.entries<any>(schema)) {
    if (['example', 'examples', 'xml', 'externalDocs', 'readOnly', 'writeOnly', 'deprecated', 'discriminator', 'nullable'].includes(k) || k.startsWith('x-')) { continue; }
    if (k === '$ref') { out.$ref = v.replace('#/definitions/', '#/components/schemas/'); continue; }
    out[k] = ['enum', 'required', 'default'].includes(k) ? v : (k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, normalized(s)])) : normalized(v));
  }
  if ((out.type === 'integer' || out.type === 'number') && ['int32', 'int64', 'float', 'double'].includes(out.format)) { delete out.format; }
  return out;
}

/** The schema a (possibly generated) reference stands for in the exported document. */
function resolved(doc: any, schema: any): any {
  const ref = schema?.$ref;
  if (typeof ref === 'string' && /^#\/components\/schemas\/(Get|Post|Put|Delete|Patch)\w+(Request|Response\d{3})$/.test(ref)) {
    return doc.components.schemas[ref.split('/').pop()!];
  }
  return schema;
}

function jsonSchema(content: any): any {
  const key = Object.keys(content ?? {}).find(k => /json/.test(k) || k === '*/*');
  return key ? content[key].schema : undefined;
}

/** Paths, parameters and schemas of the original against the export, operation by operation. */
function expectRoundTrip(original: any, doc: any, swagger2: boolean): void {
  const originalOps: string[] = [];
  for (const [p, item] of Object.entries<any>(original.paths)) {
    for (const m of METHODS.filter(x => item[x])) {
      originalOps.push(`${m} ${p}`);
      const op = item[m];
      const out = doc.paths[p]?.[m];
      expect({ op: `${m} ${p}`, exported: out !== undefined }).toEqual({ op: `${m} ${p}`, exported: true });
      // Path parameters are strings to API Gateway; query and header parameters keep their type.
      const params = (ps: any[]) => ps.filter(x => ['path', 'query', 'header'].includes(x.in))
        .map(x => `${x.in}:${x.name}:${x.in === 'path' ? true : x.required === true}:${x.in === 'path' ? '' : (x.schema?.type ?? x.type)}`).sort();
      expect(params(out.parameters ?? [])).toEqual(params([...(item.parameters ?? []), ...(op.parameters ?? [])]));
      const originalBody = swagger2 ? (op.parameters ?? []).find((x: any) => x.in === 'body')?.schema : jsonSchema(op.requestBody?.content);
      if (originalBody) {
        expect(resolved(doc, jsonSchema(out.requestBody.content))).toEqual(normalized(originalBody));
      }
      for (const [status, response] of Object.entries<any>(out.responses)) {
        if (status === 'default' || !response.content) { continue; }
        const originalSchema = swagger2 ? op.responses[status].schema : jsonSchema(op.responses[status].content);
        expect(resolved(doc, jsonSchema(response.content))).toEqual(normalized(originalSchema));
      }
    }
  }
  const exportedOps = Object.entries<any>(doc.paths).flatMap(([p, item]) => Object.keys(item).map(m => `${m} ${p}`));
  expect(exportedOps.sort()).toEqual(originalOps.sort());
  const originalSchemas = (swagger2 ? original.definitions : original.components?.schemas) ?? {};
  for (const [name, schema] of Object.entries(originalSchemas)) {
    expect(doc.components.schemas[name]).toEqual(normalized(schema));
  }
}

describe('OpenAPI import, round trip on public documents (fixtures/README.md: sources and licences)', () => {
  test('GIVEN the classic Swagger 2.0 Pet Store (JSON) THEN export gives the same paths, parameters and schemas', async () => {
    const original = load('petstore-swagger2.json');
    const { app } = importInto('petstore-swagger2.json', { petstore_auth: RouteAuthorization.iam(), api_key: RouteAuthorization.none() });
    const doc = exported(app);
    expectRoundTrip(original, doc, true);
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
  });

  test('GIVEN the OpenAPI 3.0 Pet Store expanded (YAML, allOf, default responses) THEN the round trip holds', async () => {
    const original = load('petstore-expanded.yaml');
    const { app } = importInto('petstore-expanded.yaml');
    const doc = exported(app);
    expectRoundTrip(original, doc, false);
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
  });

  test('GIVEN the USPTO Data Set API (YAML, form body, operationIds with hyphens) THEN the round trip holds', async () => {
    const original = load('uspto.yaml');
    const { app } = importInto('uspto.yaml');
    const doc = exported(app);
    expectRoundTrip(original, doc, false);
    expect(doc.paths['/'].get.operationId).toBe('ListDataSets');
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
  });

  test('GIVEN what the import drops THEN it warns, naming it', () => {
    const { stack } = importInto('uspto.yaml');
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('importOpenApi'));
    const texts = warnings.map(w => JSON.stringify(w.entry.data));
    expect(texts).toEqual(expect.arrayContaining([
      expect.stringContaining('perform-search: its request body is not JSON (form data), so API Gateway does not validate it'),
      expect.stringContaining('list-searchable-fields: the 200 response schema is not kept (API Gateway requires method response schemas to be objects or arrays)'),
    ]));
  });

  test('GIVEN an imported route THEN its body operation has the bound integration and the request model', () => {
    const { stack } = importInto('petstore-swagger2.json', { petstore_auth: RouteAuthorization.iam(), api_key: RouteAuthorization.none() });
    const body = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
    expect(body.paths['/pet'].post['x-amazon-apigateway-integration'].type).toBe('mock');
    expect(body.paths['/pet'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Pet' });
    expect(body.paths['/pet'].post.security).toEqual([{ sigv4: [] }]);
    expect(body.paths['/store/inventory'].get.security).toEqual([]);
  });
});

describe('OpenAPI import failures and mappings', () => {
  const DOC = {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'x-api-key' }, oauth: { type: 'oauth2', flows: {} } } },
    paths: {
      '/things': {
        get: { operationId: 'listThings', security: [{ key: [] }], parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }], responses: { 200: { description: 'ok' } } },
        post: { operationId: 'createThing', requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } }, responses: { 201: { description: 'ok' } } },
      },
    },
  };

  function api(): ServerlessApi {
    return new ServerlessApi(testStack(), 'Api');
  }

  test('fails on an operation left unbound, naming it', () => {
    expect(() => api().importOpenApi(OpenApiDocument.fromString(JSON.stringify(DOC)), { integrations: { listThings: mock } }))
      .toThrow(/TestStack\/Api: importOpenApi cannot build this document: operations 'createThing' have no integration \(bind each in integrations: \{ createThing: Integration\.lambda\(handler\) \}\)\./);
  });

  test('fails on a binding to an unknown operationId, naming it and the known ones', () => {
    expect(() => api().importOpenApi(OpenApiDocument.fromString(JSON.stringify(DOC)), { integrations: { listThings: mock, createThing: mock, deleteThing: mock } }))
      .toThrow(/integrations binds 'deleteThing', which no operation of the document has as operationId \(operationIds: createThing, listThings\)/);
  });

  test('fails on a security scheme it cannot map, naming the scheme and the fix', () => {
    const doc = { ...DOC, security: [{ oauth: ['write'] }] };
    expect(() => api().importOpenApi(OpenApiDocument.fromString(JSON.stringify(doc)), { integrations: { listThings: mock, createThing: mock } }))
      .toThrow(/operation createThing \(POST \/things\) requires the security scheme 'oauth' \(oauth2\), which has no authorization \(map it: authorizations: \{ oauth: RouteAuthorization\.cognito/);
  });

  test('fails on a cookie parameter, naming the operation', () => {
    const doc = structuredClone(DOC) as any;
    doc.paths['/things'].get.parameters.push({ name: 'session', in: 'cookie', schema: { type: 'string' } });
    expect(() => api().importOpenApi(OpenApiDocument.fromString(JSON.stringify(doc)), { integrations: { listThings: mock, createThing: mock } }))
      .toThrow(/operation listThings \(GET \/things\) reads the cookie parameter 'session', which API Gateway cannot declare or validate/);
  });

  test('fails on an operation without operationId', () => {
    const doc = structuredClone(DOC) as any;
    delete doc.paths['/things'].post.operationId;
    expect(() => api().importOpenApi(OpenApiDocument.fromString(JSON.stringify(doc)), { integrations: { listThings: mock } }))
      .toThrow(/operation POST \/things has no operationId \(add one to bind an integration to it\)/);
  });

  test('fails on OpenAPI 3.1', () => {
    expect(() => api().importOpenApi(OpenApiDocument.fromString(JSON.stringify({ ...DOC, openapi: '3.1.0' })), { integrations: {} }))
      .toThrow(/importOpenApi document is not a version API Gateway imports for REST APIs \(received 'openapi: 3\.1\.0'\)\. Give an OpenAPI 3\.0\.x or Swagger 2\.0 document/);
  });

  test('fails on a file that does not parse, naming it', () => {
    expect(() => api().importOpenApi(OpenApiDocument.fromString('{"openapi": '), { integrations: {} }))
      .toThrow(/importOpenApi document cannot be read \(.*\) \(received 'the document text'\)/);
  });

  test('fails on a schema API Gateway refuses that the import cannot drop, naming the schema and pointer', () => {
    const doc = structuredClone(DOC) as any;
    doc.components.schemas = { Thing: { type: 'object', properties: { n: { type: 'number', exclusiveMinimum: true, minimum: 0 } } } };
    expect(() => api().importOpenApi(OpenApiDocument.fromString(JSON.stringify(doc)), { integrations: { listThings: mock, createThing: mock } }))
      .toThrow(/TestStack\/Api: schemas\['Thing'\] at '\/properties\/n\/exclusiveMinimum' is not supported by API Gateway models/);
  });

  test('GIVEN an x-amazon-apigateway-any-method operation (API Gateway\'s export of ANY) THEN it becomes an ANY route, not silently dropped', () => {
    const stack = testStack();
    const doc = { openapi: '3.0.1', info: { title: 't', version: '1' }, paths: { '/{proxy+}': { 'x-amazon-apigateway-any-method': { operationId: 'proxyAll', responses: { 200: { description: 'ok' } } } } } };
    new ServerlessApi(stack, 'Api').importOpenApi(OpenApiDocument.fromString(JSON.stringify(doc)), { integrations: { proxyAll: mock }, authorizations: {} });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      Body: Match.objectLike({ paths: Match.objectLike({ '/{proxy+}': Match.objectLike({ 'x-amazon-apigateway-any-method': Match.objectLike({ operationId: 'proxyAll' }) }) }) }),
    });
  });

  test('GIVEN an x-api-key scheme THEN the route requires an API key and is otherwise public', () => {
    const stack = testStack();
    const a = new ServerlessApi(stack, 'Api');
    a.importOpenApi(OpenApiDocument.fromString(JSON.stringify(DOC)), { integrations: { listThings: mock, createThing: Integration.lambda(inlineHandler()) } });
    a.addUsagePlan('Plan');
    const body = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
    expect(body.paths['/things'].get.security).toEqual([{ api_key: [] }]);
    expect(body.paths['/things'].get.parameters).toEqual([{ name: 'limit', in: 'query', required: false, schema: { type: 'integer' } }]);
    expect(body.paths['/things'].post.security).toEqual([{ sigv4: [] }]); // no security: the API's default
    expect(body.paths['/things'].post['x-amazon-apigateway-integration'].type).toBe('aws_proxy');
  });

  test('GIVEN an operation with its own AWS integration and document-level extensions THEN they are kept', () => {
    const doc = structuredClone(DOC) as any;
    doc['x-amazon-apigateway-binary-media-types'] = ['image/png'];
    doc.paths['/things'].post['x-amazon-apigateway-integration'] = { type: 'http_proxy', httpMethod: 'POST', uri: 'https://backend.example.com/things' };
    const stack = testStack();
    const a = new ServerlessApi(stack, 'Api');
    a.importOpenApi(OpenApiDocument.fromString(JSON.stringify(doc)), { integrations: { listThings: mock } });
    a.addUsagePlan('Plan');
    const body = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
    expect(body.paths['/things'].post['x-amazon-apigateway-integration']).toEqual({ type: 'http_proxy', httpMethod: 'POST', uri: 'https://backend.example.com/things' });
    expect(body['x-amazon-apigateway-binary-media-types']).toEqual(['image/png']);
    expect(body['x-amazon-apigateway-request-validator']).toBe('all');
  });

  const THROTTLED = { statusCode: '503', responseTemplates: { 'application/json': '{"message":"slow down"}' } };
  function importWithResponses(configure: (api: ServerlessApi) => void = () => undefined): any {
    const doc = structuredClone(DOC) as any;
    doc['x-amazon-apigateway-gateway-responses'] = { THROTTLED };
    const stack = testStack();
    const a = new ServerlessApi(stack, 'Api');
    configure(a);
    a.importOpenApi(OpenApiDocument.fromString(JSON.stringify(doc)), { integrations: { listThings: mock, createThing: mock } });
    a.addUsagePlan('Plan');
    return Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body['x-amazon-apigateway-gateway-responses'];
  }

  test('GIVEN a document defining a gateway response THEN it replaces the library\'s default of its type, the others stay', () => {
    const responses = importWithResponses();
    expect(responses.THROTTLED).toEqual(THROTTLED);
    expect(responses.UNAUTHORIZED.statusCode).toBe('401');
  });

  test('GIVEN a document defining a gateway response AND addGatewayResponse of the same type THEN the construct\'s override wins', () => {
    const responses = importWithResponses(a => a.addGatewayResponse({ type: apigateway.ResponseType.THROTTLED, statusCode: 429, message: 'Too many requests' }));
    expect(responses.THROTTLED.statusCode).toBe('429');
    expect(responses.THROTTLED.responseTemplates['application/json']).toContain('"message":"Too many requests"');
  });
});
