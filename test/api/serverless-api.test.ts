import * as fs from 'fs';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DataAccess, RouteHandler, ServerlessApi, ServerlessTable } from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';

function apiWith(routes: Array<[string, string]>, stack: Stack = testStack()): { stack: Stack; api: ServerlessApi } {
  const api = new ServerlessApi(stack, 'Api', { stageName: 'dev' });
  for (const [method, path] of routes) {
    api.addRoute({ method, path, handler: inlineHandler() });
  }
  return { stack, api };
}

function body(stack: Stack): any {
  const apis = Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi');
  return Object.values(apis)[0].Properties.Body;
}

function countResources(stack: Stack): number {
  return Object.keys(Template.fromStack(stack).toJSON().Resources).length;
}

describe('routes in the OpenAPI body', () => {
  test('GIVEN a route WHEN synthesized THEN it is an aws_proxy integration in the RestApi body, not a Method resource', () => {
    const { stack } = apiWith([['GET', '/items']]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Method', 0);
    template.resourceCountIs('AWS::ApiGateway::Resource', 0);
    expect(body(stack).paths['/items'].get['x-amazon-apigateway-integration']).toMatchObject({
      type: 'aws_proxy', httpMethod: 'POST',
    });
  });

  test('GIVEN a path parameter THEN the operation declares it as a required path parameter', () => {
    const { stack } = apiWith([['GET', '/items/{id}']]);
    expect(body(stack).paths['/items/{id}'].get.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  test('GIVEN method ANY with a greedy path THEN the body uses x-amazon-apigateway-any-method', () => {
    const { stack } = apiWith([['ANY', '/files/{proxy+}']]);
    expect(Object.keys(body(stack).paths['/files/{proxy+}'])).toEqual(['x-amazon-apigateway-any-method']);
  });

  test('GIVEN lower-case method THEN it is normalized to upper case', () => {
    const { api } = apiWith([['get', '/items']]);
    expect(api.routes.map(r => `${r.method} ${r.path}`)).toEqual(['GET /items']);
  });

  test('GIVEN routes in props THEN they are added like addRoute', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { routes: [{ method: 'GET', path: '/a', handler: inlineHandler() }] });
    expect(api.functionFor('GET /a')).toBeDefined();
  });

  test('GIVEN gateway errors THEN 4XX and 5XX answer JSON with the request id', () => {
    const { stack } = apiWith([['GET', '/items']]);
    expect(body(stack)['x-amazon-apigateway-gateway-responses'].DEFAULT_4XX.responseTemplates['application/json'])
      .toContain('"requestId":"$context.requestId"');
  });
});

describe('functions', () => {
  test('GIVEN a route THEN its function runs the newest Node.js runtime on arm64 with JSON logs and active tracing', () => {
    const { stack } = apiWith([['GET', '/items']]);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' }),
      MemorySize: 512,
      Timeout: 10,
    });
  });

  test('GIVEN per-route options THEN memory, timeout, environment and description apply to that function', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({
      method: 'GET', path: '/slow', handler: inlineHandler(),
      memorySize: 1024, timeout: Duration.seconds(20), environment: { MODE: 'slow' }, description: 'slow route',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024, Timeout: 20, Description: 'slow route', Environment: { Variables: { MODE: 'slow' } },
    });
  });

  test('GIVEN functionDefaults THEN every function gets them', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { functionDefaults: { memorySize: 256, architecture: lambda.Architecture.X86_64 } });
    api.addRoute({ method: 'GET', path: '/a', handler: inlineHandler() });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { MemorySize: 256, Architectures: ['x86_64'] });
  });

  test('GIVEN every function THEN they all log to one shared log group with the stage retention', () => {
    const { stack } = apiWith([['GET', '/a'], ['GET', '/b']]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 3); // access logs, function logs and API Gateway's execution logs, whatever the route count
    const fns = Object.values(template.findResources('AWS::Lambda::Function'));
    const groups = new Set(fns.map((f: any) => JSON.stringify(f.Properties.LoggingConfig.LogGroup)));
    expect(groups.size).toBe(1);
  });

  test('GIVEN one handler on two routes THEN one function serves both', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const shared = inlineHandler();
    const a = api.addRoute({ method: 'GET', path: '/items', handler: shared });
    const b = api.addRoute({ method: 'GET', path: '/items/{id}', handler: shared });
    expect(a.function).toBe(b.function);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('GIVEN an existing function THEN the API invokes it and creates no function', () => {
    const stack = testStack();
    const fn = new lambda.Function(stack, 'Mine', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/mine', handler: RouteHandler.fromFunction(fn) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
  });

  test('GIVEN an entry file THEN the function is bundled by esbuild, minified with source maps and the AWS SDK external', () => {
    const app = testApp({ bundle: true });
    const stack = testStack(app);
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/items/{id}', handler: RouteHandler.fromEntry('lib/runtime/crud/get.ts') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
    const assembly = app.synth();
    const assetDir = fs.readdirSync(assembly.directory).find(f => f.startsWith('asset.') && fs.existsSync(`${assembly.directory}/${f}/index.js`));
    const code = fs.readFileSync(`${assembly.directory}/${assetDir}/index.js`, 'utf8');
    expect(code.split('\n').length).toBeLessThan(5); // minified
    expect(code).toMatch(/require\("@aws-sdk\/lib-dynamodb"\)/); // the SDK is left to the runtime
    expect(fs.existsSync(`${assembly.directory}/${assetDir}/index.js.map`)).toBe(true);
  });
});

