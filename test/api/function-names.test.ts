import { Names } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DataAccess, RouteAuthorization, RouteHandler, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';

function table(stack: ReturnType<typeof testStack>, id = 'Table'): dynamodb.Table {
  return new dynamodb.Table(stack, id, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
}

const CODE = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{}" });');

function roleDescriptions(stack: ReturnType<typeof testStack>): string[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role')).map(r => r.Properties.Description);
}

describe('shared role descriptions', () => {
  test('GIVEN table actions THEN the role description names every action whole, and the table', () => {
    const stack = testStack();
    const t = table(stack);
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({
      method: 'PUT', path: '/items/{id}', authorization: RouteAuthorization.none(),
      handler: RouteHandler.fromCode(CODE, { dataAccess: [DataAccess.tableActions(t, 'dynamodb:PutItem', 'dynamodb:GetItem')] }),
    });

    expect(roleDescriptions(stack)).toContain(`Shared by functions with: dynamodb:GetItem, dynamodb:PutItem on ${Names.uniqueId(t)}`);
  });

  test('GIVEN read and write access THEN the description says so per table', () => {
    const stack = testStack();
    const a = table(stack, 'A');
    const b = table(stack, 'B');
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({
      method: 'GET', path: '/x', authorization: RouteAuthorization.none(),
      handler: RouteHandler.fromCode(CODE, { dataAccess: [DataAccess.readData(a), DataAccess.readWriteData(b)] }),
    });

    expect(roleDescriptions(stack)).toContain(`Shared by functions with: read data of ${Names.uniqueId(a)}, read and write data of ${Names.uniqueId(b)}`);
  });

  test('GIVEN so many accesses that the description would pass IAM\'s 1000 characters THEN whole entries are listed and the rest counted', () => {
    const stack = testStack();
    const tables = Array.from({ length: 40 }, (_, i) => table(stack, `Table${i}`));
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({
      method: 'GET', path: '/x', authorization: RouteAuthorization.none(),
      handler: RouteHandler.fromCode(CODE, { dataAccess: tables.map(t => DataAccess.tableActions(t, 'dynamodb:GetItem')) }),
    });

    const description = roleDescriptions(stack).find(d => d.startsWith('Shared by functions with:'))!;
    expect(description.length).toBeLessThanOrEqual(1000);
    expect(description).toMatch(/, and \d+ more$/);
    for (const entry of description.replace(/^Shared by functions with: /, '').replace(/, and \d+ more$/, '').split(', ')) {
      expect(entry).toMatch(/^dynamodb:GetItem on TestStackTable\d+[0-9A-F]{8}$/);
    }
  });
});

describe('function names of routes whose ids collide', () => {
  test('GIVEN /a-b and /a/b (same derived id) THEN both function names are readable, without "Function2"', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/a-b', handler: inlineHandler(), authorization: RouteAuthorization.none() });
    api.addRoute({ method: 'GET', path: '/a/b', handler: inlineHandler(), authorization: RouteAuthorization.none() });

    const names = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map(f => f.Properties.FunctionName).sort();
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    for (const name of names) {
      expect(name).not.toMatch(/Function/);
      expect(name).toMatch(/^TestStack-GetAB\d*-[0-9A-F]{8}$/);
    }
  });
});
