import { Lazy, Names, Token } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { propError } from '../core/errors';
import type { ServerlessApi } from '../api/serverless-api';
import { largestBodyLimit } from './body-limits';

/** Options of `ServerlessApi.addWebAcl()`. */
export interface ApiWebAclOptions {
  /**
   * The ARN of an existing REGIONAL web ACL to associate with the stage instead of creating one.
   * Excludes `rateLimit` and `managedRuleGroups`.
   * @default - a new web ACL with AWS managed rules and a rate-based rule
   */
  readonly webAclArn?: string;
  /**
   * Requests one IP address may make in any 5 minutes before WAF blocks it (10 to 2,000,000,000).
   * @default 2000
   */
  readonly rateLimit?: number;
  /**
   * The largest request body the API accepts, in bytes. The common rule set's 8 KB body limit
   * (`SizeRestrictions_BODY`) is set to count, and the web ACL blocks bodies over this size with the
   * handlers' 413 JSON where WAF can measure them (up to its 64 KB body inspection limit for API
   * Gateway; larger limits are left to the handlers). Only for a new web ACL.
   * @default - the largest `maxBodyBytes` of the CRUD resources of the APIs this web ACL protects,
   * else 102400 (the CRUD default)
   */
  readonly maxBodyBytes?: number;
  /**
   * The AWS managed rule groups (vendor 'AWS') the new web ACL evaluates, in this order.
   * @default ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList']
   */
  readonly managedRuleGroups?: string[];
}

/** Props of {@link ApiWebAcl}. */
export interface ApiWebAclProps extends ApiWebAclOptions {
  /** The API whose stage the web ACL protects. */
  readonly api: ServerlessApi;
}

/** The managed rule groups of a new web ACL. */
export const DEFAULT_MANAGED_RULE_GROUPS: readonly string[] = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
];

const DEFAULT_RATE_LIMIT = 2000;
const ASSOCIATED = new WeakSet<ServerlessApi>();
/**
 * The web ACLs this library created in each app, by ARN token, so that APIs sharing one add their body
 * limits. Kept per app (weakly), so a long-lived process building many apps does not keep them all.
 */
const CREATED = new WeakMap<IConstruct, Map<string, ApiWebAcl>>();

/** The web ACLs created in the app of `scope`. */
function createdIn(scope: IConstruct): Map<string, ApiWebAcl> {
  const root = scope.node.root;
  let created = CREATED.get(root);
  if (!created) {
    created = new Map();
    CREATED.set(root, created);
  }
  return created;
}

/** The CRUD handlers' default `maxBodyBytes`. */
const DEFAULT_MAX_BODY_BYTES = 102400;
/** API Gateway's request payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/**
 * How much of an API Gateway request body AWS WAF inspects: 16 KB by default, up to 64 KB in steps of
 * 16 KB (web ACL AssociationConfig; bodies beyond it follow each rule's oversize handling).
 */
const INSPECTION_STEP = 16 * 1024;
const MAX_INSPECTION = 64 * 1024;
const COMMON_RULE_SET = 'AWSManagedRulesCommonRuleSet';

/**
 * AWS WAF in front of a ServerlessApi's stage: a REGIONAL web ACL (also for EDGE APIs: WAF attaches
 * to the stage, not to the CloudFront distribution API Gateway manages) with AWS managed rule groups
 * and a per-IP rate-based rule, CloudWatch metrics and sampled requests on; or an existing web ACL.
 *
 * @example
 * api.addWebAcl('Waf', { rateLimit: 1000 });
 */
export class ApiWebAcl extends Construct {
  /** The web ACL this construct created; undefined when given `webAclArn`. */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** The ARN of the web ACL protecting the stage. */
  public readonly webAclArn: string;
  /** The association of the web ACL with the API's stage. */
  public readonly association: wafv2.CfnWebACLAssociation;

  /** The APIs whose stages this (created) web ACL protects. */
  private readonly protectedApis: ServerlessApi[] = [];
  private maxBodyBytes?: number;

