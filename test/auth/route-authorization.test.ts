import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { LambdaAuthorizer, RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';
import { authorizerFunction, body } from './util';

describe('route authorization in the OpenAPI body', () => {
  test('GIVEN no authorization anywhere WHEN synthesized THEN the route requires IAM (sigv4)', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    const definition = body(stack);
    expect(definition.paths['/items'].get.security).toEqual([{ sigv4: [] }]);
    expect(definition.components.securitySchemes.sigv4).toEqual({
      'type': 'apiKey', 'name': 'Authorization', 'in': 'header', 'x-amazon-apigateway-authtype': 'awsSigv4',
    });
  });

  test('GIVEN RouteAuthorization.none() THEN the route has an empty security requirement and no scheme is defined', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/health', handler: inlineHandler(), authorization: RouteAuthorization.none() });

    const definition = body(stack);
    expect(definition.paths['/health'].get.security).toEqual([]);
    expect(definition.components).toBeUndefined();
  });

  test('GIVEN defaultAuthorization none() THEN routes without their own authorization are public', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { defaultAuthorization: RouteAuthorization.none() });
    api.addRoute({ method: 'GET', path: '/a', handler: inlineHandler() });
    api.addRoute({ method: 'GET', path: '/b', handler: inlineHandler(), authorization: RouteAuthorization.iam() });

    const definition = body(stack);
    expect(definition.paths['/a'].get.security).toEqual([]);
    expect(definition.paths['/b'].get.security).toEqual([{ sigv4: [] }]);
  });

  test('GIVEN cognito: {} THEN a user pool is created and the scheme is a cognito_user_pools authorizer on it', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { cognito: {} });
    api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito() });

    const definition = body(stack);
    expect(definition.paths['/items'].post.security).toEqual([{ CognitoUserPool: [] }]);
    expect(definition.components.securitySchemes.CognitoUserPool).toEqual({
      'type': 'apiKey',
      'name': 'Authorization',
      'in': 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': {
        type: 'cognito_user_pools',
        providerARNs: [stack.resolve(api.userPool!.userPoolArn)],
      },
    });
    Template.fromStack(stack).resourceCountIs('AWS::Cognito::UserPool', 1);
  });

  test('GIVEN an existing user pool THEN its ARN is the provider and no pool is created', () => {
    const stack = testStack();
    const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc');
    const api = new ServerlessApi(stack, 'Api', { cognito: { userPool: pool } });
    api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.cognito() });

    expect(body(stack).components.securitySchemes.CognitoUserPool['x-amazon-apigateway-authorizer'].providerARNs)
      .toEqual(['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc']);
    expect(api.apiUserPool).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::Cognito::UserPool', 0);
  });

  test('GIVEN cognito scopes THEN they are the route\'s security requirement in the deployed body (authorization scopes)', () => {
    const stack = testStack();
    const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc');
    const userPoolDomain = cognito.UserPoolDomain.fromDomainName(stack, 'Domain', 'items-login');
    const api = new ServerlessApi(stack, 'Api', { cognito: { userPool: pool, userPoolDomain } });
    api.addRoute({
      method: 'PUT', path: '/items/{id}', handler: inlineHandler(),
      authorization: RouteAuthorization.cognito(['items/write', 'items/admin']),
    });

    expect(body(stack).paths['/items/{id}'].put.security).toEqual([{ CognitoUserPool: ['items/write', 'items/admin'] }]);
  });

  test('GIVEN a token authorizer THEN the route uses its custom scheme with the header, URI and TTL', () => {
    const stack = testStack();
    const fn = authorizerFunction(stack, 'PartnerAuth');
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({
      method: 'GET', path: '/partner', handler: inlineHandler(),
      authorization: RouteAuthorization.lambda(LambdaAuthorizer.token({ handler: fn })),
    });

    const definition = body(stack);
    expect(definition.paths['/partner'].get.security).toEqual([{ PartnerAuthAuthorizer: [] }]);
    expect(definition.components.securitySchemes.PartnerAuthAuthorizer).toEqual({
      'type': 'apiKey',
      'name': 'Authorization',
      'in': 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: 'token',
        authorizerUri: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/',
            { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as any), 'Arn'] }, '/invocations']],
        },
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 300,
      },
    });
  });

  test('GIVEN a request authorizer with identity sources and a TTL THEN they are in the scheme', () => {
    const stack = testStack();
    const authorizer = LambdaAuthorizer.request({
      handler: authorizerFunction(stack, 'Partner'),
      identitySources: ['method.request.header.x-partner-id', 'method.request.querystring.tenant'],
      resultsCacheTtl: Duration.seconds(0),
      authorizerName: 'Partners',
    });
    const api = new ServerlessApi(stack, 'Api', { defaultAuthorization: RouteAuthorization.lambda(authorizer) });
    api.addRoute({ method: 'GET', path: '/partner', handler: inlineHandler() });

    const scheme = body(stack).components.securitySchemes.Partners;
    expect(scheme['x-amazon-apigateway-authorizer']).toMatchObject({
      type: 'request',
      identitySource: 'method.request.header.x-partner-id, method.request.querystring.tenant',
      authorizerResultTtlInSeconds: 0,
    });
    expect(body(stack).paths['/partner'].get.security).toEqual([{ Partners: [] }]);
  });

  test('GIVEN a Lambda authorizer THEN API Gateway may invoke it from this API\'s authorizers only', () => {
    const stack = testStack();
    const fn = authorizerFunction(stack, 'PartnerAuth');
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({
      method: 'GET', path: '/partner', handler: inlineHandler(),
      authorization: RouteAuthorization.lambda(LambdaAuthorizer.token({ handler: fn })),
    });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as any), 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
      SourceArn: {
        'Fn::Join': ['', ['arn:aws:execute-api:eu-west-1:123456789012:', { Ref: stack.getLogicalId(api.restApi.node.defaultChild as any) }, '/authorizers/*']],
      },
    });
  });

  test('GIVEN one authorizer on two routes THEN it is one scheme and one permission', () => {
    const stack = testStack();
    const fn = authorizerFunction(stack, 'PartnerAuth');
    const auth = RouteAuthorization.lambda(LambdaAuthorizer.token({ handler: fn }));
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/a', handler: inlineHandler(), authorization: auth });
    api.addRoute({ method: 'GET', path: '/b', handler: inlineHandler(), authorization: auth });

    expect(Object.keys(body(stack).components.securitySchemes)).toEqual(['PartnerAuthAuthorizer']);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Permission', {
      Properties: { FunctionName: { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as any), 'Arn'] } },
    }))).toHaveLength(1);
  });

  test('GIVEN an authorization change WHEN re-synthesized THEN the deployment logical ID changes (the stage redeploys)', () => {
    const deploymentId = (auth: RouteAuthorization) => {
      const stack = testStack();
      const api = new ServerlessApi(stack, 'Api');
      api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler(), authorization: auth });
      return Object.keys(Template.fromStack(stack).findResources('AWS::ApiGateway::Deployment'))[0];
    };
    expect(deploymentId(RouteAuthorization.iam())).not.toEqual(deploymentId(RouteAuthorization.none()));
  });
});
