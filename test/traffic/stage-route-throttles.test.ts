import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { itemsApi } from './helpers';
import { inlineHandler } from '../util';

describe('throttleRoute', () => {
  test('keeps only the stage-wide method setting by default', () => {
    const { stack } = itemsApi({ keyRequired: false });
    const stages = Template.fromStack(stack).findResources('AWS::ApiGateway::Stage');
    const settings = Object.values(stages)[0].Properties.MethodSettings;
    expect(settings).toEqual([expect.objectContaining({ ResourcePath: '/*', HttpMethod: '*' })]);
  });

  test('adds a method setting for the route next to the stage-wide one, keeping its logging', () => {
    // GIVEN
    const { stack, api } = itemsApi({ keyRequired: false, props: { stage: { executionLogLevel: apigateway.MethodLoggingLevel.INFO } } });
    // WHEN
    api.throttleRoute('post', '/items', { rateLimit: 5, burstLimit: 10 });
    api.throttleRoute('GET', '/items/{id}', { rateLimit: 20, burstLimit: 40 });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [
        Match.objectLike({ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }),
        { ResourcePath: '/~1items', HttpMethod: 'POST', LoggingLevel: 'INFO', MetricsEnabled: false, DataTraceEnabled: false, ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        { ResourcePath: '/~1items~1{id}', HttpMethod: 'GET', LoggingLevel: 'INFO', MetricsEnabled: false, DataTraceEnabled: false, ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      ],
    });
  });

  test('throttles an ANY route with the wildcard method', () => {
    const { stack, api } = itemsApi({ keyRequired: false });
    api.addRoute({ method: 'ANY', path: '/proxy/{proxy+}', handler: inlineHandler() });
    api.throttleRoute('ANY', '/proxy/{proxy+}', { rateLimit: 1, burstLimit: 1 });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: '/~1proxy~1{proxy+}', HttpMethod: '*' })]),
    });
  });

  test('fails at synth on a route the API does not have', () => {
    const { app, api } = itemsApi({ keyRequired: false });
    api.throttleRoute('GET', '/orders', { rateLimit: 1, burstLimit: 1 });
    expect(() => app.synth()).toThrow(
      "TestStack/Api: throttleRoute('GET /orders') names a route the API does not have (received 'GET /orders'). Throttle one of: GET /items, GET /items/{id}, POST /items.");
  });

  test('fails on a negative burst', () => {
    const { api } = itemsApi({ keyRequired: false });
    expect(() => api.throttleRoute('GET', '/items', { rateLimit: 0, burstLimit: -1 })).toThrow(
      "TestStack/Api: throttleRoute('GET /items').burstLimit must be an integer >= 0 (received -1). Give a number of requests, e.g. 20.");
  });

  test('fails if a route is throttled twice', () => {
    const { api } = itemsApi({ keyRequired: false });
    api.throttleRoute('GET', '/items', { rateLimit: 1, burstLimit: 1 });
    expect(() => api.throttleRoute('GET', '/items', { rateLimit: 2, burstLimit: 2 })).toThrow(
      "TestStack/Api: throttleRoute('GET /items') is called twice for the same route (received 'GET /items'). Throttle each route once.");
  });
});