  constructor(scope: Construct, id: string, props: ApiWebAclProps) {
    super(scope, id);
    const api = props.api;
    if (props.webAclArn !== undefined) {
      const extra = (['rateLimit', 'managedRuleGroups'] as const).find(p => props[p] !== undefined);
      if (extra) {
        throw propError(this, extra, props[extra], 'and webAclArn are both set',
          'Pass an existing web ACL, or settings for a new one, not both.');
      }
      if (!Token.isUnresolved(props.webAclArn) && !/^arn:[^:]+:wafv2:[^:]+:\d{12}:regional\/webacl\/[^/]+\/[^/]+$/.test(props.webAclArn)) {
        throw propError(this, 'webAclArn', props.webAclArn, 'is not the ARN of a REGIONAL WAFv2 web ACL',
          'API Gateway stages take regional web ACLs: arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>.');
      }
    }
    const rateLimit = props.rateLimit ?? DEFAULT_RATE_LIMIT;
    if (!Token.isUnresolved(rateLimit) && (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000)) {
      throw propError(this, 'rateLimit', rateLimit, 'must be an integer from 10 to 2000000000',
        'Give requests per IP address per 5 minutes, e.g. 2000.');
    }
    if (props.webAclArn !== undefined && props.maxBodyBytes !== undefined) {
      throw propError(this, 'maxBodyBytes', props.maxBodyBytes, 'and webAclArn are both set',
        'Pass an existing web ACL, or settings for a new one, not both.');
    }
    if (props.maxBodyBytes !== undefined && !Token.isUnresolved(props.maxBodyBytes)
      && (!Number.isInteger(props.maxBodyBytes) || props.maxBodyBytes < 1 || props.maxBodyBytes > MAX_PAYLOAD_BYTES)) {
      throw propError(this, 'maxBodyBytes', props.maxBodyBytes, `must be an integer from 1 to ${MAX_PAYLOAD_BYTES}`,
        'Give the largest request body the API accepts, in bytes, e.g. 102400.');
    }
    this.maxBodyBytes = props.maxBodyBytes;
    const groups = props.managedRuleGroups ?? DEFAULT_MANAGED_RULE_GROUPS;
    if (props.webAclArn === undefined && new Set(groups).size !== groups.length) {
      throw propError(this, 'managedRuleGroups', groups, 'lists a rule group twice', 'List each managed rule group once.');
    }
    if (ASSOCIATED.has(api)) {
      throw propError(this, 'api', api.node.path, 'already has a web ACL', 'A stage takes one web ACL: add rules to it instead of a second one.');
    }
    ASSOCIATED.add(api);

    if (props.webAclArn !== undefined) {
      this.webAclArn = props.webAclArn;
      createdIn(this).get(props.webAclArn)?.protectedApis.push(api);
    } else {
      this.protectedApis.push(api);
      const metricPrefix = Names.uniqueResourceName(this, { maxLength: 200, separator: '-' });
      const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
        cloudWatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
        metricName: `${metricPrefix}-${name}`.slice(0, 255),
      });
      const rules: wafv2.CfnWebACL.RuleProperty[] = groups.map((name, priority) => ({
        name: `AWS-${name}`,
        priority,
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name,
            // Blocks every body over 8 KB, far below what the API's handlers accept: count it, and
            // enforce the API's own limit below.
            ruleActionOverrides: name === COMMON_RULE_SET ? [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] : undefined,
          },
        },
        overrideAction: { none: {} },
        visibilityConfig: visibility(name),
      }));
      rules.push({
        name: 'RateLimitPerIp',
        priority: groups.length,
        statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
        action: { block: {} },
        visibilityConfig: visibility('RateLimitPerIp'),
      });
      const bodySizeRule = (limit: number): wafv2.CfnWebACL.RuleProperty => ({
        name: 'BodyLargerThanMaxBodyBytes',
        priority: groups.length + 1,
        statement: {
          sizeConstraintStatement: {
            // Bodies beyond WAF's inspection limit are larger than `limit` too (limit <= inspection).
            fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
            comparisonOperator: 'GT',
            size: limit,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
        action: { block: { customResponse: { responseCode: 413, customResponseBodyKey: 'PayloadTooLarge' } } },
        visibilityConfig: visibility('BodyLargerThanMaxBodyBytes'),
      });
      this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
        scope: 'REGIONAL',
        description: `Protects the ${api.stageName} stage of ${api.restApi.restApiName}`.replace(/[^\w+=:#@/\-,. ]/g, '-').slice(0, 256),
        defaultAction: { allow: {} },
        visibilityConfig: visibility('WebAcl'),
        rules: Lazy.any({ produce: () => (this.bodyLimit() <= MAX_INSPECTION ? [...rules, bodySizeRule(this.bodyLimit())] : rules) }),
        // The same JSON as the handlers' 413 (lib/runtime/http.ts), without the request id WAF cannot add.
        customResponseBodies: Lazy.any({
          produce: () => (this.bodyLimit() <= MAX_INSPECTION ? {
            PayloadTooLarge: {
              contentType: 'APPLICATION_JSON',
              content: JSON.stringify({ error: { code: 'PayloadTooLarge', message: `Request body exceeds the maximum size of ${this.bodyLimit()} bytes` } }),
            },
          } : undefined),
        }),
        // Inspect as much of each body as the API accepts, up to WAF's 64 KB (extra cost per 16 KB
        // above the default 16 KB, so only when the limit needs it).
        associationConfig: Lazy.any({
          produce: () => {
            const inspection = Math.min(MAX_INSPECTION, Math.ceil(this.bodyLimit() / INSPECTION_STEP) * INSPECTION_STEP);
            return inspection > INSPECTION_STEP
              ? { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: `KB_${inspection / 1024}` } } }
              : undefined;
          },
        }),
      });
      this.webAclArn = this.webAcl.attrArn;
      createdIn(this).set(this.webAclArn, this);
    }
    this.association = new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: api.stage.stageArn,
      webAclArn: this.webAclArn,
    });
    // The stage ARN is built from the stage's name, which does not reference the stage resource.
    this.association.node.addDependency(api.stage);
  }

  /** The largest body the protected APIs accept: the option, else their CRUD limits, else the CRUD default. */
  private bodyLimit(): number {
    if (this.maxBodyBytes !== undefined) { return this.maxBodyBytes; }
    const limits = this.protectedApis.map(a => largestBodyLimit(a)).filter((l): l is number => l !== undefined);
    return limits.length > 0 ? Math.max(...limits) : DEFAULT_MAX_BODY_BYTES;
  }
}
