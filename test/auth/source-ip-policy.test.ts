import { Template } from 'aws-cdk-lib/assertions';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';
import { resourcePolicy } from './util';

describe('sourceIpPolicy', () => {
  test('GIVEN an allow list THEN everyone outside it is denied on every route', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { sourceIpPolicy: { allow: ['203.0.113.0/24', '2001:db8::/32'] } });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(resourcePolicy(stack).Statement).toEqual([{
      Sid: 'DenyOutsideAllowedSourceIps',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
    }]);
  });

  test('GIVEN a deny list THEN those addresses are denied', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', { sourceIpPolicy: { deny: ['198.51.100.7'] } });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(resourcePolicy(stack).Statement).toContainEqual(expect.objectContaining({
      Sid: 'DenyDeniedSourceIps', Effect: 'Deny', Condition: { IpAddress: { 'aws:SourceIp': ['198.51.100.7'] } },
    }));
  });

  test('GIVEN routes without IAM THEN only they are allowed for everyone, IAM routes are left to IAM policies', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', {
      stageName: 'dev', sourceIpPolicy: { allow: ['203.0.113.0/24'] }, cors: { allowOrigins: ['https://app.example.com'] },
    });
    api.addRoute({ method: 'GET', path: '/items/{id}', handler: inlineHandler(), authorization: RouteAuthorization.none() });
    api.addRoute({ method: 'GET', path: '/admin', handler: inlineHandler() });

    expect(resourcePolicy(stack).Statement).toContainEqual({
      Sid: 'AllowRoutesWithoutIam',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'execute-api:Invoke',
      Resource: ['execute-api:/dev/GET/items/*', 'execute-api:/dev/OPTIONS/admin', 'execute-api:/dev/OPTIONS/items/*'],
    });
  });

  test('GIVEN no sourceIpPolicy THEN the API has no resource policy', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(resourcePolicy(stack)).toBeUndefined();
  });

  test('fails if the resource policy is longer than 8,192 characters', () => {
    const stack = testStack();
    const allow = Array.from({ length: 600 }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`);
    const api = new ServerlessApi(stack, 'Api', { sourceIpPolicy: { allow } });
    api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler() });

    expect(() => Template.fromStack(stack)).toThrow(/TestStack\/Api: resource policy is longer than API Gateway's 8192 characters \(received '\d+ characters'\)\. Merge addresses into wider CIDR blocks, or move the filtering to AWS WAF\./);
  });
});
