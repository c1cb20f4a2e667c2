import { CfnElement } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { itemsApi } from './helpers';
import { inlineHandler } from '../util';

describe('ApiUsagePlan', () => {
  test('attaches to the API stage and is named after its id and the stage by default', () => {
    // GIVEN
    const { stack, api } = itemsApi({ props: { stageName: 'prod' } });
    // WHEN
    api.addUsagePlan('free');
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'free-prod',
      ApiStages: [{
        ApiId: { Ref: stack.getLogicalId(api.restApi.node.defaultChild as CfnElement) },
        Stage: { Ref: stack.getLogicalId(api.stage.node.defaultChild as CfnElement) },
      }],
      Throttle: Match.absent(),
      Quota: Match.absent(),
    });
  });

  test('renders throttle and quota', () => {
    const { stack, api } = itemsApi();
    api.addUsagePlan('Standard', {
      planName: 'standard',
      throttle: { rateLimit: 50, burstLimit: 100 },
      quota: { limit: 100000, period: apigateway.Period.MONTH, offset: 3 },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'standard-dev',
      Throttle: { RateLimit: 50, BurstLimit: 100 },
      Quota: { Limit: 100000, Period: 'MONTH', Offset: 3 },
    });
  });

  test('throttles single routes inside the plan by resource path and method', () => {
    const { stack, api } = itemsApi();
    api.addUsagePlan('Free', {
      throttle: { rateLimit: 10, burstLimit: 20 },
      methodThrottles: [{ method: 'get', path: '/items/{id}', rateLimit: 1, burstLimit: 2 }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      ApiStages: [Match.objectLike({ Throttle: { '/items/{id}/GET': { RateLimit: 1, BurstLimit: 2 } } })],
    });
  });

  test('accepts the API stage named in stages', () => {
    const { stack, api } = itemsApi({ props: { stageName: 'test' } });
    api.addUsagePlan('Free', { stages: ['test'] });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::UsagePlan', 1);
  });

  test('exposes the UsagePlan L2', () => {
    const { api } = itemsApi();
    const plan = api.addUsagePlan('Free');
    expect(plan.usagePlan).toBeInstanceOf(apigateway.UsagePlan);
    expect(plan.planName).toBe('Free-dev');
  });
});

describe('ApiUsagePlan bad props', () => {
  test('fails on a quota period that is not DAY, WEEK or MONTH', () => {
    const { api } = itemsApi();
    expect(() => api.addUsagePlan('Free', { quota: { limit: 10, period: 'YEAR' as apigateway.Period } })).toThrow(
      "TestStack/Api/Free: quota.period is not a quota period (received 'YEAR'). Use apigateway.Period.DAY, WEEK or MONTH.");
  });

  test('fails on a negative quota limit', () => {
    const { api } = itemsApi();
    expect(() => api.addUsagePlan('Free', { quota: { limit: -5, period: apigateway.Period.DAY } })).toThrow(
      'TestStack/Api/Free: quota.limit must be an integer >= 1 (received -5). Give requests per period, e.g. 10000; leave quota out for no quota.');
  });

  test('fails on a quota offset outside the period', () => {
    const { api } = itemsApi();
    expect(() => api.addUsagePlan('Free', { quota: { limit: 5, period: apigateway.Period.WEEK, offset: 7 } })).toThrow(
      "TestStack/Api/Free: quota.offset must be an integer from 0 to 6 for period 'WEEK' (received 7). Shift the period's start by whole days within the period, or leave it out.");
  });

  test('fails on a negative throttle rate', () => {
    const { api } = itemsApi();
    expect(() => api.addUsagePlan('Free', { throttle: { rateLimit: -1, burstLimit: 10 } })).toThrow(
      'TestStack/Api/Free: throttle.rateLimit must be a number >= 0 (received -1). Give requests per second, e.g. 10.');
  });

  test('fails on a burst below the rate', () => {
    const { api } = itemsApi();
    expect(() => api.addUsagePlan('Free', { throttle: { rateLimit: 100, burstLimit: 10 } })).toThrow(
      'TestStack/Api/Free: throttle.burstLimit is below throttle.rateLimit (100) (received 10). Set the burst to at least the rate limit: API Gateway refills the bucket at the rate, up to the burst.');
  });

  test('fails on a plan attached to a stage the API does not have', () => {
    const { api } = itemsApi({ props: { stageName: 'dev' } });
    expect(() => api.addUsagePlan('Free', { stages: ['prod'] })).toThrow(
      "TestStack/Api/Free: stages names 'prod', a plan attached to a stage the API does not have (received ['prod']). The API's only stage is 'dev'; dev, test and prod are separate APIs, each with its own plans.");
  });

  test('fails at synth on a method throttle for a route the API does not have', () => {
    const { app, api } = itemsApi();
    api.addUsagePlan('Free', { methodThrottles: [{ method: 'DELETE', path: '/items/{id}', rateLimit: 1, burstLimit: 1 }] });
    expect(() => app.synth()).toThrow(
      "TestStack/Api/Free: methodThrottles names a route the API does not have (received 'DELETE /items/{id}'). Throttle one of: GET /items, GET /items/{id}, POST /items.");
  });

  test('fails at synth on a method throttle for a route that does not require a key', () => {
    const { app, api } = itemsApi();
    api.addUsagePlan('Free', { methodThrottles: [{ method: 'POST', path: '/items', rateLimit: 1, burstLimit: 1 }] });
    expect(() => app.synth()).toThrow(
      "TestStack/Api/Free: methodThrottles names a route that does not require an API key (received 'POST /items'). Usage plans only limit requests made with a key: declare the route with apiKeyRequired: true, or throttle it on the stage with api.throttleRoute().");
  });

  test('accepts a method throttle for a route added after the plan', () => {
    const { app, api } = itemsApi();
    api.addUsagePlan('Free', { methodThrottles: [{ method: 'GET', path: '/later', rateLimit: 1, burstLimit: 1 }] });
    api.addRoute({ method: 'GET', path: '/later', handler: inlineHandler(), apiKeyRequired: true });
    expect(() => app.synth()).not.toThrow();
  });
});
