import { Environment, RemovalPolicy, Stage } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { ApiStageOptions } from '../api/serverless-api';
import { propError } from '../core/errors';
import { checkStageName } from '../core/stage-name';
import { ApiUsagePlanOptions } from '../traffic/api-usage-plan';
import { applyConfig, findConfig } from './stage-config';

/** How a stage keeps its data when resources are replaced or the stack is deleted. */
export interface DataProtection {
  /** What happens to tables (and later user pools) when they leave the stack. */
  readonly removalPolicy: RemovalPolicy;
  /** Deletion protection on tables. */
  readonly deletionProtection: boolean;
  /** Point-in-time recovery on tables. */
  readonly pointInTimeRecovery: boolean;
}

/** A stage's custom domain and the public hosted zone that holds it. */
export interface DomainConfig {
  /** The stage's API domain, e.g. 'api.example.com'. */
  readonly domainName: string;
  /** The ID of the public hosted zone holding `domainName`, e.g. 'Z0123456789EXAMPLE'. */
  readonly hostedZoneId: string;
  /** The hosted zone's name, e.g. 'example.com'. */
  readonly zoneName: string;
}

/** The usage plans an environment offers API consumers: throttling and quota per key. */
export interface UsagePlanTiers {
  /** The free tier: low limits, for trying the API. */
  readonly free: ApiUsagePlanOptions;
  /** The standard tier: paying consumers. */
  readonly standard: ApiUsagePlanOptions;
}

/**
 * Everything that differs between dev, test and prod, in one place. Build it with
 * `EnvironmentConfig.of(scope, 'prod')` and override what you need.
 */
export interface EnvironmentConfig {
  /** The environment's name, used as the API stage name: 'dev', 'test', 'prod'. */
  readonly name: string;
  /** Account and region the stage deploys to. */
  readonly env: Environment;
  /** Stage throttling and logs. */
  readonly stage: ApiStageOptions;
  /** Data safety of tables and user pools. */
  readonly data: DataProtection;
  /**
   * The stage's custom domain.
   * @default - no custom domain
   */
  readonly domain?: DomainConfig;
  /**
   * Throttling and quotas of the usage plans API keys belong to.
   * @default - no usage plans
   */
  readonly usagePlans?: UsagePlanTiers;
  /**
   * Whether the API stage gets an AWS WAF web ACL (managed rules and a per-IP rate limit).
   * @default false
   */
  readonly webAcl?: boolean;
}

/** The built-in settings of each known environment. */
const PRESETS: Record<string, Omit<EnvironmentConfig, 'name' | 'env'> & { account: string }> = {
  dev: {
    account: '111111111111',
    stage: {
      throttlingRateLimit: 50, throttlingBurstLimit: 100,
      executionLogLevel: apigateway.MethodLoggingLevel.INFO,
      logRetention: logs.RetentionDays.ONE_WEEK, logRemovalPolicy: RemovalPolicy.DESTROY,
    },
    data: { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false, pointInTimeRecovery: true },
    usagePlans: {
      free: { throttle: { rateLimit: 2, burstLimit: 5 }, quota: { limit: 1000, period: apigateway.Period.DAY } },
      standard: { throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 10000, period: apigateway.Period.DAY } },
    },
    webAcl: false,
  },
  test: {
    account: '222222222222',
    stage: {
      throttlingRateLimit: 100, throttlingBurstLimit: 200,
      executionLogLevel: apigateway.MethodLoggingLevel.INFO,
      logRetention: logs.RetentionDays.TWO_WEEKS, logRemovalPolicy: RemovalPolicy.DESTROY,
    },
    data: { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false, pointInTimeRecovery: true },
    usagePlans: {
      free: { throttle: { rateLimit: 5, burstLimit: 10 }, quota: { limit: 1000, period: apigateway.Period.DAY } },
      standard: { throttle: { rateLimit: 50, burstLimit: 100 }, quota: { limit: 100000, period: apigateway.Period.DAY } },
    },
    webAcl: false,
  },
  prod: {
    account: '333333333333',
    stage: {
      throttlingRateLimit: 1000, throttlingBurstLimit: 2000,
      executionLogLevel: apigateway.MethodLoggingLevel.ERROR,
      logRetention: logs.RetentionDays.ONE_YEAR, logRemovalPolicy: RemovalPolicy.RETAIN,
      // A response cache for the routes that opt in with `cache` (no cluster while none does); dev and test have none.
      cache: { clusterSize: '0.5' },
    },
    data: { removalPolicy: RemovalPolicy.RETAIN, deletionProtection: true, pointInTimeRecovery: true },
    usagePlans: {
      free: { throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 10000, period: apigateway.Period.MONTH } },
      standard: { throttle: { rateLimit: 200, burstLimit: 400 }, quota: { limit: 5000000, period: apigateway.Period.MONTH } },
    },
    webAcl: true,
  },
};

