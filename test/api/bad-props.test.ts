import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataAccess, RouteHandler, ServerlessApi, ServerlessTable } from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';

function api(props: ConstructorParameters<typeof ServerlessApi>[2] = {}): ServerlessApi {
  return new ServerlessApi(testStack(), 'Api', props);
}

function route(method: string, path: string, target = api()): () => void {
  return () => target.addRoute({ method, path, handler: inlineHandler() });
}

describe('route paths and methods fail at synth with the route, the value and the fix', () => {
  test.each([
    ['GET', 'items', "TestStack/Api: route 'GET items' path must start with '/' (received 'items'). Write it as '/items'."],
    ['GET', '/items/', "TestStack/Api: route 'GET /items/' path must not end with '/' (received '/items/'). Write it as '/items'."],
    ['GET', '/items//x', "TestStack/Api: route 'GET /items//x' path has an empty segment ('//') (received '/items//x'). Remove the doubled slash."],
    ['GET', '/items/{id', "TestStack/Api: route 'GET /items/{id' path has a malformed path parameter '{id' (received '/items/{id'). A parameter is a whole segment like '{id}' (letters, digits, underscore), or '{proxy+}' as the last segment."],
    ['GET', '/items/x{id}', "TestStack/Api: route 'GET /items/x{id}' path has a malformed path parameter 'x{id}' (received '/items/x{id}'). A parameter is a whole segment like '{id}' (letters, digits, underscore), or '{proxy+}' as the last segment."],
    ['GET', '/items/{}', "TestStack/Api: route 'GET /items/{}' path has a malformed path parameter '{}' (received '/items/{}'). A parameter is a whole segment like '{id}' (letters, digits, underscore), or '{proxy+}' as the last segment."],
    ['GET', '/items/{item-id}', "TestStack/Api: route 'GET /items/{item-id}' path has a malformed path parameter '{item-id}' (received '/items/{item-id}'). A parameter is a whole segment like '{id}' (letters, digits, underscore), or '{proxy+}' as the last segment."],
    ['GET', '/{proxy+}/items', "TestStack/Api: route 'GET /{proxy+}/items' path has the greedy parameter '{proxy+}' before its last segment (received '/{proxy+}/items'). A greedy parameter like '{proxy+}' must be the last segment."],
    ['GET', '/a/{id}/b/{id}', "TestStack/Api: route 'GET /a/{id}/b/{id}' path declares the path parameter 'id' twice (received '/a/{id}/b/{id}'). Give each path parameter a distinct name."],
    ['GET', '/items?x=1', "TestStack/Api: route 'GET /items?x=1' path has the segment 'items?x=1' with characters API Gateway does not allow (received '/items?x=1'). Use letters, digits and - . _ ~ in path segments."],
    ['FETCH', '/items', "TestStack/Api: route 'FETCH /items' method is not an HTTP method API Gateway supports (received 'FETCH'). Use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY."],
  ])('fails if %s %s', (method, path, message) => {
    expect(route(method, path)).toThrow(message);
  });

  test('fails if a method and path are declared twice', () => {
    const target = api();
    route('GET', '/items', target)();
    expect(route('get', '/items', target)).toThrow(
      "TestStack/Api: route 'GET /items' is declared twice (received 'GET /items'). Declare each method and path once; use ANY to serve every method.");
  });

  test('fails if two routes name different parameters at the same position', () => {
    const target = api();
    route('GET', '/items/{id}', target)();
    expect(route('DELETE', '/items/{itemId}', target)).toThrow(
      "TestStack/Api: route 'DELETE /items/{itemId}' path names the parameter {itemId} where route 'GET /items/{id}' names {id} at the same position (received '/items/{itemId}'). API Gateway allows one parameter name per position: use {id} in both.");
  });

  test('fails if a route has no handler', () => {
    expect(() => api().addRoute({ method: 'GET', path: '/x', handler: undefined })).toThrow(
      "TestStack/Api: route 'GET /x' handler is missing (received undefined). Pass handler: RouteHandler.fromEntry('src/handler.ts') (or .fromCode(...), .fromFunction(fn)), or integration: Integration.http(url), .sqs(queue), .mock({...}), ...");
  });

  test('fails if the entry file does not exist', () => {
    expect(() => api().addRoute({ method: 'GET', path: '/x', handler: RouteHandler.fromEntry('src/missing.ts') })).toThrow(
      "TestStack/Api: route 'GET /x' handler entry does not exist (received 'src/missing.ts'). Give the path of a .ts or .js file, relative to the directory you run cdk from or absolute.");
  });

  test('fails if a shared handler gets function options on a second route', () => {
    const target = api();
    const shared = inlineHandler();
    target.addRoute({ method: 'GET', path: '/a', handler: shared });
    expect(() => target.addRoute({ method: 'GET', path: '/b', handler: shared, memorySize: 1024 })).toThrow(
      "TestStack/Api: route 'GET /b' memorySize is set on a route whose handler is already used by route 'GET /a' (received 1024). Set function options on the shared handler (RouteHandler.fromEntry(entry, { ... })), not on its routes.");
  });

  test('fails if a route sets both role and dataAccess', () => {
    const stack = testStack();
    const table = new ServerlessTable(stack, 'T');
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const target = new ServerlessApi(stack, 'Api');
    expect(() => target.addRoute({ method: 'GET', path: '/a', handler: inlineHandler(), role, dataAccess: [DataAccess.readData(table.table)] })).toThrow(
      "TestStack/Api: route 'GET /a' role and dataAccess are both set (received 'a role'). Grant the permissions to your role yourself, or drop the role and let dataAccess pick a shared one.");
  });

  test('fails if memory is out of range', () => {
    expect(() => api().addRoute({ method: 'GET', path: '/a', handler: inlineHandler(), memorySize: 64 })).toThrow(
      "TestStack/Api/GetAFunction: route 'GET /a' memorySize must be an integer from 128 to 10240 (MB) (received 64). Use e.g. 512.".replace('/GetAFunction', ''));
  });

  test('fails if the timeout is over 15 minutes', () => {
    expect(() => api().addRoute({ method: 'GET', path: '/a', handler: inlineHandler(), timeout: Duration.minutes(20) })).toThrow(
      "TestStack/Api: route 'GET /a' timeout must be from 1 second to 15 minutes (received '20 minutes'). API Gateway answers 504 after 29 seconds, so keep it below that, e.g. Duration.seconds(10).");
  });

  test('fails if functionFor names an unknown route', () => {
    const target = api();
    route('GET', '/a', target)();
    expect(() => target.functionFor('GET /b')).toThrow("TestStack/Api: route is not a route of this API (received 'GET /b'). Use one of: GET /a.");
  });

  test('fails at synth if the API has no routes', () => {
    const app = testApp();
    new ServerlessApi(testStack(app), 'Api');
    expect(() => app.synth()).toThrow(
      "TestStack/Api: the API has no routes (received 0 routes). Add one with addRoute() or the 'routes' prop; API Gateway cannot deploy an empty API.");
  });
});

