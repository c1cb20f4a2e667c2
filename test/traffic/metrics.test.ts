import { CfnElement } from 'aws-cdk-lib';
import { itemsApi } from './helpers';

describe('traffic metrics', () => {
  test('metricCount counts the stage requests', () => {
    const { stack, api } = itemsApi({ keyRequired: false, props: { apiName: 'items', stageName: 'prod' } });
    const metric = api.metricCount();
    expect(metric.namespace).toBe('AWS/ApiGateway');
    expect(metric.metricName).toBe('Count');
    expect(stack.resolve(metric.dimensions)).toEqual({
      ApiName: 'items',
      Stage: { Ref: stack.getLogicalId(api.stage.node.defaultChild as CfnElement) },
    });
  });

  test('metricClientError is where throttled (429) requests show', () => {
    const { api } = itemsApi({ keyRequired: false });
    expect(api.metricClientError().metricName).toBe('4XXError');
  });
});