/**
 * The offline placeholder zone of each stage: prod's domain sits in the parent zone, dev's and
 * test's in zones delegated to their own accounts (`dev.example.com`, `test.example.com`).
 */
const ZONE_PREFIXES: Record<string, string> = { dev: 'dev.', test: 'test.', prod: '' };

/** Offline placeholders of the hosted zones, overridden per stage with `<name>:hostedZoneId` / `<name>:zoneName`. */
export const PLACEHOLDER_HOSTED_ZONE_ID = 'Z0123456789EXAMPLE';
export const PLACEHOLDER_ZONE_NAME = 'example.com';

/** A Route 53 hosted zone id as the console and `aws route53 list-hosted-zones` show it (without '/hostedzone/'). */
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;

/** The region used when neither context nor environment names one. */
export const DEFAULT_REGION = 'eu-west-1';

/**
 * Per-environment configuration for dev, test and prod.
 *
 * Apply a config to the stage it describes, and the stage's tables and user pools follow its data
 * settings without passing them around:
 *
 * ```ts
 * class ServiceStage extends Stage {
 *   constructor(scope: Construct, id: string, props: { config: EnvironmentConfig }) {
 *     super(scope, id, { env: props.config.env });
 *     EnvironmentConfigs.applyTo(this, props.config);   // prod: RETAIN + deletion protection; dev/test: DESTROY
 *     new ServiceStack(this, 'Api', { config: props.config });
 *   }
 * }
 * ```
 */
export class EnvironmentConfigs {
  /** The environments with built-in presets. */
  public static readonly NAMES = Object.keys(PRESETS);

  /**
   * Makes `config` the configuration of `target` (a `cdk.Stage`, or the App): every
   * `ServerlessTable` and `ApiUserPool` created in it then takes `config.data` (removal policy,
   * deletion protection, point-in-time recovery) unless its own props say otherwise. Call it first in
   * the stage's constructor; applying it after such a construct exists fails, as does applying a
   * different config to the same stage.
   */
  public static applyTo(target: Stage, config: EnvironmentConfig): void {
    applyConfig(target, config);
  }

  /**
   * The configuration applied to the nearest stage enclosing `scope` (see `applyTo`), or undefined.
   */
  public static find(scope: IConstruct): EnvironmentConfig | undefined {
    return findConfig(scope);
  }

  /**
   * The configuration of `name` ('dev', 'test' or 'prod'), or of another environment `name` with
   * the settings of the preset `basedOn` (`EnvironmentConfigs.of(app, 'staging', 'prod')`).
   *
   * Account and region come from, in order: context `<name>:account` / `<name>:region`
   * (`cdk synth -c prod:account=123456789012`), environment variables `CDK_<NAME>_ACCOUNT` /
   * `CDK_<NAME>_REGION`, and else offline placeholders (dev 111111111111, test 222222222222,
   * prod 333333333333, an environment based on a preset that preset's; region eu-west-1) so that
   * synth needs no credentials. Deploying needs the real accounts.
   *
   * The custom domain is `api.<zone>` in the stage's own public hosted zone: Route 53 records and
   * the certificate's DNS validation are written into a zone of the account the stage deploys to, so
   * each stage account needs its own zone (for dev and test typically a subdomain delegated from the
   * parent zone). Give it per stage with context `<name>:hostedZoneId` and `<name>:zoneName`
   * (`<name>:domainName` overrides the name, `<name>:domain=false` drops the domain). Without them,
   * offline placeholders are used (zone Z0123456789EXAMPLE, named example.com for prod and
   * `<name>.example.com` otherwise), which only a placeholder account may keep: a real account with
   * a placeholder zone fails here, at synth, instead of at deploy.
   *
   * @param name the environment's name, also its API stage name: letters, digits, '-' and '_'
   * @param basedOn the preset whose settings it takes ('dev', 'test' or 'prod'); defaults to `name`
   */
  public static of(scope: Construct, name: string, basedOn?: string): EnvironmentConfig {
    const known = Object.keys(PRESETS).map(n => `'${n}'`).join(', ');
    checkStageName(scope, 'environment name', name, 'environment');
    if (basedOn !== undefined && !PRESETS[basedOn]) {
      throw propError(scope, `environment '${name}' basedOn`, basedOn, 'is not a preset', `Base it on one of ${known}.`);
    }
    const preset = PRESETS[basedOn ?? name];
    if (!preset) {
      throw propError(scope, 'environment name', name, `has no preset (known: ${known})`,
        `Base it on one: EnvironmentConfigs.of(app, '${name}', 'test') takes test's settings for '${name}' `
        + `(account and region from -c ${name}:account=... -c ${name}:region=...), or pass your own EnvironmentConfig object.`);
    }
    const upper = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
    const account = scope.node.tryGetContext(`${name}:account`) ?? process.env[`CDK_${upper}_ACCOUNT`] ?? preset.account;
    const region = scope.node.tryGetContext(`${name}:region`) ?? process.env[`CDK_${upper}_REGION`] ?? DEFAULT_REGION;
    if (!/^\d{12}$/.test(String(account))) {
      throw propError(scope, `${name}:account`, account, 'is not a 12-digit AWS account id', `Pass e.g. -c ${name}:account=123456789012.`);
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(String(region))) {
      throw propError(scope, `${name}:region`, region, 'is not an AWS region name', `Pass e.g. -c ${name}:region=eu-west-1.`);
    }
    const domain = stageDomain(scope, name, String(account) !== preset.account ? String(account) : undefined);
    return {
      name, env: { account: String(account), region: String(region) }, stage: preset.stage, data: preset.data, domain,
      usagePlans: preset.usagePlans, webAcl: preset.webAcl,
    };
  }
}

