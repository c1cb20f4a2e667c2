import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';

function setup() {
  const stack = testStack();
  const api = new ServerlessApi(stack, 'Api', { stageName: 'prod' });
  api.addRoute({ method: 'GET', path: '/admin/stats/{day}', handler: inlineHandler() });
  api.addRoute({ method: 'GET', path: '/health', handler: inlineHandler(), authorization: RouteAuthorization.none() });
  const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
  return { stack, api, role };
}

describe('grantInvoke', () => {
  test('GIVEN a route THEN the grantee may invoke that method and path of the stage only', () => {
    const { stack, api, role } = setup();
    api.grantInvoke(role, 'GET', '/admin/stats/{day}');

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as any) }],
      PolicyDocument: {
        Statement: [{
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', ['arn:aws:execute-api:eu-west-1:123456789012:', { Ref: stack.getLogicalId(api.restApi.node.defaultChild as any) }, '/prod/GET/admin/stats/*']],
          },
        }],
      },
    });
  });

  test('GIVEN no route THEN the grantee may invoke every route of the stage', () => {
    const { stack, api, role } = setup();
    api.grantInvoke(role);

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [Match.objectLike({
          Resource: {
            'Fn::Join': ['', ['arn:aws:execute-api:eu-west-1:123456789012:', { Ref: stack.getLogicalId(api.restApi.node.defaultChild as any) }, '/prod/*/*']],
          },
        })],
      },
    });
  });

  test('fails if the route does not exist', () => {
    const { api, role } = setup();

    expect(() => api.grantInvoke(role, 'POST', '/admin/stats/{day}')).toThrow(
      "TestStack/Api: grantInvoke route is not a route of this API (received 'POST /admin/stats/{day}'). Use one of: GET /admin/stats/{day}, GET /health; add the route before granting.");
  });

  test('fails if the route does not use IAM', () => {
    const { api, role } = setup();

    expect(() => api.grantInvoke(role, 'GET', '/health')).toThrow(
      "TestStack/Api: grantInvoke route uses NONE authorization, so an IAM grant has no effect (received 'GET /health'). Set authorization: RouteAuthorization.iam() on the route, or let callers in through its authorizer.");
  });

  test('fails if only the method is given', () => {
    const { api, role } = setup();

    expect(() => api.grantInvoke(role, 'GET')).toThrow(
      "TestStack/Api: grantInvoke route names only one of method and path (received 'GET'). Give both, e.g. grantInvoke(role, 'GET', '/items'), or neither for every route.");
  });
});