describe('least privilege', () => {
  test('GIVEN a function serving one route THEN its one invoke permission is scoped to the stage, method and path', () => {
    const { stack } = apiWith([['GET', '/items/{id}']]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    const permission: any = Object.values(template.findResources('AWS::Lambda::Permission'))[0];
    expect(JSON.stringify(permission.Properties.SourceArn)).toMatch(/\/dev\/GET\/items\/\*"/);
  });

  test('GIVEN a function serving several routes THEN one permission covers the stage of this API', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const shared = inlineHandler();
    api.addRoute({ method: 'GET', path: '/a', handler: shared });
    api.addRoute({ method: 'POST', path: '/b', handler: shared });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    const permission: any = Object.values(template.findResources('AWS::Lambda::Permission'))[0];
    expect(JSON.stringify(permission.Properties.SourceArn)).toMatch(/\/dev\/\*\/\*"/);
  });

  test('GIVEN routes with the same dataAccess THEN they share one role; different access gets another role', () => {
    const stack = testStack();
    const table = new ServerlessTable(stack, 'Table');
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/a', handler: inlineHandler(), dataAccess: [DataAccess.readData(table.table)] });
    api.addRoute({ method: 'GET', path: '/b', handler: inlineHandler(), dataAccess: [DataAccess.readData(table.table)] });
    api.addRoute({ method: 'POST', path: '/c', handler: inlineHandler(), dataAccess: [DataAccess.writeData(table.table)] });
    api.addRoute({ method: 'GET', path: '/d', handler: inlineHandler() });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 3 + 1); // read, write, logs-only + ApiGatewayAccount role
  });

  test('GIVEN a route without dataAccess THEN its role can only write logs and traces', () => {
    const { stack } = apiWith([['GET', '/a']]);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const actions = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [].concat(s.Action)));
    expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });
});

describe('stage', () => {
  test('GIVEN defaults THEN the stage has JSON access logs, tracing, ERROR execution logs, no data trace and a throttle', () => {
    const { stack } = apiWith([['GET', '/a']]);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"') },
      MethodSettings: [Match.objectLike({
        LoggingLevel: 'ERROR', DataTraceEnabled: false, MetricsEnabled: false,
        ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, HttpMethod: '*', ResourcePath: '/*',
      })],
    });
  });

  test('GIVEN stage options THEN they override the defaults', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', {
      stageName: 'prod',
      stage: {
        throttlingRateLimit: 1000, throttlingBurstLimit: 2000, tracingEnabled: false,
        executionLogLevel: apigateway.MethodLoggingLevel.INFO, detailedMetrics: true,
        logRetention: logs.RetentionDays.ONE_YEAR, logRemovalPolicy: RemovalPolicy.DESTROY,
      },
    });
    api.addRoute({ method: 'GET', path: '/a', handler: inlineHandler() });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod', TracingEnabled: false,
      MethodSettings: [Match.objectLike({ LoggingLevel: 'INFO', MetricsEnabled: true, ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 })],
    });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Delete' });
  });

  test('GIVEN defaults THEN log groups keep a month and are retained', () => {
    const { stack } = apiWith([['GET', '/a']]);
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Retain' });
  });

  test('GIVEN defaults THEN the endpoint is edge-optimized', () => {
    const { stack } = apiWith([['GET', '/a']]);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['EDGE'] } });
  });
});

