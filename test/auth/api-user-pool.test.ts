import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ApiUserPool, RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';
import { body } from './util';

describe('ApiUserPool', () => {
  test('GIVEN no props THEN email sign-in, no self sign-up, a 12-character password with every class, 3-day temporary passwords', () => {
    const stack = testStack();
    new ApiUserPool(stack, 'Users');

    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true,
          TemporaryPasswordValidityDays: 3,
        },
      },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  test('GIVEN no props THEN MFA is optional with TOTP only', () => {
    const stack = testStack();
    new ApiUserPool(stack, 'Users');

    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  test('GIVEN mfa REQUIRED THEN MFA is required', () => {
    const stack = testStack();
    new ApiUserPool(stack, 'Users', { mfa: cognito.Mfa.REQUIRED });

    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
  });

  test('GIVEN no props THEN the PLUS plan with threat protection enforced', () => {
    const stack = testStack();
    new ApiUserPool(stack, 'Users');

    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  test('GIVEN the ESSENTIALS plan THEN no threat protection is configured', () => {
    const stack = testStack();
    new ApiUserPool(stack, 'Users', { featurePlan: cognito.FeaturePlan.ESSENTIALS });

    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'ESSENTIALS',
      UserPoolAddOns: Match.absent(),
    });
  });

  test('GIVEN no props THEN the pool is retained with deletion protection', () => {
    const stack = testStack();
    new ApiUserPool(stack, 'Users');

    Template.fromStack(stack).hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  test('GIVEN removalPolicy DESTROY THEN the pool is deleted with the stack and unprotected', () => {
    const stack = testStack();
    new ApiUserPool(stack, 'Users', { removalPolicy: RemovalPolicy.DESTROY });

    Template.fromStack(stack).hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
  });

  test('GIVEN no props THEN the app client has no secret, SRP and refresh only, and no OAuth', () => {
    const stack = testStack();
    new ApiUserPool(stack, 'Users');

    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  test('GIVEN a route with a scope of the resource server THEN the resource server and the client\'s code flow carry it', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { cognito: { userPoolProps: { callbackUrls: ['https://app.example.com/cb'] } } });
    api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito(['api/items.write']) });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'api',
      Scopes: [{ ScopeName: 'items.write', ScopeDescription: 'Scope items.write of the API' }],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'api/items.write'],
      CallbackURLs: ['https://app.example.com/cb'],
    });
    expect(body(stack).paths['/items'].post.security).toEqual([{ CognitoUserPool: ['api/items.write'] }]);
  });

  test('fails if routes use scopes and no callbackUrls are given', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { cognito: {} });
    api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito(['api/items.write']) });

    expect(() => Template.fromStack(stack)).toThrow(
      "TestStack/Api/UserPool: callbackUrls is empty while routes require the scopes 'api/items.write' (received undefined). Access tokens with custom scopes come from the OAuth authorization code flow: give the app's redirect URLs, e.g. ['https://app.example.com/callback'].");
  });

  test('fails if a route scope names another resource server', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { cognito: {} });

    expect(() => api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito(['other/write']) }))
      .toThrow("TestStack/Api: route 'POST /items' authorization scopes is not a scope of the user pool's resource server 'api' (received 'other/write'). Write it as 'api/<name>', or use one of openid, email, phone, profile, aws.cognito.signin.user.admin.");
  });

  test('fails if threatProtection is set without the PLUS plan', () => {
    const stack = testStack();

    expect(() => new ApiUserPool(stack, 'Users', {
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      threatProtection: cognito.StandardThreatProtectionMode.AUDIT_ONLY,
    })).toThrow("TestStack/Users: threatProtection needs the PLUS feature plan (featurePlan is ESSENTIALS) (received 'AUDIT'). Set featurePlan: cognito.FeaturePlan.PLUS, or drop threatProtection.");
  });
});
