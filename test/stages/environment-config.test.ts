import { App, RemovalPolicy } from 'aws-cdk-lib';
import { EnvironmentConfigs } from '../../lib';

describe('EnvironmentConfigs', () => {
  const saved = { ...process.env };
  afterEach(() => { process.env = { ...saved }; });

  test('GIVEN no context or environment THEN offline placeholders let synth run without credentials', () => {
    delete process.env.CDK_PROD_ACCOUNT;
    delete process.env.CDK_PROD_REGION;
    expect(EnvironmentConfigs.of(new App(), 'prod').env).toEqual({ account: '333333333333', region: 'eu-west-1' });
  });

  test('GIVEN context THEN it wins over environment variables', () => {
    process.env.CDK_DEV_ACCOUNT = '999999999999';
    const app = new App({ context: { 'dev:account': '123456789012', 'dev:region': 'us-west-2' } });
    expect(EnvironmentConfigs.of(app, 'dev').env).toEqual({ account: '123456789012', region: 'us-west-2' });
  });

  test('GIVEN environment variables THEN they are used', () => {
    process.env.CDK_TEST_ACCOUNT = '444444444444';
    process.env.CDK_TEST_REGION = 'ap-southeast-2';
    expect(EnvironmentConfigs.of(new App(), 'test').env).toEqual({ account: '444444444444', region: 'ap-southeast-2' });
  });

  test('GIVEN prod THEN data is retained, deletion-protected and recoverable', () => {
    expect(EnvironmentConfigs.of(new App(), 'prod').data).toEqual({
      removalPolicy: RemovalPolicy.RETAIN, deletionProtection: true, pointInTimeRecovery: true,
    });
  });

  test('GIVEN dev THEN data may be destroyed', () => {
    expect(EnvironmentConfigs.of(new App(), 'dev').data.removalPolicy).toBe(RemovalPolicy.DESTROY);
  });

  test('GIVEN the three environments THEN prod throttles highest', () => {
    const rates = ['dev', 'test', 'prod'].map(n => EnvironmentConfigs.of(new App(), n).stage.throttlingRateLimit);
    expect(rates).toEqual([50, 100, 1000]);
  });

  test('fails if the environment has no preset', () => {
    expect(() => EnvironmentConfigs.of(new App(), 'staging')).toThrow(
      "environment name has no preset (received 'staging'). Use one of dev, test, prod, or build an EnvironmentConfig yourself.");
  });

  test('fails if the account is not 12 digits', () => {
    const app = new App({ context: { 'prod:account': '12345' } });
    expect(() => EnvironmentConfigs.of(app, 'prod')).toThrow(
      "prod:account is not a 12-digit AWS account id (received '12345'). Pass e.g. -c prod:account=123456789012.");
  });

  test('fails if the region is not a region name', () => {
    const app = new App({ context: { 'prod:region': 'Ireland' } });
    expect(() => EnvironmentConfigs.of(app, 'prod')).toThrow(
      "prod:region is not an AWS region name (received 'Ireland'). Pass e.g. -c prod:region=eu-west-1.");
  });
});
