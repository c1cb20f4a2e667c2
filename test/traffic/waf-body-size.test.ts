import { Template } from 'aws-cdk-lib/assertions';
import { ServerlessApi } from '../../lib';
import { inlineHandler, testStack } from '../util';

/**
 * AWSManagedRulesCommonRuleSet's SizeRestrictions_BODY blocks every body over 8 KB, while the CRUD
 * handlers accept up to maxBodyBytes (100 KB by default): a 9-100 KB POST got a WAF 403 instead of
 * success or the handler's 413. The web ACL now counts that rule only, and enforces the API's own
 * limit where WAF can see it. AWS WAF inspects at most the first 16 KB of an API Gateway request body
 * by default, 64 KB at most (AssociationConfig.RequestBody.API_GATEWAY); a size rule on the body is
 * exact only up to that limit (oversize handling MATCH then blocks larger bodies).
 */
function wafFor(crud: Array<number | undefined>, options: Parameters<ServerlessApi['addWebAcl']>[1] = {}, crudAfter = false): { acl: any; stack: ReturnType<typeof testStack> } {
  const stack = testStack();
  const api = new ServerlessApi(stack, 'Api');
  api.addRoute({ method: 'GET', path: '/health', handler: inlineHandler() });
  const addCrud = (): void => crud.forEach((maxBodyBytes, i) => { api.addCrudResource(`things${i}`, { maxBodyBytes }); });
  if (!crudAfter) { addCrud(); }
  api.addWebAcl('Waf', options);
  if (crudAfter) { addCrud(); }
  const acl = Object.values(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL'))[0].Properties;
  return { acl, stack };
}

const commonRuleSet = (acl: any): any => acl.Rules.find((r: any) => r.Statement.ManagedRuleGroupStatement?.Name === 'AWSManagedRulesCommonRuleSet');
const sizeRule = (acl: any): any => acl.Rules.find((r: any) => r.Name === 'BodyLargerThanMaxBodyBytes');

describe('web ACL and maxBodyBytes agree', () => {
  test('GIVEN the CRUD default (100 KB) THEN SizeRestrictions_BODY only counts, so bodies over 8 KB are not blocked by WAF', () => {
    const { acl } = wafFor([undefined]);
    expect(commonRuleSet(acl).Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
  });

  test('GIVEN a limit over 64 KB THEN WAF inspects the most it can (64 KB) and leaves the limit to the handler\'s 413 (no size rule it could not evaluate)', () => {
    const { acl } = wafFor([undefined]);
    expect(acl.AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_64' } } });
    expect(sizeRule(acl)).toBeUndefined();
  });

  test('GIVEN CRUD resources of 20 KB and 32 KB THEN WAF blocks bodies over 32 KB with the handlers\' 413 JSON, inspecting 32 KB', () => {
    const { acl } = wafFor([20 * 1024, 32 * 1024]);
    expect(acl.AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_32' } } });
    expect(sizeRule(acl)).toEqual({
      Name: 'BodyLargerThanMaxBodyBytes',
      Priority: 4,
      Statement: { SizeConstraintStatement: {
        FieldToMatch: { Body: { OversizeHandling: 'MATCH' } }, ComparisonOperator: 'GT', Size: 32768,
        TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      } },
      Action: { Block: { CustomResponse: { ResponseCode: 413, CustomResponseBodyKey: 'PayloadTooLarge' } } },
      VisibilityConfig: expect.objectContaining({ CloudWatchMetricsEnabled: true }),
    });
    expect(acl.CustomResponseBodies.PayloadTooLarge).toEqual({
      ContentType: 'APPLICATION_JSON',
      Content: '{"error":{"code":"PayloadTooLarge","message":"Request body exceeds the maximum size of 32768 bytes"}}',
    });
  });

  test('GIVEN a limit within the default 16 KB inspection THEN no AssociationConfig (no extra inspection cost)', () => {
    const { acl } = wafFor([8 * 1024]);
    expect(acl.AssociationConfig).toBeUndefined();
    expect(sizeRule(acl).Statement.SizeConstraintStatement.Size).toBe(8192);
  });

  test('GIVEN CRUD resources added after the web ACL THEN their limit still counts', () => {
    const { acl } = wafFor([48 * 1024], {}, true);
    expect(sizeRule(acl).Statement.SizeConstraintStatement.Size).toBe(49152);
  });

  test('GIVEN maxBodyBytes on the web ACL THEN it overrides the CRUD limit', () => {
    const { acl } = wafFor([undefined], { maxBodyBytes: 10000 });
    expect(sizeRule(acl).Statement.SizeConstraintStatement.Size).toBe(10000);
    expect(acl.AssociationConfig).toBeUndefined();
  });

  test('GIVEN a second API sharing the web ACL THEN its CRUD limit counts too', () => {
    const stack = testStack();
    const v1 = new ServerlessApi(stack, 'V1');
    v1.addCrudResource('items', { maxBodyBytes: 16 * 1024 });
    const waf = v1.addWebAcl('Waf');
    const v2 = new ServerlessApi(stack, 'V2');
    v2.addCrudResource('items', { maxBodyBytes: 40 * 1024 });
    v2.addWebAcl('Waf', { webAclArn: waf.webAclArn });

    const acl = Object.values(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL'))[0].Properties;
    expect(sizeRule(acl).Statement.SizeConstraintStatement.Size).toBe(40960);
  });

  test('GIVEN managed rule groups without the common rule set THEN nothing is overridden', () => {
    const { acl } = wafFor([undefined], { managedRuleGroups: ['AWSManagedRulesSQLiRuleSet'] });
    expect(acl.Rules[0].Statement.ManagedRuleGroupStatement.RuleActionOverrides).toBeUndefined();
  });

  test('fails if maxBodyBytes is not a positive integer', () => {
    expect(() => wafFor([], { maxBodyBytes: 0 })).toThrow(
      'TestStack/Api/Waf: maxBodyBytes must be an integer from 1 to 10485760 (received 0). Give the largest request body the API accepts, in bytes, e.g. 102400.');
  });
});
