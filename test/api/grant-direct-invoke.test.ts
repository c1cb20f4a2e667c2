import { Template, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';

function apiWithRoutes() {
  const stack = testStack();
  const api = new ServerlessApi(stack, 'Api');
  api.addRoute({ method: 'GET', path: '/items/{id}', handler: inlineHandler(), authorization: RouteAuthorization.none() });
  api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler() });
  const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, api, caller };
}

test('grantDirectInvoke gives the grantee lambda:InvokeFunction on that route\'s function only', () => {
  // GIVEN
  const { stack, api, caller } = apiWithRoutes();
  // WHEN
  api.grantDirectInvoke(caller, 'GET', '/items/{id}');
  // THEN
  const fnLogicalId = stack.getLogicalId(api.functionFor('GET /items/{id}').node.defaultChild as any);
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: stack.getLogicalId(caller.node.defaultChild as any) }],
    PolicyDocument: {
      Statement: [Match.objectLike({
        Action: 'lambda:InvokeFunction',
        Resource: Match.arrayWith([{ 'Fn::GetAtt': [fnLogicalId, 'Arn'] }]),
      })],
    },
  });
});

test('grantDirectInvoke fails for a route the API does not have', () => {
  const { api, caller } = apiWithRoutes();
  expect(() => api.grantDirectInvoke(caller, 'DELETE', '/items/{id}'))
    .toThrow("TestStack/Api: route is not a route of this API (received 'DELETE /items/{id}'). Use one of: GET /items/{id}, POST /items.");
});
