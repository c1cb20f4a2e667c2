import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { NagRuleCompliance } from 'cdk-nag';
import { Audit, RouteAuthorization, ServerlessApi, ServerlessApiProps } from '../../lib';
import { PreflightAuth, RouteAuth, ScopesOnCognito } from '../../lib/nag/rules';
import { inlineHandler, testApp, testStack } from '../util';

const SIGV4 = { 'type': 'apiKey', 'name': 'Authorization', 'in': 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
const COGNITO = {
  'type': 'apiKey', 'name': 'Authorization', 'in': 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools',
  'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/x'] },
};
const LAMBDA = { 'type': 'apiKey', 'name': 'Unused', 'in': 'header', 'x-amazon-apigateway-authtype': 'custom' };
const API_KEY = { type: 'apiKey', name: 'x-api-key', in: 'header' };
const PROXY = { type: 'aws_proxy', httpMethod: 'POST', uri: 'arn:aws:apigateway:eu-west-1:lambda:path/fn' };
const MOCK = { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 204}' } };

/** A RestApi with an inline OpenAPI body, as the rules see it. */
function restApiWithBody(paths: Record<string, any>, extra: Record<string, any> = {}): apigateway.CfnRestApi {
  return new apigateway.CfnRestApi(testStack(), 'Api', {
    body: {
      openapi: '3.0.1',
      info: { title: 't', version: '1' },
      paths,
      components: { securitySchemes: { sigv4: SIGV4, CognitoUserPool: COGNITO, Partner: LAMBDA, api_key: API_KEY } },
      ...extra,
    },
  });
}

function operation(security?: unknown[], integration: Record<string, any> = PROXY): Record<string, any> {
  return { responses: {}, ...(security !== undefined ? { security } : {}), 'x-amazon-apigateway-integration': integration };
}

/** An app audited by `Audit.enable`, with one stack. */
function audited(): { app: App; stack: Stack } {
  const app = testApp();
  const stack = testStack(app, 'Audited');
  Audit.enable(app);
  return { app, stack };
}

/** A ServerlessApi in `stack`, its stage's AwsSolutions-APIG3 (no WAF) acknowledged: not what these tests are about. */
function newApi(stack: Stack, props: ServerlessApiProps = {}): ServerlessApi {
  const result = new ServerlessApi(stack, 'Api', props);
  Validations.of(result.stage.node.defaultChild!).acknowledge({ id: 'AwsSolutions-APIG3', reason: 'Test API, never deployed: no web ACL needed.' });
  return result;
}

/** The acknowledgements written into the RestApi's template Metadata, by id. */
function trail(app: App, api: ServerlessApi): Record<string, string> {
  const assembly = app.synth();
  const stack = Stack.of(api);
  const cfn = api.restApi.node.defaultChild as CfnResource;
  const template = assembly.getStackArtifact(stack.artifactId).template;
  const rules = template.Resources[stack.resolve(cfn.logicalId)].Metadata?.cdk_nag?.rules_to_suppress ?? [];
  return Object.fromEntries(rules.map((r: any) => [r.id, r.reason]));
}

function reportOf(app: App): any {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
}

