/**
 * Data safety follows the stage: a table or user pool in a stage built from an EnvironmentConfig
 * takes the config's data settings without the consumer passing them.
 */
import { App, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiUserPool, EnvironmentConfig, EnvironmentConfigs, RouteAuthorization, ServerlessApi, ServerlessTable } from '../../lib';
import { inlineHandler, testApp } from '../util';

/** A stage of `name` with the config applied, and a stack in it. */
function stageOf(name: string, app: App = testApp()): { stage: Stage; stack: Stack; config: EnvironmentConfig } {
  const config = EnvironmentConfigs.of(app, name);
  const stage = new Stage(app, name[0].toUpperCase() + name.slice(1), { env: config.env });
  EnvironmentConfigs.applyTo(stage, config);
  return { stage, stack: new Stack(stage, 'Api'), config };
}

const RETAINED = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };
const DESTROYED = { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' };

describe('a prod stage', () => {
  test('GIVEN a ServerlessTable without data props THEN it is retained, deletion-protected and recoverable', () => {
    const { stack } = stageOf('prod');
    new ServerlessTable(stack, 'Items');
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', {
      ...RETAINED,
      Properties: { DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
    });
  });

  test('GIVEN an ApiUserPool without data props THEN it is retained and deletion-protected', () => {
    const { stack } = stageOf('prod');
    new ApiUserPool(stack, 'Users');
    Template.fromStack(stack).hasResource('AWS::Cognito::UserPool', { ...RETAINED, Properties: { DeletionProtection: 'ACTIVE' } });
  });

  test('GIVEN the pool and the CRUD table an API creates THEN both are retained and protected', () => {
    const { stack } = stageOf('prod');
    const api = new ServerlessApi(stack, 'Api', { cognito: {} });
    api.addCrudResource('items', { writeAuthorization: RouteAuthorization.cognito() });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', { ...RETAINED, Properties: { DeletionProtectionEnabled: true } });
    template.hasResource('AWS::Cognito::UserPool', { ...RETAINED, Properties: { DeletionProtection: 'ACTIVE' } });
  });

  test('GIVEN removalPolicy DESTROY on the table and the pool THEN the explicit props win: destroyed, unprotected', () => {
    const { stack } = stageOf('prod');
    new ServerlessTable(stack, 'Scratch', { removalPolicy: RemovalPolicy.DESTROY });
    new ApiUserPool(stack, 'Testers', { removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', { ...DESTROYED, Properties: { DeletionProtectionEnabled: false } });
    template.hasResource('AWS::Cognito::UserPool', { ...DESTROYED, Properties: { DeletionProtection: 'INACTIVE' } });
  });

  test('GIVEN deletionProtection false and pointInTimeRecovery false THEN those win and the table is still retained', () => {
    const { stack } = stageOf('prod');
    new ServerlessTable(stack, 'Cache', { deletionProtection: false, pointInTimeRecovery: false });
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', {
      ...RETAINED,
      Properties: { DeletionProtectionEnabled: false, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } },
    });
  });
});

describe('a dev stage', () => {
  test('GIVEN a ServerlessTable and an ApiUserPool without data props THEN both may be destroyed', () => {
    const { stack } = stageOf('dev');
    new ServerlessTable(stack, 'Items');
    new ApiUserPool(stack, 'Users');
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', { ...DESTROYED, Properties: { DeletionProtectionEnabled: false } });
    template.hasResource('AWS::Cognito::UserPool', { ...DESTROYED, Properties: { DeletionProtection: 'INACTIVE' } });
  });

  test('GIVEN removalPolicy RETAIN THEN the explicit prop wins: retained and protected', () => {
    const { stack } = stageOf('dev');
    new ServerlessTable(stack, 'Keep', { removalPolicy: RemovalPolicy.RETAIN });
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', { ...RETAINED, Properties: { DeletionProtectionEnabled: true } });
  });

  test('GIVEN deletionProtection true THEN the table and the pool are protected and therefore retained', () => {
    const { stack } = stageOf('dev');
    new ServerlessTable(stack, 'Keep', { deletionProtection: true });
    new ApiUserPool(stack, 'Users', { deletionProtection: true });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', { ...RETAINED, Properties: { DeletionProtectionEnabled: true } });
    template.hasResource('AWS::Cognito::UserPool', { ...RETAINED, Properties: { DeletionProtection: 'ACTIVE' } });
  });
});

