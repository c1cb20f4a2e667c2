import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Integration, RouteAuthorization, RouteHandler, ServerlessApi, ServerlessApiProps } from '../../lib';
import { body } from '../auth/util';
import { inlineHandler, testStack } from '../util';

function gradualApi(props: ServerlessApiProps = { gradualDeployment: {} }) {
  const stack = testStack();
  const api = new ServerlessApi(stack, 'Api', { apiName: 'items', stageName: 'prod', ...props });
  return { stack, api };
}

const route = { method: 'GET', path: '/items', authorization: RouteAuthorization.none() };

describe('gradual deployment', () => {
  test('GIVEN gradualDeployment THEN each function gets a version, a "live" alias and a deployment group (canary 10% for 5 minutes) of one shared application and role', () => {
    const { stack, api } = gradualApi();
    api.addRoute({ ...route, handler: inlineHandler() });
    api.addRoute({ ...route, path: '/other', handler: inlineHandler() });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Version', 2);
    template.resourceCountIs('AWS::Lambda::Alias', 2);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live' });
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 2);
    template.resourceCountIs('AWS::CodeDeploy::Application', 1);
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] },
    });
    const roles = Object.values<any>(template.findResources('AWS::IAM::Role'))
      .filter(r => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('codedeploy.amazonaws.com'));
    expect(roles).toHaveLength(1);
  });

  test('GIVEN gradualDeployment THEN the body integrates with the alias and API Gateway may invoke the alias', () => {
    const { stack, api } = gradualApi();
    api.addRoute({ ...route, handler: inlineHandler() });

    const uri = body(stack).paths['/items'].get['x-amazon-apigateway-integration'].uri;
    expect(uri).toMatch(/:function:TestStack-GetItems-[0-9A-F]{8}:live\/invocations$/);
    const permissions = Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(1);
    expect(permissions[0].Properties.FunctionName).toEqual({ Ref: expect.stringMatching(/^ApiGetItemsAlias/) });
  });

  test('aliasFor gives the alias of a gradually deployed route (for direct callers), undefined otherwise', () => {
    const { api } = gradualApi();
    api.addRoute({ ...route, handler: inlineHandler() });
    const plain = gradualApi({}).api;
    plain.addRoute({ ...route, handler: inlineHandler() });

    expect(api.aliasFor('GET /items')?.aliasName).toBe('live');
    expect(api.aliasFor('GET /items')?.version).toBe((api.functionFor('GET /items') as lambda.Function).currentVersion);
    expect(plain.aliasFor('GET /items')).toBeUndefined();
  });

  test('GIVEN no gradualDeployment THEN no version, alias or deployment group, and the body integrates with the function', () => {
    const { stack, api } = gradualApi({});
    api.addRoute({ ...route, handler: inlineHandler() });

    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Alias', 0);
    Template.fromStack(stack).resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    expect(body(stack).paths['/items'].get['x-amazon-apigateway-integration'].uri).toMatch(/:function:TestStack-GetItems-[0-9A-F]{8}\/invocations$/);
  });

  test('GIVEN a linear config, alarms and hooks on one handler THEN its group uses them', () => {
    const { stack, api } = gradualApi({});
    const alarm = new cloudwatch.Alarm(stack, 'Custom', { metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }), threshold: 1, evaluationPeriods: 1 });
    const hook = new lambda.Function(stack, 'Hook', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>{}') });
    api.addRoute({
      ...route,
      handler: RouteHandler.fromCode(lambda.Code.fromInline('exports.handler=async()=>({statusCode:200})'), {
        gradualDeployment: { deploymentConfig: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE, alarms: [alarm], preTrafficHook: hook, aliasName: 'current' },
      }),
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      AlarmConfiguration: { Enabled: true, Alarms: [{ Name: { Ref: Match.stringLikeRegexp('^Custom') } }] },
    });
    template.hasResource('AWS::Lambda::Alias', { Properties: { Name: 'current' }, UpdatePolicy: { CodeDeployLambdaAliasUpdate: { BeforeAllowTrafficHook: { Ref: Match.stringLikeRegexp('^Hook') } } } });
  });

  test('GIVEN monitoring THEN each deployment group rolls back on its function\'s alarms and the stage 5XX rate', () => {
    const { stack, api } = gradualApi();
    api.addRoute({ ...route, handler: inlineHandler() });
    api.addMonitoring();

    const group = Object.values<any>(Template.fromStack(stack).findResources('AWS::CodeDeploy::DeploymentGroup'))[0];
    expect(group.Properties.AlarmConfiguration.Alarms).toHaveLength(4);
    expect(group.Properties.AutoRollbackConfiguration.Events).toContain('DEPLOYMENT_STOP_ON_ALARM');
  });

  test('GIVEN gradualDeployment THEN the API stack holds 60 functions before nested stacks of 90', () => {
    const { api } = gradualApi();
    for (let i = 0; i < 61; i++) {
      api.addRoute({ ...route, path: `/r${i}`, handler: inlineHandler() });
    }
    expect(api.routeStacks).toHaveLength(1);
  });

  test('fails if gradualDeployment is set on a route whose handler another route already uses', () => {
    const { api } = gradualApi({});
    const shared = inlineHandler();
    api.addRoute({ ...route, handler: shared });
    expect(() => api.addRoute({ ...route, path: '/again', handler: shared, gradualDeployment: {} }))
      .toThrow("TestStack/Api: route 'GET /again' gradualDeployment is set on a route whose handler is already used by route 'GET /items' (received {}). Set function options on the shared handler (RouteHandler.fromEntry(entry, { ... })), not on its routes.");
  });

  test('fails if gradualDeployment is set on a function the app owns', () => {
    const { stack, api } = gradualApi({});
    const own = new lambda.Function(stack, 'Own', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    expect(() => api.addRoute({ ...route, handler: RouteHandler.fromFunction(own), gradualDeployment: {} }))
      .toThrow(/route 'GET \/items' gradualDeployment is set on a function you own \(RouteHandler\.fromFunction\) \(received 'a deployment'\)\. The library publishes versions only of functions it creates/);
  });

  test('fails if gradualDeployment is set on a route that is not Lambda', () => {
    const { api } = gradualApi({});
    expect(() => api.addRoute({ ...route, integration: Integration.mock({ statusCode: 200 }), gradualDeployment: {} }))
      .toThrow(/route 'GET \/items' gradualDeployment is a Lambda function option, and the route's integration is MOCK/);
  });

  test('fails if a second monitoring would take a deployment group past CodeDeploy\'s 10 alarms', () => {
    const { stack, api } = gradualApi({});
    const alarms = [1, 2, 3, 4, 5, 6].map(i => new cloudwatch.Alarm(stack, `Custom${i}`, { metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }), threshold: 1, evaluationPeriods: 1 }));
    api.addRoute({ ...route, handler: RouteHandler.fromCode(lambda.Code.fromInline('exports.handler=async()=>({statusCode:200})'), { gradualDeployment: { alarms } }) });
    api.addMonitoring('Monitoring');
    expect(() => api.addMonitoring('MoreMonitoring'))
      .toThrow("TestStack/Api/MoreMonitoring: api would give the deployment group of TestStack/Api/GetItemsFunction 14 rollback alarms (received 'TestStack/Api'). "
        + 'CodeDeploy takes 10 per deployment group: monitor the API once, or combine alarms with a CompositeAlarm.');
  });

  test('fails if the alias name is only digits', () => {
    const { api } = gradualApi({ gradualDeployment: { aliasName: '42' } });
    expect(() => api.addRoute({ ...route, handler: inlineHandler() }))
      .toThrow("TestStack/Api: route 'GET /items' gradualDeployment.aliasName is not a Lambda alias name (received '42').");
  });
});
