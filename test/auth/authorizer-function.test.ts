import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { LambdaAuthorizer, RouteAuthorization, RouteHandler, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';
import { authorizerFunction, body } from './util';

const AUTHORIZER_ENTRY = path.join(__dirname, '..', '..', 'bin', 'handlers', 'partner-authorizer.ts');

/** An authorizer whose function the API creates from inline code. */
function codeAuthorizer(options: { memorySize?: number } = {}): LambdaAuthorizer {
  return LambdaAuthorizer.request({
    handlerCode: RouteHandler.fromCode(lambda.Code.fromInline('exports.handler = async () => ({ principalId: "x" });'), options),
    identitySources: ['method.request.header.x-partner-id'],
    authorizerName: 'Partners',
  });
}

/** An API with one route protected by `authorizer`. */
function apiWith(stack: Stack, authorizer: LambdaAuthorizer): ServerlessApi {
  const api = new ServerlessApi(stack, 'Api');
  api.addRoute({ method: 'GET', path: '/partner', handler: inlineHandler(), authorization: RouteAuthorization.lambda(authorizer) });
  return api;
}

function logicalId(stack: Stack, fn: lambda.IFunction): string {
  return stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
}

describe('a Lambda authorizer created from handlerCode', () => {
  test('GIVEN handlerCode WHEN a route uses the authorizer THEN the API creates its function with the shared logs-only role of route functions', () => {
    const stack = testStack();
    const authorizer = codeAuthorizer();
    const api = apiWith(stack, authorizer);

    const authorizerFn = authorizer.functionFor(api) as lambda.Function;
    const routeFn = api.functionFor('GET /partner') as lambda.Function;
    expect(authorizerFn).not.toBe(routeFn);
    expect(authorizerFn.role).toBe(routeFn.role);
    expect(authorizerFn.role!.node.id).toBe('FunctionRole');
  });

  test('GIVEN handlerCode THEN the shared role only writes the API\'s function logs and X-Ray traces', () => {
    const stack = testStack();
    const authorizer = codeAuthorizer();
    const api = apiWith(stack, authorizer);

    const role = (authorizer.functionFor(api) as lambda.Function).role as iam.Role;
    const template = Template.fromStack(stack);
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }] },
    });
    const actions = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
    expect([...new Set(actions)].sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'Shared by functions that only write logs and traces',
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('GIVEN handlerCode THEN its function gets the library defaults: Node.js 24 on arm64, JSON logs to the API\'s log group, X-Ray, a physical name', () => {
    const stack = testStack();
    const authorizer = codeAuthorizer();
    const api = apiWith(stack, authorizer);

    const fn = authorizer.functionFor(api);
    Template.fromStack(stack).hasResource('AWS::Lambda::Function', {
      Properties: {
        FunctionName: Match.stringLikeRegexp('^TestStack-Partners-[0-9A-F]{8}$'),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: {
          LogFormat: 'JSON',
          ApplicationLogLevel: 'INFO',
          SystemLogLevel: 'WARN',
          LogGroup: { Ref: stack.getLogicalId(api.functionLogGroup.node.defaultChild as any) },
        },
        Description: 'TestStack authorizer Partners',
      },
    });
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Function'))).toContain(logicalId(stack, fn));
  });

  test('GIVEN handlerCode with options and API functionDefaults THEN they apply to the authorizer function as to route functions', () => {
    const stack = testStack();
    const authorizer = codeAuthorizer({ memorySize: 256 });
    const api = new ServerlessApi(stack, 'Api', { functionDefaults: { timeout: Duration.seconds(5), environment: { STAGE: 'dev' } } });
    api.addRoute({ method: 'GET', path: '/partner', handler: inlineHandler(), authorization: RouteAuthorization.lambda(authorizer) });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: 'TestStack authorizer Partners',
      MemorySize: 256,
      Timeout: 5,
      Environment: { Variables: { STAGE: 'dev' } },
    });
  });

  test('GIVEN handlerCode from an entry file THEN it is an esbuild-bundled NodejsFunction with source maps on, like route functions', () => {
    const stack = testStack();
    const authorizer = LambdaAuthorizer.request({
      handlerCode: RouteHandler.fromEntry(AUTHORIZER_ENTRY),
      identitySources: ['method.request.header.x-partner-id'],
    });
    const api = apiWith(stack, authorizer);

    expect(authorizer.functionFor(api)).toBeInstanceOf(nodejs.NodejsFunction);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: 'TestStack authorizer PartnerAuthorizer',
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
  });

  test('GIVEN handlerCode from an entry file THEN the authorizer is named after the file, without a doubled \'Authorizer\'', () => {
    const stack = testStack();
    const authorizer = LambdaAuthorizer.request({
      handlerCode: RouteHandler.fromEntry(AUTHORIZER_ENTRY),
      identitySources: ['method.request.header.x-partner-id'],
    });
    apiWith(stack, authorizer);

    expect(body(stack).paths['/partner'].get.security).toEqual([{ PartnerAuthorizer: [] }]);
  });

  test('GIVEN handlerCode THEN the scheme invokes the function by its named ARN (no GetAtt, as for route functions)', () => {
    const stack = testStack();
    const authorizer = codeAuthorizer();
    const api = apiWith(stack, authorizer);

    const functionName = (authorizer.functionFor(api).node.defaultChild as lambda.CfnFunction).functionName;
    expect(body(stack).components.securitySchemes.Partners['x-amazon-apigateway-authorizer'].authorizerUri).toBe(
      `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:${functionName}/invocations`);
  });

  test('GIVEN handlerCode THEN API Gateway may invoke the created function from this API\'s authorizers only', () => {
    const stack = testStack();
    const authorizer = codeAuthorizer();
    const api = apiWith(stack, authorizer);

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [logicalId(stack, authorizer.functionFor(api)), 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
      SourceArn: {
        'Fn::Join': ['', ['arn:aws:execute-api:eu-west-1:123456789012:', { Ref: stack.getLogicalId(api.restApi.node.defaultChild as any) }, '/authorizers/*']],
      },
    });
  });

  test('GIVEN one handlerCode authorizer on two routes THEN the API creates one function for it', () => {
    const stack = testStack();
    const authorizer = codeAuthorizer();
    const api = apiWith(stack, authorizer);
    api.addRoute({ method: 'GET', path: '/partner/other', handler: inlineHandler(), authorization: RouteAuthorization.lambda(authorizer) });

    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Lambda::Function', { Description: 'TestStack authorizer Partners' }, 1);
  });

  test('GIVEN handlerCode RouteHandler.fromFunction(fn) THEN fn decides and no function is created', () => {
    const stack = testStack();
    const fn = authorizerFunction(stack, 'Partner');
    const authorizer = LambdaAuthorizer.request({ handlerCode: RouteHandler.fromFunction(fn), identitySources: ['method.request.header.x-partner-id'] });
    const api = apiWith(stack, authorizer);

    expect(authorizer.functionFor(api)).toBe(fn);
    expect(body(stack).paths['/partner'].get.security).toEqual([{ PartnerAuthorizer: [] }]);
  });

  test('GIVEN an existing handler THEN functionFor returns it', () => {
    const stack = testStack();
    const fn = authorizerFunction(stack, 'Partner');
    const authorizer = LambdaAuthorizer.token({ handler: fn });
    const api = apiWith(stack, authorizer);

    expect(authorizer.functionFor(api)).toBe(fn);
  });
});