describe('account CloudWatch role', () => {
  test('GIVEN two APIs in one stack THEN one retained account setting and role serve both', () => {
    const stack = testStack();
    for (const id of ['A', 'B']) {
      new ServerlessApi(stack, id).addRoute({ method: 'GET', path: '/x', handler: inlineHandler() });
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    template.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] } },
    });
  });

  test('GIVEN cloudWatchRole false THEN no account setting is created', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api', { cloudWatchRole: false }).addRoute({ method: 'GET', path: '/x', handler: inlineHandler() });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('GIVEN the account setting THEN the stage waits for it', () => {
    const { stack } = apiWith([['GET', '/a']]);
    const stage: any = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::Stage'))[0];
    expect(stage.DependsOn.some((d: string) => d.startsWith('ApiGatewayAccount'))).toBe(true);
  });
});

describe('deployment', () => {
  function deploymentId(routes: Array<[string, string]>): string {
    const { stack } = apiWith(routes);
    return Object.keys(Template.fromStack(stack).findResources('AWS::ApiGateway::Deployment'))[0];
  }

  test('GIVEN the same definition THEN the deployment logical ID is stable', () => {
    expect(deploymentId([['GET', '/a']])).toEqual(deploymentId([['GET', '/a']]));
  });

  test('GIVEN an added route THEN the deployment logical ID changes, so the stage is redeployed', () => {
    expect(deploymentId([['GET', '/a'], ['GET', '/b']])).not.toEqual(deploymentId([['GET', '/a']]));
  });

  test('GIVEN a changed method THEN the deployment logical ID changes', () => {
    expect(deploymentId([['POST', '/a']])).not.toEqual(deploymentId([['GET', '/a']]));
  });
});

describe('scale', () => {
  test('GIVEN more functions than functionsInApiStack THEN the rest go into nested stacks of functionsPerNestedStack', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { scaling: { functionsInApiStack: 2, functionsPerNestedStack: 3 } });
    for (let i = 0; i < 7; i++) {
      api.addRoute({ method: 'GET', path: `/r${i}`, handler: inlineHandler() });
    }
    expect(api.routeStacks).toHaveLength(2);
    expect(api.routeStacks.map(s => Object.keys(Template.fromStack(s).findResources('AWS::Lambda::Function')).length)).toEqual([3, 2]);
    Template.fromStack(stack).resourceCountIs('AWS::CloudFormation::Stack', 2);
  });

  test('GIVEN a function in a nested stack THEN the body integrates with its ARN by name, so the RestApi does not depend on the nested stack', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { scaling: { functionsInApiStack: 0 } });
    api.addRoute({ method: 'GET', path: '/r', handler: inlineHandler() });
    const nested = Template.fromStack(api.routeStacks[0]);
    const fn: any = Object.values(nested.findResources('AWS::Lambda::Function'))[0];
    expect(fn.Properties.FunctionName).toMatch(/^TestStack-GetR-[0-9A-F]{8}$/);
    expect(body(stack).paths['/r'].get['x-amazon-apigateway-integration'].uri).toBe(
      `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:${fn.Properties.FunctionName}/invocations`);
    const restApi: any = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0];
    expect(restApi.DependsOn ?? []).toEqual([]);
  });

  test('GIVEN a route with its own function THEN it costs two resources; a route on a shared function none', () => {
    const base = apiWith([['GET', '/a']]);
    const own = apiWith([['GET', '/a'], ['GET', '/b']]);
    expect(countResources(own.stack) - countResources(base.stack)).toBe(2);

    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const shared = inlineHandler();
    api.addRoute({ method: 'GET', path: '/a', handler: shared });
    const before = countResources(stack);
    const stack2 = testStack();
    const api2 = new ServerlessApi(stack2, 'Api');
    const shared2 = inlineHandler();
    api2.addRoute({ method: 'GET', path: '/a', handler: shared2 });
    api2.addRoute({ method: 'GET', path: '/b', handler: shared2 });
    expect(countResources(stack2) - before).toBe(0);
  });
});

describe('lookups and metrics', () => {
  test('GIVEN a route THEN functionFor finds its function by METHOD /path', () => {
    const { api } = apiWith([['GET', '/items/{id}']]);
    expect(api.functionFor('get /items/{id}')).toBe(api.routes[0].function);
  });

  test('GIVEN the API THEN metric helpers point at the stage', () => {
    const { stack, api } = apiWith([['GET', '/a']]);
    const metric = api.metricServerError();
    expect(metric.metricName).toBe('5XXError');
    expect(stack.resolve(metric.dimensions)).toEqual({ ApiName: stack.resolve(api.restApi.restApiName), Stage: stack.resolve(api.stage.stageName) });
    expect(api.metricClientError().metricName).toBe('4XXError');
    expect(api.metricLatency().statistic).toBe('p99');
  });
});
