import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { Audit } from 'serverless-api-constructs';
import { assetHashSerializer, stageTemplates, testApp } from 'serverless-api-constructs/testing';
import { addBookshopStages } from '../lib/bookshop-stages';

expect.addSnapshotSerializer(assetHashSerializer);

const app = testApp();
const stages = addBookshopStages(app);
Audit.enable(app);

function body(): any {
  return Object.values<any>(Template.fromStack(stages.Prod.shop).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

describe.each(['Dev', 'Prod'] as const)('the %s stage', (id) => {
  test('matches its snapshot', () => {
    expect(stageTemplates(stages[id])).toMatchSnapshot();
  });
});

test('the contract\'s operations are the routes, bound to their handlers, with its schemas as models', () => {
  const b = body();
  expect(b.paths['/books'].post.operationId).toBe('createBook');
  expect(b.paths['/books'].post['x-amazon-apigateway-integration'].type).toBe('aws_proxy');
  expect(b.paths['/books'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/NewBook' });
  expect(b.paths['/books'].post.security).toEqual([{ api_key: [] }]);
  expect(b.paths['/books'].get.security).toEqual([]);
  expect(Object.keys(b.components.schemas).sort()).toEqual(['Book', 'BookList', 'Error', 'GetHealthResponse200', 'NewBook']);
});

test('the contract\'s own mock integration of GET /health is kept, and the API serves its document', () => {
  const b = body();
  expect(b.paths['/health'].get['x-amazon-apigateway-integration'].type).toBe('mock');
  expect(b.paths['/openapi.json'].get['x-amazon-apigateway-integration'].type).toBe('mock');
});

test('the exported document has the contract\'s paths and operations', () => {
  const dir = path.join(app.synth().directory, 'assembly-Prod', 'openapi');
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'Shop-BookshopApi.json'), 'utf8'));
  expect(Object.keys(doc.paths).sort()).toEqual(['/books', '/books/{bookId}', '/health', '/openapi.json']);
  expect(doc.paths['/books/{bookId}'].get.operationId).toBe('getBook');
});