describe('ServerlessApi-RouteAuth', () => {
  test('GIVEN every operation requires sigv4, Cognito, a Lambda authorizer or an API key THEN compliant', () => {
    const node = restApiWithBody({
      '/a': { get: operation([{ sigv4: [] }]), post: operation([{ CognitoUserPool: ['api/write'] }]) },
      '/b': { 'x-amazon-apigateway-any-method': operation([{ Partner: [] }]), 'delete': operation([{ api_key: [] }]) },
      '/c': { put: operation([{ CognitoUserPool: [], api_key: [] }]) },
    });
    expect(RouteAuth(node)).toEqual(NagRuleCompliance.COMPLIANT);
  });

  test('GIVEN an operation without its own security THEN the body\'s top-level security applies (compliant)', () => {
    const node = restApiWithBody({ '/a': { get: operation() } }, { security: [{ sigv4: [] }] });
    expect(RouteAuth(node)).toEqual(NagRuleCompliance.COMPLIANT);
  });

  test('GIVEN operations with no security, security: [] or an empty alternative {} THEN one finding per public route', () => {
    const node = restApiWithBody({
      '/health': { get: operation([]) },
      '/items/{id}': { get: operation(), put: operation([{ sigv4: [] }]) },
      '/open': { 'x-amazon-apigateway-any-method': operation([{ sigv4: [] }, {}]) },
    });
    expect(RouteAuth(node)).toEqual(['GET:/health', 'GET:/items/{id}', 'ANY:/open']);
  });

  test('GIVEN a CORS preflight (OPTIONS, mock integration) without security THEN it is left to PreflightAuth', () => {
    const node = restApiWithBody({ '/a': { get: operation([{ sigv4: [] }]), options: operation([], MOCK) } });
    expect(RouteAuth(node)).toEqual(NagRuleCompliance.COMPLIANT);
  });

  test('GIVEN an OPTIONS route served by a function without security THEN it is a public route like any other', () => {
    const node = restApiWithBody({ '/a': { options: operation([]) } });
    expect(RouteAuth(node)).toEqual(['OPTIONS:/a']);
  });

  test('GIVEN a raw override that empties a route\'s security THEN the finding appears (escape hatches do not slip past)', () => {
    const node = restApiWithBody({ '/a': { get: operation([{ sigv4: [] }]) } });
    node.addPropertyOverride('Body.paths./a.get.security', []);
    expect(RouteAuth(node)).toEqual(['GET:/a']);
  });

  test('GIVEN a RestApi without an inline body, or another resource THEN not applicable', () => {
    const stack = testStack();
    const s3Body = new apigateway.CfnRestApi(stack, 'FromS3', { bodyS3Location: { bucket: 'b', key: 'k' } });
    const other = new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic' });
    expect(RouteAuth(s3Body)).toEqual(NagRuleCompliance.NOT_APPLICABLE);
    expect(RouteAuth(other)).toEqual(NagRuleCompliance.NOT_APPLICABLE);
  });
});

describe('ServerlessApi-PreflightAuth', () => {
  test('GIVEN every OPTIONS operation declares security: [] THEN compliant', () => {
    const node = restApiWithBody({ '/a': { get: operation([{ sigv4: [] }]), options: operation([], MOCK) } });
    expect(PreflightAuth(node)).toEqual(NagRuleCompliance.COMPLIANT);
  });

  test('GIVEN an OPTIONS operation with authorization, or inheriting the top-level security THEN one finding per path', () => {
    const node = restApiWithBody({
      '/a': { options: operation([{ sigv4: [] }], MOCK) },
      '/b': { options: operation(undefined, MOCK) },
      '/c': { options: operation([], MOCK) },
    }, { security: [{ sigv4: [] }] });
    expect(PreflightAuth(node)).toEqual(['OPTIONS:/a', 'OPTIONS:/b']);
  });

  test('GIVEN no OPTIONS operation THEN not applicable', () => {
    expect(PreflightAuth(restApiWithBody({ '/a': { get: operation([]) } }))).toEqual(NagRuleCompliance.NOT_APPLICABLE);
  });
});

describe('ServerlessApi-ScopesOnCognito', () => {
  test('GIVEN scopes only on the Cognito user pool scheme THEN compliant', () => {
    const node = restApiWithBody({ '/a': { post: operation([{ CognitoUserPool: ['api/items.write'], api_key: [] }]) } });
    expect(ScopesOnCognito(node)).toEqual(NagRuleCompliance.COMPLIANT);
  });

  test('GIVEN scopes on a sigv4 or Lambda authorizer scheme, or on an undeclared scheme THEN one finding per operation', () => {
    const node = restApiWithBody({
      '/a': { get: operation([{ sigv4: ['api/read'] }]) },
      '/b': { get: operation([{ Partner: ['api/read'] }]), post: operation([{ Nowhere: ['api/write'] }]) },
      '/c': { get: operation([{ CognitoUserPool: ['api/read'] }]) },
    });
    expect(ScopesOnCognito(node)).toEqual(['GET:/a', 'GET:/b', 'POST:/b']);
  });
});