/**
 * The stage's custom domain from context, or undefined with `<name>:domain=false`. `realAccount` is
 * the stage's account when it is not the offline placeholder: such a stage must name its own zone.
 */
function stageDomain(scope: Construct, name: string, realAccount: string | undefined): DomainConfig | undefined {
  const context = (key: string): unknown => scope.node.tryGetContext(`${name}:${key}`);
  const enabled = context('domain');
  if (enabled === false || enabled === 'false') {
    return undefined;
  }
  // The app-wide keys of earlier versions: fail rather than silently fall back to the placeholder zone.
  for (const key of ['hostedZoneId', 'zoneName']) {
    const shared = scope.node.tryGetContext(key);
    if (shared !== undefined) {
      throw propError(scope, key, shared, 'is set for every stage',
        `Each stage account needs its own (delegated) hosted zone: pass -c ${name}:hostedZoneId=... -c ${name}:zoneName=... per stage.`);
    }
  }
  // Context values are strings from `-c`, but cdk.json can hold any JSON: only a string (or a
  // number, for a zone name such as 123.example.com read as text) is a name or an id.
  const text = (key: string): string | undefined => {
    const value = context(key);
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw propError(scope, `${name}:${key}`, value, 'is not a string', `Pass it as text: -c ${name}:${key}=... or "${name}:${key}": "..." in cdk.json.`);
    }
    return String(value);
  };
  const hostedZoneId = text('hostedZoneId') ?? PLACEHOLDER_HOSTED_ZONE_ID;
  if (!HOSTED_ZONE_ID.test(hostedZoneId)) {
    throw propError(scope, `${name}:hostedZoneId`, hostedZoneId, 'is not a Route 53 hosted zone id',
      "Pass the id shown by `aws route53 list-hosted-zones`, without '/hostedzone/', e.g. Z0123456789ABCDEFGHIJ.");
  }
  const placeholderZoneName = `${zonePrefix(name)}${PLACEHOLDER_ZONE_NAME}`;
  const zoneName = (text('zoneName') ?? placeholderZoneName).replace(/\.$/, '');
  if (realAccount !== undefined && hostedZoneId.includes('EXAMPLE')) {
    throw propError(scope, `${name}:hostedZoneId`, hostedZoneId, `is the offline placeholder while ${name}:account is the real account ${realAccount}`,
      'Route 53 records and the certificate\'s DNS validation go into a zone of that account: create (or delegate) a public hosted zone there '
      + `and pass -c ${name}:hostedZoneId=<its id> -c ${name}:zoneName=<its name>, or -c ${name}:domain=false for no custom domain.`);
  }
  if (realAccount !== undefined && context('zoneName') === undefined) {
    throw propError(scope, `${name}:zoneName`, zoneName, `is the offline placeholder while ${name}:account is the real account ${realAccount}`,
      `Pass the name of zone ${hostedZoneId}: -c ${name}:zoneName=<its name>, e.g. ${zonePrefix(name)}mycompany.com.`);
  }
  return { domainName: text('domainName') ?? `api.${zoneName}`, hostedZoneId, zoneName };
}

/** The placeholder zone's label for a stage: '' for prod, 'dev.', and '<name>.' (DNS-safe) for others. */
function zonePrefix(name: string): string {
  return ZONE_PREFIXES[name] ?? `${name.toLowerCase().replace(/_/g, '-')}.`;
}
