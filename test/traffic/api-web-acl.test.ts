import { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { itemsApi } from './helpers';

const ARN = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shared/0123abcd';

describe('ApiWebAcl', () => {
  test('creates a REGIONAL web ACL with the AWS managed rule groups and a 2000 per IP rate rule by default', () => {
    // GIVEN
    const { stack, api } = itemsApi({ keyRequired: false });
    // WHEN
    api.addWebAcl();
    // THEN
    const managed = (name: string, priority: number) => Match.objectLike({
      Priority: priority,
      Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } },
      OverrideAction: { None: {} },
      VisibilityConfig: Match.objectLike({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: Match.objectLike({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true }),
      Rules: [
        managed('AWSManagedRulesCommonRuleSet', 0),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 1),
        managed('AWSManagedRulesAmazonIpReputationList', 2),
        Match.objectLike({
          Priority: 3,
          Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
          Action: { Block: {} },
        }),
      ],
    });
  });

  test('associates the web ACL with the stage ARN, after the stage exists', () => {
    const { stack, api } = itemsApi({ keyRequired: false });
    const waf = api.addWebAcl('Waf');
    const template = Template.fromStack(stack);
    const association = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation'))[0];
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(waf.webAcl!), 'Arn'] });
    expect(JSON.stringify(association.Properties.ResourceArn)).toContain(':apigateway:');
    expect(JSON.stringify(association.Properties.ResourceArn)).toContain(`/restapis/`);
    expect(association.DependsOn).toContain(stack.getLogicalId(api.stage.node.defaultChild as CfnElement));
  });

  test('applies an overridden rate limit and rule groups', () => {
    const { stack, api } = itemsApi({ keyRequired: false });
    api.addWebAcl('Waf', { rateLimit: 500, managedRuleGroups: ['AWSManagedRulesSQLiRuleSet'] });
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: [
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesSQLiRuleSet' } } }),
        Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 500 }) } }),
      ],
    });
  });

  test('associates an existing web ACL by ARN without creating one', () => {
    const { stack, api } = itemsApi({ keyRequired: false });
    const waf = api.addWebAcl('Waf', { webAclArn: ARN });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: ARN });
    expect(waf.webAcl).toBeUndefined();
  });

  test('fails if given an existing ARN and settings for a new web ACL', () => {
    const { api } = itemsApi({ keyRequired: false });
    expect(() => api.addWebAcl('Waf', { webAclArn: ARN, rateLimit: 100 })).toThrow(
      'TestStack/Api/Waf: rateLimit and webAclArn are both set (received 100). Pass an existing web ACL, or settings for a new one, not both.');
  });

  test('fails on a rate limit out of range', () => {
    const { api } = itemsApi({ keyRequired: false });
    expect(() => api.addWebAcl('Waf', { rateLimit: 5 })).toThrow(
      'TestStack/Api/Waf: rateLimit must be an integer from 10 to 2000000000 (received 5). Give requests per IP address per 5 minutes, e.g. 2000.');
  });

  test('fails on a CloudFront (global) web ACL ARN', () => {
    const { api } = itemsApi({ keyRequired: false });
    expect(() => api.addWebAcl('Waf', { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/cf/0123' })).toThrow(
      "TestStack/Api/Waf: webAclArn is not the ARN of a REGIONAL WAFv2 web ACL (received 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/cf/0123'). API Gateway stages take regional web ACLs: arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>.");
  });

  test('fails on a second web ACL for the same stage', () => {
    const { api } = itemsApi({ keyRequired: false });
    api.addWebAcl('Waf');
    expect(() => api.addWebAcl('Waf2')).toThrow(
      "TestStack/Api/Waf2: api already has a web ACL (received 'TestStack/Api'). A stage takes one web ACL: add rules to it instead of a second one.");
  });
});