describe('ServerlessApiChecks under Audit.enable', () => {
  test('GIVEN RouteAuthorization.none() on a route THEN synth passes and the RestApi acknowledges that route, naming it', () => {
    const { app, stack } = audited();
    const api = newApi(stack);
    api.addRoute({ method: 'GET', path: '/health', handler: inlineHandler(), authorization: RouteAuthorization.none() });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(trail(app, api)).toEqual({
      'AwsSolutions-APIG2': expect.any(String),
      'ServerlessApi-RouteAuth[GET:/health]': expect.stringMatching(/^Route 'GET \/health' is public by declaration: RouteAuthorization.none\(\) is its authorization/),
    });
    expect(reportOf(app).pluginReports).toEqual([]);
  });

  test('GIVEN defaultAuthorization none() THEN each route that relies on it is acknowledged, saying so', () => {
    const { app, stack } = audited();
    const api = newApi(stack, { defaultAuthorization: RouteAuthorization.none() });
    api.addRoute({ method: 'GET', path: '/items/{id}', handler: inlineHandler() });
    api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.iam() });

    expect(Object.entries(trail(app, api)).filter(([id]) => id.startsWith('ServerlessApi-'))).toEqual([
      ['ServerlessApi-RouteAuth[GET:/items/{id}]', expect.stringContaining('is the API\'s defaultAuthorization')],
    ]);
  });

  test('GIVEN none() with an API key THEN the route is not public and nothing is acknowledged', () => {
    const { app, stack } = audited();
    const api = newApi(stack);
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.none(), apiKeyRequired: true });
    api.addUsagePlan('Plan');

    expect(Object.keys(trail(app, api)).filter(id => id.startsWith('ServerlessApi-'))).toEqual([]);
  });

  test('GIVEN a route made public without none() (a bug) THEN synth fails naming that route, not the declared one', () => {
    const { app, stack } = audited();
    const api = newApi(stack);
    api.addRoute({ method: 'GET', path: '/health', handler: inlineHandler(), authorization: RouteAuthorization.none() });
    api.addRoute({ method: 'GET', path: '/secret', handler: inlineHandler() });
    // WHEN a later extension of the body drops the route's security requirement
    api._extendOperations((_method, p, op) => { if (p === '/secret') { delete op.security; } });

    let message = '';
    try { app.synth(); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/Audited\/Api\/Resource\/Resource[\s\S]*ServerlessApi-RouteAuth\[GET:\/secret\]/);
    expect(message).not.toMatch(/GET:\/health/);
  });

  test('GIVEN CORS on IAM routes THEN the preflights pass PreflightAuth and RouteAuth', () => {
    const { app, stack } = audited();
    const api = newApi(stack, { cors: { allowOrigins: ['https://app.example.com'] } });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(() => app.synth()).not.toThrow();
    expect(reportOf(app).pluginReports).toEqual([]);
  });

  test('fails if a ServerlessApi rule is acknowledged for a whole stage', () => {
    const app = testApp();
    const stage = new Stage(app, 'Dev', { env: { account: '123456789012', region: 'eu-west-1' } });
    new Stack(stage, 'S');
    Validations.of(stage).acknowledge({ id: 'ServerlessApi-RouteAuth', reason: 'Every route of this stage is meant to be public.' });
    Audit.enable(app);
    expect(() => app.synth()).toThrow(/acknowledges ServerlessApi-RouteAuth for a whole stage/);
  });
});