describe('API props', () => {
  test('fails if the burst is below the rate', () => {
    expect(() => api({ stage: { throttlingRateLimit: 500, throttlingBurstLimit: 100 } })).toThrow(
      'TestStack/Api: stage.throttlingBurstLimit is below stage.throttlingRateLimit (500) (received 100). Set the burst to at least the rate limit.');
  });

  test('fails if the rate is negative', () => {
    expect(() => api({ stage: { throttlingRateLimit: -1 } })).toThrow(
      'TestStack/Api: stage.throttlingRateLimit must be a number >= 0 (received -1). Give requests per second, e.g. 100.');
  });

  test('fails if the burst is not an integer', () => {
    expect(() => api({ stage: { throttlingBurstLimit: 250.5 } })).toThrow(
      'TestStack/Api: stage.throttlingBurstLimit must be an integer >= 0 (received 250.5). Give a number of requests, e.g. 200.');
  });

  test('fails if the stage name has invalid characters', () => {
    expect(() => api({ stageName: 'prod stage' })).toThrow(
      "TestStack/Api: stageName is not a valid API Gateway stage name (received 'prod stage'). Use 1-128 letters, digits, hyphens or underscores, e.g. 'dev'.");
  });

  test('fails if functionsPerNestedStack would overflow a template', () => {
    expect(() => api({ scaling: { functionsPerNestedStack: 400 } })).toThrow(
      "TestStack/Api: scaling.functionsPerNestedStack must be an integer from 1 to 200 (received 400). Each function costs two resources of a template's 500 and one of its 200 outputs; keep the default unless a template overflows.");
  });
});

