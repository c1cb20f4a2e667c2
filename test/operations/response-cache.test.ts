import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LambdaAuthorizer, RouteAuthorization, RouteProps, ServerlessApi, ServerlessApiProps } from '../../lib';
import { body } from '../auth/util';
import { inlineHandler, testStack } from '../util';

const CACHED: ServerlessApiProps = { stage: { cache: {} } };

function api(props: ServerlessApiProps = CACHED) {
  const stack = testStack();
  return { stack, api: new ServerlessApi(stack, 'Api', props) };
}

function publicRoute(overrides: Partial<RouteProps> = {}): RouteProps {
  return { method: 'GET', path: '/items/{id}', handler: inlineHandler(), authorization: RouteAuthorization.none(), ...overrides };
}

function stageSettings(stack: ReturnType<typeof testStack>): any[] {
  const stages = Template.fromStack(stack).findResources('AWS::ApiGateway::Stage');
  return Object.values<any>(stages)[0].Properties.MethodSettings;
}

describe('response caching', () => {
  test('GIVEN stage.cache and a cached route THEN the stage gets a 0.5 GB cache cluster', () => {
    const { stack, api: created } = api();
    created.addRoute(publicRoute({ cache: {} }));

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { CacheClusterEnabled: true, CacheClusterSize: '0.5' });
  });

  test('GIVEN stage.cache and no cached route THEN no cluster (it is billed by the hour)', () => {
    const { stack, api: created } = api();
    created.addRoute(publicRoute());

    const stageProps = Object.values<any>(Template.fromStack(stack).findResources('AWS::ApiGateway::Stage'))[0].Properties;
    expect(stageProps.CacheClusterEnabled).toBe(false);
    expect(stageProps.CacheClusterSize).toBeUndefined();
  });

  test('GIVEN a cluster size THEN the stage uses it', () => {
    const { stack, api: created } = api({ stage: { cache: { clusterSize: '6.1' } } });
    created.addRoute(publicRoute({ cache: {} }));

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { CacheClusterSize: '6.1' });
  });

  test('GIVEN no stage.cache THEN no cluster, no caching method setting and no invalidation resource, even for a route with cache', () => {
    const { stack, api: created } = api({});
    created.addRoute(publicRoute({ cache: {} }));

    const stageProps = Object.values<any>(Template.fromStack(stack).findResources('AWS::ApiGateway::Stage'))[0].Properties;
    // Explicitly false (a stage whose cache is dropped gets a change CloudFormation applies), no size.
    expect(stageProps.CacheClusterEnabled).toBe(false);
    expect(stageProps.CacheClusterSize).toBeUndefined();
    expect(stageProps.MethodSettings.some((s: any) => s.CachingEnabled)).toBe(false);
    Template.fromStack(stack).resourceCountIs('Custom::AWS', 0);
  });

  test('GIVEN a cached route THEN it is cached 5 minutes, encrypted, as a method setting with /~1 escaped path', () => {
    const { stack, api: created } = api();
    created.addRoute(publicRoute({ cache: {} }));

    expect(stageSettings(stack)).toContainEqual(expect.objectContaining({
      ResourcePath: '/~1items~1{id}', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: 300, CacheDataEncrypted: true,
    }));
  });

  test('GIVEN a ttl THEN the method setting uses it', () => {
    const { stack, api: created } = api();
    created.addRoute(publicRoute({ cache: { ttl: Duration.seconds(30) } }));

    expect(stageSettings(stack)).toContainEqual(expect.objectContaining({ ResourcePath: '/~1items~1{id}', CacheTtlInSeconds: 30 }));
  });

  test('GIVEN a route throttled and cached THEN one method setting holds both', () => {
    const { stack, api: created } = api();
    created.addRoute(publicRoute({ cache: {} }));
    created.throttleRoute('GET', '/items/{id}', { rateLimit: 5, burstLimit: 10 });

    const entries = stageSettings(stack).filter(s => s.ResourcePath === '/~1items~1{id}');
    expect(entries).toEqual([expect.objectContaining({ CachingEnabled: true, ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })]);
  });

  test('GIVEN query parameters and headers THEN they are declared and, with the path parameters, form the cache key', () => {
    const { stack, api: created } = api();
    created.addRoute(publicRoute({ cache: { queryParameters: ['lang'], headers: ['Accept-Language'] } }));

    const operation = body(stack).paths['/items/{id}'].get;
    expect(operation.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'lang', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'Accept-Language', in: 'header', required: false, schema: { type: 'string' } },
    ]);
    expect(operation['x-amazon-apigateway-integration'].cacheKeyParameters).toEqual([
      'method.request.path.id', 'method.request.querystring.lang', 'method.request.header.Accept-Language',
    ]);
  });

  test('GIVEN an uncached route THEN its operation has no cache key', () => {
    const { stack, api: created } = api();
    created.addRoute(publicRoute());

    expect(body(stack).paths['/items/{id}'].get['x-amazon-apigateway-integration'].cacheKeyParameters).toBeUndefined();
  });

  test('GIVEN a CRUD resource with listCache THEN the list route is keyed by limit and nextToken', () => {
    const { stack, api: created } = api();
    created.addCrudResource('items', { readAuthorization: RouteAuthorization.none(), listCache: { ttl: Duration.minutes(1) } });

    expect(body(stack).paths['/items'].get['x-amazon-apigateway-integration'].cacheKeyParameters)
      .toEqual(['method.request.querystring.limit', 'method.request.querystring.nextToken']);
    expect(stageSettings(stack)).toContainEqual(expect.objectContaining({ ResourcePath: '/~1items', HttpMethod: 'GET', CacheTtlInSeconds: 60 }));
    expect(body(stack).paths['/items/{id}'].get['x-amazon-apigateway-integration'].cacheKeyParameters).toBeUndefined();
  });

  test('GIVEN an IAM route with Authorization in the key THEN it may be cached', () => {
    const { stack, api: created } = api();
    created.addRoute(publicRoute({ authorization: RouteAuthorization.iam(), cache: { headers: ['Authorization'] } }));

    expect(body(stack).paths['/items/{id}'].get['x-amazon-apigateway-integration'].cacheKeyParameters)
      .toContain('method.request.header.Authorization');
  });

  test('GIVEN a request authorizer route keyed by its identity header THEN it may be cached', () => {
    const { stack, api: created } = api();
    const authorizer = LambdaAuthorizer.request({ handlerCode: inlineHandler(), identitySources: ['method.request.header.x-partner-id'] });
    created.addRoute(publicRoute({ authorization: RouteAuthorization.lambda(authorizer), cache: { headers: ['X-Partner-Id'] } }));

    expect(body(stack).paths['/items/{id}'].get['x-amazon-apigateway-integration'].cacheKeyParameters)
      .toContain('method.request.header.X-Partner-Id');
  });

  test('GIVEN a cached route THEN invalidation requires authorization and fails with 403 for others, set again on every deployment', () => {
    const { stack, api: created } = api();
    created.addRoute(publicRoute({ cache: {} }));
    created.addRoute(publicRoute({ path: '/', cache: {} }));

    const resources = Template.fromStack(stack).findResources('Custom::AWS');
    const [resource] = Object.values<any>(resources);
    const create = JSON.parse(resource.Properties.Create['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
    expect(create).toMatchObject({ service: 'APIGateway', action: 'updateStage' });
    expect(create.parameters.patchOperations).toEqual([
      { op: 'replace', path: '/~1items~1{id}/GET/caching/requireAuthorizationForCacheControl', value: 'true' },
      { op: 'replace', path: '/~1items~1{id}/GET/caching/unauthorizedCacheControlHeaderStrategy', value: 'FAIL_WITH_403' },
      { op: 'replace', path: '/~1/GET/caching/requireAuthorizationForCacheControl', value: 'true' },
      { op: 'replace', path: '/~1/GET/caching/unauthorizedCacheControlHeaderStrategy', value: 'FAIL_WITH_403' },
    ]);
    expect(resource.Properties.Deployment.Ref).toMatch(/^ApiDeployment/);
    expect(resource.DependsOn.some((d: string) => d.startsWith('ApiDeploymentStage'))).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'apigateway:PATCH', Resource: Match.anyValue() })] },
    });
  });

  test('grantInvalidateCache grants execute-api:InvalidateCache on the route', () => {
    const { stack, api: created } = api();
    created.addRoute(publicRoute({ cache: {} }));
    const role = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });

    created.grantInvalidateCache(role, 'GET', '/items/{id}');

    const policy = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .find(p => p.Properties.Roles?.some((r: any) => JSON.stringify(r).includes('Operator')));
    const statement = policy.Properties.PolicyDocument.Statement[0];
    expect(statement.Action).toBe('execute-api:InvalidateCache');
    expect(JSON.stringify(statement.Resource)).toContain('/GET/items/*');
  });

  test('fails if an authorized route is cached without the caller in the key', () => {
    const { api: created } = api({ ...CACHED, cognito: {} });
    expect(() => created.addRoute(publicRoute({ authorization: RouteAuthorization.cognito(), cache: { queryParameters: ['lang'] } }))).toThrow(
      "TestStack/Api: route 'GET /items/{id}' cache leaves the caller out of the cache key of a route with COGNITO_USER_POOLS authorization: "
      + 'one caller\'s cached response would be served to another (received {"headers":[],"queryParameters":["lang"]}). '
      + "Add 'Authorization' to the cache's headers, so that each caller has their own entries.");
  });

  test('fails if a Lambda authorizer route is cached without its identity source in the key', () => {
    const { api: created } = api();
    const authorizer = LambdaAuthorizer.request({ handlerCode: inlineHandler(), identitySources: ['method.request.querystring.partner'] });
    expect(() => created.addRoute(publicRoute({ authorization: RouteAuthorization.lambda(authorizer), cache: {} })))
      .toThrow(/with CUSTOM authorization: one caller's cached response would be served to another .*Add 'partner' to the cache's queryParameters/);
  });

  test('fails if a Lambda authorizer decides on nothing that can be keyed', () => {
    const { api: created } = api();
    const authorizer = LambdaAuthorizer.request({ handlerCode: inlineHandler(), identitySources: ['context.sourceIp'] });
    expect(() => created.addRoute(publicRoute({ authorization: RouteAuthorization.lambda(authorizer), cache: { headers: ['Authorization'] } })))
      .toThrow(/The Lambda authorizer decides on no header or query parameter that could be part of the key: do not cache this route, or make it public\./);
  });

  test('fails if a write route is cached', () => {
    const { api: created } = api();
    expect(() => created.addRoute(publicRoute({ method: 'POST', cache: {} })))
      .toThrow("TestStack/Api: route 'POST /items/{id}' cache is set on a route that is not GET or HEAD (received 'POST'). Cache reads only: a cached write would be answered from the cache without reaching the backend.");
  });

  test('fails if the ttl is over an hour', () => {
    const { api: created } = api();
    expect(() => created.addRoute(publicRoute({ cache: { ttl: Duration.hours(2) } })))
      .toThrow("route 'GET /items/{id}' cache.ttl must be from 0 to 3600 seconds (received '2 hours'). Use e.g. Duration.minutes(5).");
  });

  test('fails if a cache key header is not a header name', () => {
    const { api: created } = api();
    expect(() => created.addRoute(publicRoute({ cache: { headers: ['Bad Header'] } })))
      .toThrow("route 'GET /items/{id}' cache.headers is not an HTTP header name (received 'Bad Header').");
  });

  test('fails if a cache key query parameter is not a name', () => {
    const { api: created } = api();
    expect(() => created.addRoute(publicRoute({ cache: { queryParameters: ['a=b'] } })))
      .toThrow("route 'GET /items/{id}' cache.queryParameters is not a query parameter name (received 'a=b').");
  });

  test('fails if the cluster size is not one API Gateway offers', () => {
    expect(() => api({ stage: { cache: { clusterSize: '1' } } }))
      .toThrow("TestStack/Api: stage.cache.clusterSize is not an API Gateway cache cluster size (received '1'). Use one of '0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237' (GB).");
  });
});
