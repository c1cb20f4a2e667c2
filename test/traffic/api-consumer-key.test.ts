import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { itemsApi, testApp, testStack } from './helpers';
import { ServerlessApi } from '../../lib';
import { inlineHandler } from '../util';

describe('ApiConsumerKey', () => {
  test('creates a key whose value API Gateway generates, named after the consumer and the stage', () => {
    // GIVEN
    const { stack, api } = itemsApi({ props: { stageName: 'prod' } });
    const plan = api.addUsagePlan('Free');
    // WHEN
    api.addApiKey('Acme', { consumerName: 'acme', plans: [plan] });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'acme-prod', Enabled: true, Value: Match.absent() });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', { KeyType: 'API_KEY' });
  });

  test('names the key after its construct ID by default, and accepts description and enabled', () => {
    const { stack, api } = itemsApi();
    const plan = api.addUsagePlan('Free');
    api.addApiKey('Partner', { plans: [plan], description: 'partner key', enabled: false });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::ApiKey', {
      Name: 'Partner-dev', Description: 'partner key', Enabled: false,
    });
  });

  test('gives the same consumer distinct key names in each stage', () => {
    const app = testApp();
    const stacks = ['dev', 'prod'].map(stageName => {
      const { stack, api } = itemsApi({ props: { stageName }, stack: testStack(app, `Stack-${stageName}`) });
      api.addApiKey('Acme', { consumerName: 'acme', plans: [api.addUsagePlan('Free')] });
      return stack;
    });
    const names = stacks.map(stack => Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::ApiKey'))[0].Properties.Name);
    expect(names).toEqual(['acme-dev', 'acme-prod']);
  });

  test('keeps the UsagePlanKey logical ID of a key when another key is declared before it', () => {
    // GIVEN: one key
    const usagePlanKeyIds = (keys: string[]): string[] => {
      const { stack, api } = itemsApi();
      const plan = api.addUsagePlan('Free');
      for (const key of keys) {
        api.addApiKey(key, { plans: [plan] });
      }
      const resources = Template.fromStack(stack).findResources('AWS::ApiGateway::UsagePlanKey');
      return Object.entries(resources)
        .filter(([, r]) => JSON.stringify(r.Properties.KeyId).includes('Bob'))
        .map(([logicalId]) => logicalId);
    };
    // WHEN: another key is declared before it
    const alone = usagePlanKeyIds(['Bob']);
    const after = usagePlanKeyIds(['Alice', 'Bob']);
    // THEN
    expect(alone).toHaveLength(1);
    expect(after).toEqual(alone);
  });

  test('adds an existing key, imported by ID, to a plan', () => {
    const { stack, api } = itemsApi();
    const plan = api.addUsagePlan('Free');
    const key = api.addApiKey('Legacy', { existingApiKey: apigateway.ApiKey.fromApiKeyId(stack, 'Imported', 'abc123') });
    plan.addApiKey(key);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', { KeyId: 'abc123' });
    expect(key.keyName).toBeUndefined();
  });

  test('puts one key in plans of two different APIs', () => {
    const stack = testStack();
    const { api: a } = itemsApi({ stack });
    const planA = a.addUsagePlan('Free');
    const other = new ServerlessApi(stack, 'Other', { stageName: 'dev' });
    other.addRoute({ method: 'GET', path: '/x', handler: inlineHandler(), apiKeyRequired: true });
    const planB = other.addUsagePlan('Free');
    const key = a.addApiKey('Shared', { plans: [planA, planB] });
    expect(key.plans).toEqual([planA, planB]);
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::UsagePlanKey', 2);
  });
});

describe('ApiConsumerKey bad props', () => {
  test('fails if a key is in two plans of the same stage, naming both plans', () => {
    const { api } = itemsApi();
    const free = api.addUsagePlan('Free');
    const standard = api.addUsagePlan('Standard');
    expect(() => api.addApiKey('Acme', { plans: [free, standard] })).toThrow(
      "TestStack/Api/Acme: plans puts the key in two usage plans of stage 'dev' ('TestStack/Api/Free' and 'TestStack/Api/Standard') (received ['Free-dev', 'Standard-dev']). API Gateway allows one plan per key and stage: keep the key in one plan, or give the consumer one key per plan.");
  });

  test('fails if two keys of one stage get the same name', () => {
    const { api } = itemsApi();
    const plan = api.addUsagePlan('Free');
    api.addApiKey('Acme', { consumerName: 'acme', plans: [plan] });
    expect(() => api.addApiKey('Acme2', { consumerName: 'acme', plans: [plan] })).toThrow(
      "TestStack/Api/Acme2: consumerName gives the key the same name as 'TestStack/Api/Acme' in the same stage, account and region (received 'acme-dev'). Give each consumer a distinct consumerName.");
  });

  test('fails on an invalid consumer name', () => {
    const { api } = itemsApi();
    expect(() => api.addApiKey('Acme', { consumerName: 'acme corp' })).toThrow(
      "TestStack/Api/Acme: consumerName is not a valid key name (received 'acme corp'). Use 1-100 letters, digits, dots, hyphens or underscores, starting with a letter or digit, e.g. 'acme'.");
  });

  test('fails if an existing key is given with settings for a new one', () => {
    const { stack, api } = itemsApi();
    expect(() => api.addApiKey('Legacy', {
      existingApiKey: apigateway.ApiKey.fromApiKeyId(stack, 'Imported', 'abc123'),
      consumerName: 'legacy',
    })).toThrow("TestStack/Api/Legacy: consumerName and existingApiKey are both set (received 'legacy'). Pass an existing key, or settings for a new one, not both.");
  });

  test('fails at synth if a key is in no plan', () => {
    const { app, api } = itemsApi();
    api.addUsagePlan('Free');
    api.addApiKey('Orphan');
    expect(() => app.synth()).toThrow(
      "TestStack/Api/Orphan: plans is empty: the key is in no usage plan (received []). Add it with plans: [plan] or key.addToPlan(plan); API Gateway rejects a key that is in no plan.");
  });
});
