/**
 * The API's resource tree: sibling parameter conflicts in O(path length), and API Gateway's resource
 * count ("Resources per API", default quota 300).
 */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ServerlessApi } from '../../lib';
import { PathTree } from '../../lib/api/path-tree';
import { inlineHandler, testStack } from '../util';

function treeOf(...paths: string[]): PathTree {
  const tree = new PathTree();
  paths.forEach((p, i) => tree.add(p, `GET ${p} #${i}`));
  return tree;
}

describe('PathTree', () => {
  test('GIVEN no path THEN it counts the root resource only', () => {
    expect(new PathTree().size).toBe(1);
  });

  test('GIVEN paths THEN it counts one resource per distinct prefix, the root included', () => {
    // '/', /items, /items/{id}, /items/{id}/tags, /health
    expect(treeOf('/items', '/items/{id}', '/items/{id}/tags', '/items', '/health', '/').size).toBe(5);
  });

  test('GIVEN the same parameter at one position THEN there is no conflict', () => {
    expect(treeOf('/items/{id}').parameterConflict('/items/{id}/tags')).toBeUndefined();
  });

  test('GIVEN another parameter name at the same position under the same parent THEN it names the first route that used it', () => {
    const tree = treeOf('/items', '/items/{id}', '/items/{id}/tags');
    expect(tree.parameterConflict('/items/{itemId}')).toEqual({ ours: '{itemId}', theirs: '{id}', route: 'GET /items/{id} #1' });
  });

  test('GIVEN a greedy parameter beside a named one THEN they conflict (one variable child per resource)', () => {
    expect(treeOf('/files/{name}').parameterConflict('/files/{proxy+}')).toEqual({ ours: '{proxy+}', theirs: '{name}', route: 'GET /files/{name} #0' });
  });

  test('GIVEN different parameter names under different parents THEN there is no conflict', () => {
    expect(treeOf('/items/{id}').parameterConflict('/orders/{orderId}')).toBeUndefined();
  });

  test('GIVEN a conflict deeper in the path THEN it is found there', () => {
    const tree = treeOf('/a/{x}/b/{y}');
    expect(tree.parameterConflict('/a/{x}/b/{z}')).toEqual({ ours: '{z}', theirs: '{y}', route: 'GET /a/{x}/b/{y} #0' });
    expect(tree.parameterConflict('/a/{w}/b/{z}')).toEqual({ ours: '{w}', theirs: '{x}', route: 'GET /a/{x}/b/{y} #0' });
  });

  test('GIVEN a conflict THEN checking it does not change the tree', () => {
    const tree = treeOf('/items/{id}');
    tree.parameterConflict('/items/{itemId}/x');
    expect(tree.size).toBe(3);
  });
});

describe('API Gateway resources per API', () => {
  /** An API with routes /r1 .. /r{n} on one shared function: n + 1 resources. */
  function apiWithResources(resources: number): ServerlessApi {
    const api = new ServerlessApi(testStack(), 'Api');
    const shared = inlineHandler();
    for (let i = 1; i < resources; i++) {
      api.addRoute({ method: 'GET', path: `/r${i}`, handler: shared });
    }
    return api;
  }

  test('GIVEN 301 resources WHEN synthesized THEN it warns naming the count, the quota and how to raise it', () => {
    const api = apiWithResources(301);
    Annotations.fromStack(api.node.scope as any).hasWarning('/TestStack/Api', Match.stringLikeRegexp(
      "TestStack/Api: the API has 301 API Gateway resources \\(one per distinct path prefix, the root '/' included\\), "
      + "over API Gateway's default quota 'Resources per API' of 300: creating or updating it fails with LimitExceededException "
      + 'until the quota is raised\\. Raise it for this API in Service Quotas \\(Amazon API Gateway > Resources per API\\) or through '
      + 'AWS Support, or split the routes into several ServerlessApis behind one ApiDomain, one base path per first path segment\\.'));
  });

  test('GIVEN 300 resources WHEN synthesized THEN there is no such warning', () => {
    const api = apiWithResources(300);
    Annotations.fromStack(api.node.scope as any).hasNoWarning('*', Match.stringLikeRegexp('Resources per API'));
  });
});
