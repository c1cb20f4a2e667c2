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
    const app = new App({ context: { 'dev:account': '123456789012', 'dev:region': 'us-west-2', 'dev:domain': false } });
    expect(EnvironmentConfigs.of(app, 'dev').env).toEqual({ account: '123456789012', region: 'us-west-2' });
  });

  test('GIVEN environment variables THEN they are used', () => {
    process.env.CDK_TEST_ACCOUNT = '444444444444';
    process.env.CDK_TEST_REGION = 'ap-southeast-2';
    expect(EnvironmentConfigs.of(new App({ context: { 'test:domain': false } }), 'test').env).toEqual({ account: '444444444444', region: 'ap-southeast-2' });
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

  test('fails if the environment has no preset, naming the known ones and how to base a new one on them', () => {
    expect(() => EnvironmentConfigs.of(new App(), 'staging')).toThrow(
      ": environment name has no preset (known: 'dev', 'test', 'prod') (received 'staging'). Base it on one: EnvironmentConfigs.of(app, 'staging', 'test') "
      + "takes test's settings for 'staging' (account and region from -c staging:account=... -c staging:region=...), or pass your own EnvironmentConfig object.");
  });

  test('GIVEN a name based on a preset THEN it has the preset\'s settings and its own name, account, region and domain', () => {
    const app = new App({ context: {
      'staging:account': '444455556666', 'staging:region': 'eu-central-1', 'staging:hostedZoneId': 'Z4STAGINGZONE', 'staging:zoneName': 'staging.example.com',
    } });
    const staging = EnvironmentConfigs.of(app, 'staging', 'prod');
    const prod = EnvironmentConfigs.of(app, 'prod');
    expect(staging).toEqual({
      ...prod, name: 'staging', env: { account: '444455556666', region: 'eu-central-1' },
      domain: { domainName: 'api.staging.example.com', hostedZoneId: 'Z4STAGINGZONE', zoneName: 'staging.example.com' },
    });
  });

  test('GIVEN a name based on a preset and no context THEN the preset\'s placeholder account is used offline', () => {
    delete process.env.CDK_QA_ACCOUNT;
    expect(EnvironmentConfigs.of(new App(), 'qa', 'test').env).toEqual({ account: '222222222222', region: 'eu-west-1' });
  });

  test('fails if basedOn is not a preset', () => {
    expect(() => EnvironmentConfigs.of(new App(), 'staging', 'production')).toThrow(
      ": environment 'staging' basedOn is not a preset (received 'production'). Base it on one of 'dev', 'test', 'prod'.");
  });

  test('fails if the name cannot be a stage name', () => {
    expect(() => EnvironmentConfigs.of(new App(), 'pre prod', 'prod')).toThrow(
      ": environment name is not a valid environment name (received 'pre prod'). Use 1-128 letters, digits, hyphens or underscores, e.g. 'staging': it is also the API's stage name.");
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

describe('EnvironmentConfigs: one delegated hosted zone per stage account', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const name of ['DEV', 'TEST', 'PROD']) {
      delete process.env[`CDK_${name}_ACCOUNT`];
      delete process.env[`CDK_${name}_REGION`];
    }
  });
  afterEach(() => { process.env = { ...saved }; });

  test('GIVEN per-stage zone context THEN each stage uses its own zone, and its domain is api.<stage zone>', () => {
    const app = new App({
      context: {
        'prod:account': '345678901234', 'prod:hostedZoneId': 'Z1PRODZONE', 'prod:zoneName': 'example.com',
        'dev:account': '123456789012', 'dev:hostedZoneId': 'Z2DEVZONE', 'dev:zoneName': 'dev.example.com',
      },
    });
    expect(EnvironmentConfigs.of(app, 'prod').domain).toEqual({ domainName: 'api.example.com', hostedZoneId: 'Z1PRODZONE', zoneName: 'example.com' });
    expect(EnvironmentConfigs.of(app, 'dev').domain).toEqual({ domainName: 'api.dev.example.com', hostedZoneId: 'Z2DEVZONE', zoneName: 'dev.example.com' });
  });

  test('GIVEN <stage>:domainName THEN it overrides the default name inside the stage zone', () => {
    const app = new App({ context: { 'test:hostedZoneId': 'Z3TESTZONE', 'test:zoneName': 'test.example.com', 'test:domainName': 'items.test.example.com' } });
    expect(EnvironmentConfigs.of(app, 'test').domain?.domainName).toBe('items.test.example.com');
  });

  test('GIVEN no zone context and the offline placeholder accounts THEN placeholder zones let synth run', () => {
    expect(EnvironmentConfigs.of(new App(), 'dev').domain).toEqual({ domainName: 'api.dev.example.com', hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'dev.example.com' });
    expect(EnvironmentConfigs.of(new App(), 'prod').domain).toEqual({ domainName: 'api.example.com', hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' });
  });

  test('GIVEN <stage>:domain=false THEN the stage has no custom domain (and needs no zone)', () => {
    const app = new App({ context: { 'prod:account': '345678901234', 'prod:domain': 'false' } });
    expect(EnvironmentConfigs.of(app, 'prod').domain).toBeUndefined();
  });

  test('fails if a real account keeps the placeholder hosted zone id', () => {
    const app = new App({ context: { 'prod:account': '345678901234', 'prod:zoneName': 'example.com' } });
    expect(() => EnvironmentConfigs.of(app, 'prod')).toThrow(
      "prod:hostedZoneId is the offline placeholder while prod:account is the real account 345678901234 (received 'Z0123456789EXAMPLE'). "
      + 'Route 53 records and the certificate\'s DNS validation go into a zone of that account: create (or delegate) a public hosted zone there and pass -c prod:hostedZoneId=<its id> -c prod:zoneName=<its name>, or -c prod:domain=false for no custom domain.');
  });

  test('fails if a real account keeps the placeholder zone name', () => {
    const app = new App({ context: { 'dev:account': '123456789012', 'dev:hostedZoneId': 'Z2DEVZONE' } });
    expect(() => EnvironmentConfigs.of(app, 'dev')).toThrow(
      "dev:zoneName is the offline placeholder while dev:account is the real account 123456789012 (received 'dev.example.com'). Pass the name of zone Z2DEVZONE: -c dev:zoneName=<its name>, e.g. dev.mycompany.com.");
  });

  test('fails if one hostedZoneId is given for every stage', () => {
    const app = new App({ context: { hostedZoneId: 'Z1SHARED' } });
    expect(() => EnvironmentConfigs.of(app, 'test')).toThrow(
      "hostedZoneId is set for every stage (received 'Z1SHARED'). Each stage account needs its own (delegated) hosted zone: pass -c test:hostedZoneId=... -c test:zoneName=... per stage.");
  });

  test('fails if one zoneName is given for every stage', () => {
    const app = new App({ context: { zoneName: 'mycompany.com' } });
    expect(() => EnvironmentConfigs.of(app, 'dev')).toThrow(
      "zoneName is set for every stage (received 'mycompany.com'). Each stage account needs its own (delegated) hosted zone: pass -c dev:hostedZoneId=... -c dev:zoneName=... per stage.");
  });

  test('fails if the hosted zone id is not a Route 53 zone id', () => {
    const app = new App({ context: { 'dev:hostedZoneId': 'my-zone' } });
    expect(() => EnvironmentConfigs.of(app, 'dev')).toThrow(
      "dev:hostedZoneId is not a Route 53 hosted zone id (received 'my-zone'). Pass the id shown by `aws route53 list-hosted-zones`, without '/hostedzone/', e.g. Z0123456789ABCDEFGHIJ.");
  });
  test('fails if a domain context value in cdk.json is not text', () => {
    const app = new App({ context: { 'dev:zoneName': { name: 'dev.example.com' } } });
    expect(() => EnvironmentConfigs.of(app, 'dev')).toThrow(
      'dev:zoneName is not a string (received {"name":"dev.example.com"}). Pass it as text: -c dev:zoneName=... or "dev:zoneName": "..." in cdk.json.');
  });
});
