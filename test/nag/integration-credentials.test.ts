import { CfnResource, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagRuleCompliance } from 'cdk-nag';
import { Audit, DynamoDbAction, Integration, S3Action, ServerlessApi } from '../../lib';
import { IntegrationCredentials } from '../../lib/nag/rules';
import { importedResources } from '../integrations/fixtures';
import { inlineHandler, testApp, testStack } from '../util';

function restApiOf(api: ServerlessApi): CfnResource {
  return api.restApi.node.defaultChild as CfnResource;
}

describe('ServerlessApi-IntegrationCredentials', () => {
  test('GIVEN the library\'s integration roles THEN compliant', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const r = importedResources(stack);
    api.addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(new sqs.Queue(stack, 'Q')) });
    api.addRoute({ method: 'GET', path: '/t/{id}', integration: Integration.dynamoDb(r.table, { action: DynamoDbAction.GET_ITEM, keyParameters: { id: 'id' } }) });
    api.addRoute({ method: 'GET', path: '/s/{key}', integration: Integration.s3(new s3.Bucket(stack, 'B'), { action: S3Action.GET_OBJECT, key: 'x/{key}' }) });
    expect(IntegrationCredentials(restApiOf(api))).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('GIVEN only Lambda and mock routes THEN not applicable', () => {
    const api = new ServerlessApi(testStack(), 'Api');
    api.addRoute({ method: 'GET', path: '/f', handler: inlineHandler() });
    api.addRoute({ method: 'GET', path: '/m', integration: Integration.mock({ statusCode: 200 }) });
    expect(IntegrationCredentials(restApiOf(api))).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  test('GIVEN a role of mine with a wildcard action THEN a finding names the route', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:*'], resources: [new sqs.Queue(stack, 'Q').queueArn] }));
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(new sqs.Queue(stack, 'Q2'), { credentialsRole: role }) });
    expect(IntegrationCredentials(restApiOf(api))).toEqual(['POST:/q']);
  });

  test('GIVEN the library\'s role widened through an escape hatch to "*" THEN a finding', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(new sqs.Queue(stack, 'Q')) });
    const role = api.node.children.find(c => c.node.id.startsWith('IntegrationRole')) as iam.Role;
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] }));
    expect(IntegrationCredentials(restApiOf(api))).toEqual(['POST:/q']);
  });

  test('GIVEN a role with a managed policy THEN a finding', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'Mine', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSQSFullAccess')],
    });
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(new sqs.Queue(stack, 'Q'), { credentialsRole: role }) });
    expect(IntegrationCredentials(restApiOf(api))).toEqual(['POST:/q']);
  });

  test('GIVEN a role the rule cannot see (imported by ARN) THEN a finding to acknowledge', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({
      method: 'POST', path: '/q',
      integration: Integration.sqs(new sqs.Queue(stack, 'Q'), { credentialsRole: iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::123456789012:role/x') }),
    });
    expect(IntegrationCredentials(restApiOf(api))).toEqual(['POST:/q']);
  });

  test('GIVEN an AWS integration without credentials in a raw body THEN a finding; with the caller\'s credentials THEN compliant', () => {
    const aws = (credentials?: string) => ({ type: 'aws', httpMethod: 'POST', uri: 'arn:aws:apigateway:eu-west-1:sqs:path/1/q', ...(credentials ? { credentials } : {}) });
    const api = new apigateway.CfnRestApi(testStack(), 'Raw', {
      body: { openapi: '3.0.1', info: { title: 't', version: '1' }, paths: {
        '/a': { post: { 'x-amazon-apigateway-integration': aws() } },
        '/b': { post: { 'x-amazon-apigateway-integration': aws('arn:aws:iam::*:user/*') } },
      } },
    });
    expect(IntegrationCredentials(api)).toEqual(['POST:/a']);
  });

  test('GIVEN every kind on audited resources THEN the whole audit passes (S3 prefix grants acknowledged one by one)', () => {
    const app = testApp();
    const stack = testStack(app, 'Audited');
    Audit.enable(app);
    const api = new ServerlessApi(stack, 'Api');
    Validations.of(api.stage.node.defaultChild!).acknowledge({ id: 'AwsSolutions-APIG3', reason: 'Test API, never deployed: no web ACL needed.' });
    const r = importedResources(stack);
    const bucket = new s3.Bucket(stack, 'Site', { enforceSSL: true });
    Validations.of(bucket.node.defaultChild!).acknowledge({ id: 'AwsSolutions-S1', reason: 'Test bucket, never deployed: no access logs needed.' });
    api.addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(r.queue) });
    api.addRoute({ method: 'GET', path: '/site/{proxy+}', integration: Integration.s3(bucket, { action: S3Action.GET_OBJECT, key: 'public/{proxy}' }) });
    api.addRoute({ method: 'PUT', path: '/up/{n}', integration: Integration.s3(bucket, { action: S3Action.PUT_OBJECT, key: 'up/{n}' }) });
    api.addRoute({ method: 'DELETE', path: '/up/{n}', integration: Integration.s3(r.bucket, { action: S3Action.DELETE_OBJECT, key: 'up/{n}' }) });
    api.addRoute({ method: 'GET', path: '/t/{id}', integration: Integration.dynamoDb(r.table, { action: DynamoDbAction.GET_ITEM, keyParameters: { id: 'id' } }) });
    expect(() => app.synth()).not.toThrow();
  });
});