describe('where the config comes from', () => {
  test('GIVEN no config on any enclosing stage THEN the library defaults hold (retained, protected)', () => {
    const stack = new Stack(new Stage(testApp(), 'Plain'), 'Api');
    new ServerlessTable(stack, 'Items');
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', { ...RETAINED, Properties: { DeletionProtectionEnabled: true } });
  });

  test('GIVEN a stage nested in a configured stage THEN find returns the nearest config', () => {
    const { stage, config } = stageOf('dev');
    const inner = new Stage(stage, 'Inner');
    const deep = new Stack(inner, 'Deep');
    expect(EnvironmentConfigs.find(deep)).toBe(config);
    const prod = EnvironmentConfigs.of(stage, 'prod');
    EnvironmentConfigs.applyTo(inner, prod);
    expect(EnvironmentConfigs.find(deep)).toBe(prod);
  });

  test('GIVEN a construct outside every configured stage THEN find returns undefined', () => {
    expect(EnvironmentConfigs.find(new Stack(testApp(), 'Alone'))).toBeUndefined();
  });

  test('GIVEN the config is applied to the App THEN every stage in it follows it', () => {
    const app = testApp();
    EnvironmentConfigs.applyTo(app, EnvironmentConfigs.of(app, 'dev'));
    const stack = new Stack(new Stage(app, 'Any'), 'Api');
    new ServerlessTable(stack, 'Items');
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', DESTROYED);
  });

  test('GIVEN the same config applied twice THEN nothing changes', () => {
    const { stage, config } = stageOf('prod');
    expect(() => EnvironmentConfigs.applyTo(stage, config)).not.toThrow();
    expect(() => EnvironmentConfigs.applyTo(stage, EnvironmentConfigs.of(stage, 'prod'))).not.toThrow();
  });

  test('GIVEN a config WHEN applied THEN the logical IDs of the table and the pool do not move', () => {
    const ids = (configured: boolean): string[] => {
      const app = testApp();
      const stage = new Stage(app, 'Prod');
      if (configured) { EnvironmentConfigs.applyTo(stage, EnvironmentConfigs.of(app, 'prod')); }
      const stack = new Stack(stage, 'Api');
      new ServerlessTable(stack, 'ItemsTable');
      new ServerlessApi(stack, 'ItemsApi', { cognito: {}, routes: [{ method: 'GET', path: '/a', handler: inlineHandler() }] });
      const template = Template.fromStack(stack);
      return [...Object.keys(template.findResources('AWS::DynamoDB::Table')), ...Object.keys(template.findResources('AWS::Cognito::UserPool'))];
    };
    expect(ids(true)).toEqual(['ItemsTableB7160AE2', 'ItemsApiUserPoolC87E7BE8']);
    expect(ids(false)).toEqual(ids(true));
  });

  test('fails if a different config is applied to the same stage', () => {
    const { stage } = stageOf('prod');
    expect(() => EnvironmentConfigs.applyTo(stage, EnvironmentConfigs.of(stage, 'dev'))).toThrow(
      "Prod: config is applied to a stage that already has the 'prod' EnvironmentConfig (received 'dev'). Apply one EnvironmentConfig per stage; build one Stage per environment.");
  });

  test('fails if the config both destroys and deletion-protects its data', () => {
    const app = testApp();
    const stage = new Stage(app, 'Staging');
    const base = EnvironmentConfigs.of(app, 'dev');
    const config: EnvironmentConfig = { ...base, name: 'staging', data: { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true, pointInTimeRecovery: false } };
    expect(() => EnvironmentConfigs.applyTo(stage, config)).toThrow(
      "Staging: config 'staging' data.deletionProtection contradicts data.removalPolicy DESTROY (received true). Use RemovalPolicy.RETAIN (or SNAPSHOT) to keep the stage's tables and user pools, or drop deletionProtection to let their stacks delete them.");
  });

  test('fails if the config is applied after a table took the library defaults', () => {
    const app = testApp();
    const stage = new Stage(app, 'Dev');
    new ServerlessTable(new Stack(stage, 'Api'), 'Items');
    expect(() => EnvironmentConfigs.applyTo(stage, EnvironmentConfigs.of(app, 'dev'))).toThrow(
      "Dev: config is applied after 'Dev/Api/Items' was created with the library's defaults (received 'dev'). Call EnvironmentConfigs.applyTo(this, config) first in the stage's constructor, before creating its stacks.");
  });
});