describe('Lambda authorizer handler props that fail', () => {
  test('fails if both handler and handlerCode are set', () => {
    const stack = testStack();
    const authorizer = LambdaAuthorizer.token({ handler: authorizerFunction(stack, 'Auth'), handlerCode: inlineHandler() });

    expect(() => apiWith(stack, authorizer)).toThrow(
      "TestStack/Api: authorizer 'AuthAuthorizer' handler and handlerCode are both set (received 'a function'). Pass an existing function as handler or the code of a new one as handlerCode, not both.");
  });

  test('fails if neither handler nor handlerCode is set', () => {
    const authorizer = LambdaAuthorizer.request({ identitySources: ['method.request.header.x-partner-id'] });

    expect(() => apiWith(testStack(), authorizer)).toThrow(
      "TestStack/Api: authorizer 'LambdaAuthorizer' handler and handlerCode are both missing (received undefined). Pass handler: fn (a lambda.IFunction) or handlerCode: RouteHandler.fromEntry('src/authorizer.ts').");
  });

  test('fails if handlerCode memorySize is out of range, naming the authorizer', () => {
    expect(() => apiWith(testStack(), codeAuthorizer({ memorySize: 64 }))).toThrow(
      "TestStack/Api: authorizer 'Partners' handlerCode memorySize must be an integer from 128 to 10240 (MB) (received 64). Use e.g. 512.");
  });

  test('fails if functionFor is asked about an API that does not use the authorizer', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');

    expect(() => codeAuthorizer().functionFor(api)).toThrow(
      "TestStack/Api: authorizer is used by no route of this API (received 'Partners'). Add a route with authorization: RouteAuthorization.lambda(authorizer) first.");
  });
});
