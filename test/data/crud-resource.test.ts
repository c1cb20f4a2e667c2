import { Match, Template } from 'aws-cdk-lib/assertions';
import { Stack } from 'aws-cdk-lib';
import { ServerlessApi, ServerlessTable } from '../../lib';
import { testStack } from '../util';

let shared: { stack: Stack; api: ServerlessApi } | undefined;

/** An API with a CRUD resource on a given table: built and synthesized once, read by every test that uses it. */
function crudStack(): { stack: Stack; api: ServerlessApi } {
  if (!shared) {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const table = new ServerlessTable(stack, 'ItemsTable');
    api.addCrudResource('items', { table: table.table });
    shared = { stack, api };
  }
  return shared;
}

/** The DynamoDB actions granted to the role of the function serving a route. */
function dynamoActionsOf(stack: Stack, api: ServerlessApi, route: string): string[] {
  const template = Template.fromStack(stack).toJSON();
  const fn = api.functionFor(route);
  const fnLogicalId = stack.resolve((fn.node.defaultChild as any).logicalId);
  const roleRef = template.Resources[fnLogicalId].Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::IAM::Policy'
    && r.Properties.Roles.some((x: any) => x.Ref === roleRef)) as any[];
  return policies.flatMap(p => p.Properties.PolicyDocument.Statement)
    .flatMap((s: any) => [].concat(s.Action))
    .filter((a: string) => a.startsWith('dynamodb:'))
    .sort();
}

describe('CrudResource', () => {
  test('GIVEN addCrudResource THEN five routes on five functions', () => {
    const { stack, api } = crudStack();
    expect(api.routes.map(r => `${r.method} ${r.path}`).sort()).toEqual([
      'DELETE /items/{id}', 'GET /items', 'GET /items/{id}', 'POST /items', 'PUT /items/{id}',
    ]);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 5);
  });

  test.each([
    ['POST /items', ['dynamodb:GetItem', 'dynamodb:PutItem']],
    ['GET /items', ['dynamodb:Scan']],
    ['GET /items/{id}', ['dynamodb:GetItem']],
    ['PUT /items/{id}', ['dynamodb:GetItem', 'dynamodb:PutItem']],
    // A tombstone keeps the version sequence across delete + re-create: read the version, put the tombstone.
    ['DELETE /items/{id}', ['dynamodb:GetItem', 'dynamodb:PutItem']],
  ])('GIVEN %s THEN its function may only call %j on the table', (route, actions) => {
    const { stack, api } = crudStack();
    expect(dynamoActionsOf(stack, api, route)).toEqual(actions);
  });

  test('GIVEN a CRUD resource THEN no policy grants a wildcard action or resource on DynamoDB', () => {
    const { stack } = crudStack();
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    for (const policy of Object.values(policies) as any[]) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        const actions: string[] = [].concat(statement.Action);
        if (actions.some(a => a.startsWith('dynamodb:'))) {
          expect(actions.some(a => a.includes('*'))).toBe(false);
          expect(JSON.stringify(statement.Resource)).not.toBe('"*"');
        }
      }
    }
  });

  test('GIVEN a CRUD resource THEN the functions get the table and handler settings as environment', () => {
    const { stack } = crudStack();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({
        TABLE_NAME: { Ref: Match.stringLikeRegexp('^ItemsTable') },
        PARTITION_KEY: 'id', VERSION_ATTRIBUTE: 'version', ID_PARAMETER: 'id',
        MAX_BODY_BYTES: '102400', DEFAULT_PAGE_SIZE: '25', MAX_PAGE_SIZE: '100',
        MAX_BODY_DEPTH: '32', MAX_BODY_ATTRIBUTES: '10000',
      }) },
    });
  });

  test('GIVEN maxBodyDepth and maxBodyAttributes THEN the functions get them as environment', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addCrudResource('items', { maxBodyDepth: 5, maxBodyAttributes: 200 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAX_BODY_DEPTH: '5', MAX_BODY_ATTRIBUTES: '200' }) },
    });
  });

  test.each([
    ['maxBodyDepth', 0, /TestStack\/Api\/Items: maxBodyDepth must be an integer from 1 to 32 \(received 0\)\. DynamoDB stores at most 32 levels/],
    ['maxBodyDepth', 33, /TestStack\/Api\/Items: maxBodyDepth must be an integer from 1 to 32 \(received 33\)/],
    ['maxBodyAttributes', 0, /TestStack\/Api\/Items: maxBodyAttributes must be an integer from 1 to 1000000 \(received 0\)\. It bounds the work/],
    ['maxBodyAttributes', 1.5, /TestStack\/Api\/Items: maxBodyAttributes must be an integer from 1 to 1000000 \(received 1\.5\)/],
  ])('fails if %s is %p', (prop, value, message) => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    expect(() => api.addCrudResource('items', { [prop]: value })).toThrow(message);
  });

  test.each(['deletedAt', 'createdAt', '__proto__', 'constructor'])('fails if versionAttribute is the reserved name %p', (name) => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    expect(() => api.addCrudResource('items', { versionAttribute: name }))
      .toThrow(`TestStack/Api/Items: versionAttribute is an attribute the handlers manage or refuse (received '${name}'). Use another name, e.g. 'version'; reserved: createdAt, updatedAt, deletedAt, __proto__, constructor, prototype.`);
  });

  test('GIVEN no table THEN the resource creates a ServerlessTable under its own path', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const crud = api.addCrudResource('orders', { path: '/v1/orders', idParameter: 'orderId' });
    expect(crud.serverlessTable).toBeDefined();
    expect(crud.itemPath).toBe('/v1/orders/{orderId}');
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'))).toEqual(['ApiOrdersTable52489256']);
  });

  test('GIVEN two CRUD resources on one table THEN functions with the same actions share one role', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const table = new ServerlessTable(stack, 'T');
    api.addCrudResource('items', { table: table.table });
    api.addCrudResource('things', { table: table.table });
    // 3 distinct action sets (GetItem+PutItem for create/update/delete, Scan, GetItem) + ApiGatewayAccount role
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 4);
  });
});
