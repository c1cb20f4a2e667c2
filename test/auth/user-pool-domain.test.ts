import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ApiUserPool, RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';

/**
 * Access tokens with custom scopes come from the OAuth 2.0 endpoints of a user pool domain; a pool
 * without a domain has none, so every scoped route would be unreachable. Prefix domains: lowercase
 * letters, digits and hyphens, 1-63 characters, no leading or trailing hyphen (CloudFormation's
 * pattern), without the reserved words aws, amazon and cognito, unique in the Region.
 */
const CALLBACKS = { callbackUrls: ['https://app.example.com/callback'] };
const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function scopedApi(stack: Stack, userPoolProps: object = CALLBACKS): ServerlessApi {
  const api = new ServerlessApi(stack, 'Api', { cognito: { userPoolProps } });
  api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito(['api/items.write']) });
  return api;
}

function domains(stack: Stack): string[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::Cognito::UserPoolDomain')).map(r => r.Properties.Domain);
}

function stageStack(app: App, stackName: string): Stack {
  return new Stack(app, stackName, { env: { account: '123456789012', region: 'eu-west-1' } });
}

describe('user pool domain for scoped routes', () => {
  test('GIVEN an ApiUserPool and a route with scopes THEN a prefix domain is created, valid and named after the stack', () => {
    const stack = testStack();
    const api = scopedApi(stack);

    const [prefix] = domains(stack);
    expect(prefix).toMatch(PREFIX);
    expect(prefix).toMatch(/^teststack-[0-9a-f]{8}$/);
    expect(api.apiUserPool!.userPoolDomain).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', { UserPoolId: { Ref: stack.getLogicalId(api.apiUserPool!.userPool.node.defaultChild as cognito.CfnUserPool) } });
  });

  test('GIVEN the same app twice THEN the prefix is the same (deterministic); GIVEN two stages THEN their prefixes differ', () => {
    const a = domains((() => { const s = stageStack(testApp(), 'Dev-Api'); scopedApi(s); return s; })());
    const b = domains((() => { const s = stageStack(testApp(), 'Dev-Api'); scopedApi(s); return s; })());
    const prod = domains((() => { const s = stageStack(testApp(), 'Prod-Api'); scopedApi(s); return s; })());
    expect(a).toEqual(b);
    expect(prod[0]).not.toEqual(a[0]);
    expect(prod[0]).toMatch(/^prod-api-/);
  });

  test('GIVEN a stack name with reserved words THEN the derived prefix leaves them out', () => {
    const stack = stageStack(testApp(), 'AwsCognito-Amazon-Items');
    scopedApi(stack);
    const [prefix] = domains(stack);
    expect(prefix).toMatch(PREFIX);
    expect(prefix).not.toMatch(/aws|amazon|cognito/);
    expect(prefix).toMatch(/^items-[0-9a-f]{8}$/);
  });

  test('GIVEN no scoped route THEN no domain is created', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { cognito: {} });
    api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito() });
    expect(domains(stack)).toEqual([]);
  });

  test('GIVEN domainPrefix THEN it is used', () => {
    const stack = testStack();
    scopedApi(stack, { ...CALLBACKS, domainPrefix: 'items-login-prod' });
    expect(domains(stack)).toEqual(['items-login-prod']);
  });

  test('fails if domainPrefix has a reserved word', () => {
    expect(() => new ApiUserPool(testStack(), 'Users', { domainPrefix: 'my-cognito-login' })).toThrow(
      "TestStack/Users: domainPrefix contains the reserved word 'cognito' (received 'my-cognito-login'). Cognito rejects prefixes with aws, amazon or cognito: pick another, e.g. 'items-login'.");
  });

  test('fails if domainPrefix is not a valid prefix', () => {
    expect(() => new ApiUserPool(testStack(), 'Users', { domainPrefix: 'Items_Login' })).toThrow(
      "TestStack/Users: domainPrefix is not a valid Cognito domain prefix (received 'Items_Login'). Use 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen, e.g. 'items-login'.");
  });

  test('GIVEN the user pool of another API\'s ApiUserPool THEN its scopes reach that pool\'s resource server and domain', () => {
    const stack = testStack();
    const v1 = new ServerlessApi(stack, 'V1', { cognito: { userPoolProps: CALLBACKS } });
    v1.addRoute({ method: 'GET', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito() });
    const v2 = new ServerlessApi(stack, 'V2', { cognito: { userPool: v1.userPool } });
    v2.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito(['api/items.write']) });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', { Scopes: [{ ScopeName: 'items.write', ScopeDescription: 'Scope items.write of the API' }] });
    expect(domains(stack)).toHaveLength(1);
  });

  test('fails if an imported pool serves scoped routes and no userPoolDomain is declared', () => {
    const stack = testStack();
    const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc');
    const api = new ServerlessApi(stack, 'Api', { cognito: { userPool: pool } });

    expect(() => api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito(['items/write']) })).toThrow(
      "TestStack/Api: route 'POST /items' authorization scopes need the OAuth endpoints of a user pool domain, but cognito.userPoolDomain is not set (received 'items/write'). "
      + 'Add a domain to the pool (userPool.addDomain(...) or the console) and pass it as cognito: { userPool, userPoolDomain }, or let the API create its pool (cognito: { userPoolProps }).');
  });

  test('GIVEN an imported pool with its domain THEN scoped routes synthesize', () => {
    const stack = testStack();
    const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc');
    const userPoolDomain = cognito.UserPoolDomain.fromDomainName(stack, 'Domain', 'items-login');
    const api = new ServerlessApi(stack, 'Api', { cognito: { userPool: pool, userPoolDomain } });
    api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito(['items/write']) });

    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('GIVEN an imported pool and only the aws.cognito.signin.user.admin scope (in SRP tokens) THEN no domain is needed', () => {
    const stack = testStack();
    const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc');
    const api = new ServerlessApi(stack, 'Api', { cognito: { userPool: pool } });
    expect(() => api.addRoute({
      method: 'GET', path: '/me', handler: inlineHandler(), authorization: RouteAuthorization.cognito(['aws.cognito.signin.user.admin']),
    })).not.toThrow();
  });
});