describe('tables and CRUD resources', () => {
  test('fails if a table is both retained-protected and DESTROY', () => {
    expect(() => new ServerlessTable(testStack(), 'T', { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true })).toThrow(
      'TestStack/T: deletionProtection contradicts removalPolicy DESTROY (received true). Use RETAIN (or SNAPSHOT) to keep the table, or drop deletionProtection to let the stack delete it.');
  });

  test('fails if the TTL attribute is the key', () => {
    expect(() => new ServerlessTable(testStack(), 'T', { timeToLiveAttribute: 'id' })).toThrow(
      "TestStack/T: timeToLiveAttribute is a key attribute (received 'id'). Use a separate numeric attribute holding the expiry in epoch seconds, e.g. 'expiresAt'.");
  });

  test('fails if a CRUD resource gets both a table and table props', () => {
    const stack = testStack();
    const table = new ServerlessTable(stack, 'T');
    const target = new ServerlessApi(stack, 'Api');
    expect(() => target.addCrudResource('items', { table: table.table, tableProps: {} })).toThrow(
      "TestStack/Api/Items: table and tableProps are both set (received 'a table'). Pass an existing table or props for a new one, not both.");
  });

  test('fails if a CRUD table has a sort key', () => {
    expect(() => api().addCrudResource('items', { tableProps: { sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING } } })).toThrow(
      "TestStack/Api/Items: tableProps.sortKey is set, but a CRUD resource addresses items by one key (received 'sk'). Drop the sort key, or write your own routes with RouteHandler for composite keys.");
  });

  test('fails if a CRUD table key is a number', () => {
    expect(() => api().addCrudResource('items', { tableProps: { partitionKey: { name: 'id', type: dynamodb.AttributeType.NUMBER } } })).toThrow(
      "TestStack/Api/Items: tableProps.partitionKey.type is not STRING (received 'N'). CRUD ids are strings from the URL path: use dynamodb.AttributeType.STRING.");
  });

  test('fails if the resource name is not lower-case', () => {
    expect(() => api().addCrudResource('Items')).toThrow(
      "TestStack/Api/Items: resourceName is not a lower-case resource name (received 'Items'). Use lower-case letters, digits and hyphens starting with a letter, e.g. 'items'.");
  });

  test('fails if maxBodyBytes is over what Lambda accepts', () => {
    expect(() => api().addCrudResource('items', { maxBodyBytes: 10_000_000 })).toThrow(
      'TestStack/Api/Items: maxBodyBytes must be an integer from 1 to 6291456 (received 10000000). Lambda accepts at most 6 MB and DynamoDB items at most 400 KB; the default is 102400.');
  });

  test('fails if the default page size is above the maximum', () => {
    expect(() => api().addCrudResource('items', { defaultPageSize: 50, maxPageSize: 10 })).toThrow(
      'TestStack/Api/Items: defaultPageSize must be an integer from 1 to maxPageSize (10) (received 50). Use e.g. 25.');
  });

  test('fails if partitionKey is given without an existing table', () => {
    expect(() => api().addCrudResource('items', { partitionKey: 'pk' })).toThrow(
      "TestStack/Api/Items: partitionKey is only for an existing table (received 'pk'). Set tableProps.partitionKey for a table the resource creates.");
  });
});
