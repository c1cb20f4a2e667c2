import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { vpcEndpoint } from '../domain/fixtures';
import { inlineHandler, testStack } from '../util';

/**
 * The resource policy travels in the OpenAPI body (`x-amazon-apigateway-policy`), never in the
 * RestApi's CloudFormation `Policy`: every PutRestApi then carries the policy with the routes it
 * protects, and removing the policy removes it from the body API Gateway imports.
 */
function restApi(stack: ReturnType<typeof testStack>): any {
  return Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties;
}

function deploymentId(stack: ReturnType<typeof testStack>): string {
  return Object.keys(Template.fromStack(stack).findResources('AWS::ApiGateway::Deployment'))[0];
}

describe('resource policy in the OpenAPI body', () => {
  test('GIVEN sourceIpPolicy THEN the policy is the body\'s x-amazon-apigateway-policy and the RestApi has no Policy property', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { sourceIpPolicy: { deny: ['198.51.100.0/24'] } });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    const props = restApi(stack);
    expect(props.Policy).toBeUndefined();
    expect(props.Body['x-amazon-apigateway-policy']).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'DenyDeniedSourceIps', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*', Condition: { IpAddress: { 'aws:SourceIp': ['198.51.100.0/24'] } },
      }],
    });
  });

  test('GIVEN a PRIVATE API THEN its endpoint policy is in the body too', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', {
      endpointType: apigateway.EndpointType.PRIVATE, privateEndpoint: { vpcEndpoints: [vpcEndpoint(stack)] },
    });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    const props = restApi(stack);
    expect(props.Policy).toBeUndefined();
    expect(props.Body['x-amazon-apigateway-policy'].Statement).toContainEqual(expect.objectContaining({
      Sid: 'DenyOutsideVpcEndpoints', Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } },
    }));
  });

  test('GIVEN no sourceIpPolicy and a public API THEN the body has no policy (removing the policy removes it from what API Gateway imports)', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(restApi(stack).Body).not.toHaveProperty('x-amazon-apigateway-policy');
    expect(restApi(stack).Policy).toBeUndefined();
  });

  test('GIVEN a policy change only THEN the deployment logical ID changes (the stage is redeployed with it)', () => {
    const build = (deny: string): string => {
      const stack = testStack();
      const api = new ServerlessApi(stack, 'Api', { sourceIpPolicy: { deny: [deny] } });
      api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });
      return deploymentId(stack);
    };
    expect(build('198.51.100.0/24')).not.toEqual(build('203.0.113.0/24'));
  });

  test('GIVEN api.addToResourcePolicy THEN the statement joins the body policy', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.iam() });
    const result = api.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowPartnerAccount', principals: [new iam.AccountPrincipal('210987654321')], actions: ['execute-api:Invoke'],
      resources: ['execute-api:/dev/GET/items'],
    }));

    expect(result.statementAdded).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: Match.absent(),
      Body: { 'x-amazon-apigateway-policy': { Statement: [Match.objectLike({ Sid: 'AllowPartnerAccount', Principal: { AWS: 'arn:aws:iam::210987654321:root' } })] } },
    });
  });

  test('fails if a statement is added to the RestApi\'s CloudFormation Policy, which the body would contradict', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });
    api.restApi.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['execute-api:Invoke'], resources: ['execute-api:/*'] }));

    expect(() => Template.fromStack(stack)).toThrow(
      'TestStack/Api: restApi resource policy is set on the CloudFormation Policy property (received \'1 statement(s)\'). '
      + 'The library keeps the resource policy in the OpenAPI body (x-amazon-apigateway-policy), where every body update deploys it: use api.addToResourcePolicy(statement) instead of api.restApi.addToResourcePolicy().');
  });

  test('fails if the Policy property is set by a raw override', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });
    (api.restApi.node.defaultChild as apigateway.CfnRestApi).addPropertyOverride('Policy', { Version: '2012-10-17', Statement: [] });

    expect(() => Template.fromStack(stack)).toThrow(/TestStack\/Api: restApi resource policy is set on the CloudFormation Policy property \(received '0 statement\(s\)'\)/);
  });
});
