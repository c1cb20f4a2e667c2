import { Names, Token } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { propError } from '../core/errors';
import type { ServerlessApi } from '../api/serverless-api';

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
    } else {
      const metricPrefix = Names.uniqueResourceName(this, { maxLength: 200, separator: '-' });
      const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
        cloudWatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
        metricName: `${metricPrefix}-${name}`.slice(0, 255),
      });
      const rules: wafv2.CfnWebACL.RuleProperty[] = groups.map((name, priority) => ({
        name: `AWS-${name}`,
        priority,
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
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
      this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
        scope: 'REGIONAL',
        description: `Protects the ${api.stageName} stage of ${api.restApi.restApiName}`.replace(/[^\w+=:#@/\-,. ]/g, '-').slice(0, 256),
        defaultAction: { allow: {} },
        visibilityConfig: visibility('WebAcl'),
        rules,
      });
      this.webAclArn = this.webAcl.attrArn;
    }
    this.association = new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: api.stage.stageArn,
      webAclArn: this.webAclArn,
    });
    // The stage ARN is built from the stage's name, which does not reference the stage resource.
    this.association.node.addDependency(api.stage);
  }
}
