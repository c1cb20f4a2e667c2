import { Template } from 'aws-cdk-lib/assertions';
import { itemsApi, testApp, testStack } from './helpers';
import { EnvironmentConfigs } from '../../lib';

describe('per-environment traffic settings', () => {
  test('puts a web ACL in front of prod only', () => {
    const app = testApp();
    expect(EnvironmentConfigs.NAMES.map(name => [name, EnvironmentConfigs.of(app, name).webAcl])).toEqual([
      ['dev', false], ['test', false], ['prod', true],
    ]);
  });

  test('gives every environment valid free and standard plans, standard above free', () => {
    for (const name of EnvironmentConfigs.NAMES) {
      const app = testApp();
      const config = EnvironmentConfigs.of(app, name);
      const { stack, api } = itemsApi({ props: { stageName: name }, stack: testStack(app) });
      api.addUsagePlan('Free', config.usagePlans!.free);
      api.addUsagePlan('Standard', config.usagePlans!.standard);
      Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
      expect(config.usagePlans!.standard.throttle!.rateLimit).toBeGreaterThan(config.usagePlans!.free.throttle!.rateLimit);
      expect(config.usagePlans!.standard.quota!.limit).toBeGreaterThan(config.usagePlans!.free.quota!.limit);
    }
  });
});
