import { Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  DynamoDbAction, Integration, RouteAuthorization, S3Action, ServerlessApi, StepFunctionsMode,
} from '../../lib';
import { inlineHandler, testStack } from '../util';
import { entryOf, operationOf, synthesizedBody } from './fixtures';

function rawBody(stack: Stack): any {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

function resourceCount(stack: Stack): number {
  return Object.keys(Template.fromStack(stack).toJSON().Resources).length;
}

function expressMachine(stack: Stack, id = 'Workflow', type = sfn.StateMachineType.EXPRESS): sfn.StateMachine {
  return new sfn.StateMachine(stack, id, { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)), stateMachineType: type });
}

/** The statements of the role an operation's integration assumes. */
function roleStatements(stack: Stack, method: string, path: string): any[] {
  const credentials = operationOf(rawBody(stack), method, path)['x-amazon-apigateway-integration'].credentials;
  const roleId = credentials['Fn::GetAtt'][0];
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values<any>(policies).filter(p => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(p => p.Properties.PolicyDocument.Statement);
}

describe('the integration model', () => {
  test('GIVEN Integration.lambda(handler) THEN the body and template are the same as with handler', () => {
    const a = testStack();
    const b = testStack();
    new ServerlessApi(a, 'Api').addRoute({ method: 'GET', path: '/x', handler: inlineHandler() });
    new ServerlessApi(b, 'Api').addRoute({ method: 'GET', path: '/x', integration: Integration.lambda(inlineHandler()) });
    expect(Template.fromStack(b).toJSON()).toEqual(Template.fromStack(a).toJSON());
  });

  test('GIVEN a non-Lambda route THEN api.routes names its kind and has no function', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(new sqs.Queue(stack, 'Q')) });
    api.addRoute({ method: 'GET', path: '/f', handler: inlineHandler() });
    expect(api.routes.map(r => [r.method, r.path, r.integrationKind, r.function === undefined])).toEqual([
      ['POST', '/q', 'SQS', true], ['GET', '/f', 'LAMBDA', false],
    ]);
  });

  test('fails if functionFor names a route served by an integration', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(new sqs.Queue(stack, 'Q')) });
    expect(() => api.functionFor('POST /q')).toThrow(
      "TestStack/Api: route is served by a SQS integration, not a function (received 'POST /q'). Ask for a route served by a handler.");
  });

  test('GIVEN more routes on the same queue THEN no resource is added per route (one shared role)', () => {
    const one = testStack();
    const three = testStack();
    const q1 = new sqs.Queue(one, 'Q');
    const q3 = new sqs.Queue(three, 'Q');
    new ServerlessApi(one, 'Api').addRoute({ method: 'POST', path: '/a', integration: Integration.sqs(q1) });
    const api = new ServerlessApi(three, 'Api');
    for (const path of ['/a', '/b', '/c']) {
      api.addRoute({ method: 'POST', path, integration: Integration.sqs(q3) });
    }
    expect(resourceCount(three)).toBe(resourceCount(one));
    Template.fromStack(three).resourceCountIs('AWS::IAM::Role', 2); // the integration role and the account's CloudWatch role
  });

  test('GIVEN routes with different permissions THEN one role per permission set, each listing its routes', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const queue = new sqs.Queue(stack, 'Q');
    const stream = new kinesis.Stream(stack, 'S');
    api.addRoute({ method: 'POST', path: '/a', integration: Integration.sqs(queue) });
    api.addRoute({ method: 'POST', path: '/b', integration: Integration.kinesis(stream) });
    api.addRoute({ method: 'POST', path: '/c', integration: Integration.sqs(queue) });
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] } },
    });
    expect(Object.values<any>(roles).map(r => r.Properties.Description).filter(d => d.startsWith('API Gateway calls')).sort()).toEqual([
      'API Gateway calls AWS services for: POST /a, POST /c',
      'API Gateway calls AWS services for: POST /b',
    ]);
  });

  test('GIVEN credentialsRole THEN the route assumes it and the library creates no role', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Mine', 'arn:aws:iam::123456789012:role/mine');
    new ServerlessApi(stack, 'Api').addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(new sqs.Queue(stack, 'Q'), { credentialsRole: role }) });
    expect(operationOf(rawBody(stack), 'POST', '/q')['x-amazon-apigateway-integration'].credentials).toBe('arn:aws:iam::123456789012:role/mine');
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role')).filter(id => id.includes('IntegrationRole'))).toEqual([]);
  });
});

describe('least privilege: exactly the route\'s actions on exactly its resource', () => {
  test('SQS: the queue\'s grantSendMessages', () => {
    const stack = testStack();
    const queue = new sqs.Queue(stack, 'Q');
    new ServerlessApi(stack, 'Api').addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(queue) });
    expect(roleStatements(stack, 'POST', '/q')).toEqual([{
      Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], Effect: 'Allow', Resource: { 'Fn::GetAtt': ['Q63C6E3AB', 'Arn'] },
    }]);
  });

  test('Step Functions: StartExecution for START, StartSyncExecution for SYNC', () => {
    const stack = testStack();
    const machine = expressMachine(stack);
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'POST', path: '/start', integration: Integration.stepFunctions(machine) });
    api.addRoute({ method: 'POST', path: '/sync', integration: Integration.stepFunctions(machine, { mode: StepFunctionsMode.SYNC }) });
    const ref = { Ref: stack.resolve((machine.node.defaultChild as sfn.CfnStateMachine).logicalId) };
    expect(roleStatements(stack, 'POST', '/start')).toEqual([{ Action: 'states:StartExecution', Effect: 'Allow', Resource: ref }]);
    expect(roleStatements(stack, 'POST', '/sync')).toEqual([{ Action: 'states:StartSyncExecution', Effect: 'Allow', Resource: ref }]);
  });

  test('Kinesis: PutRecord only', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api').addRoute({ method: 'POST', path: '/k', integration: Integration.kinesis(new kinesis.Stream(stack, 'S')) });
    expect(roleStatements(stack, 'POST', '/k')).toEqual([{ Action: 'kinesis:PutRecord', Effect: 'Allow', Resource: { 'Fn::GetAtt': ['S509448A1', 'Arn'] } }]);
  });

  test('EventBridge: PutEvents on the bus', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api').addRoute({ method: 'POST', path: '/e', integration: Integration.eventBridge(new events.EventBus(stack, 'Bus'), { source: 'com.example' }) });
    expect(roleStatements(stack, 'POST', '/e')).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: { 'Fn::GetAtt': ['BusEA82B648', 'Arn'] } }]);
  });

  test('DynamoDB: the one action of each route on the table', () => {
    const stack = testStack();
    const table = new dynamodb.Table(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/t/{id}', integration: Integration.dynamoDb(table, { action: DynamoDbAction.GET_ITEM }) });
    api.addRoute({ method: 'DELETE', path: '/t/{id}', integration: Integration.dynamoDb(table, { action: DynamoDbAction.DELETE_ITEM }) });
    expect(roleStatements(stack, 'GET', '/t/{id}')).toEqual([{ Action: 'dynamodb:GetItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': ['TD925BC7E', 'Arn'] } }]);
    expect(roleStatements(stack, 'DELETE', '/t/{id}')).toEqual([{ Action: 'dynamodb:DeleteItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': ['TD925BC7E', 'Arn'] } }]);
  });

  test('S3: the bucket\'s grant on the key template\'s prefix only', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'B');
    new ServerlessApi(stack, 'Api').addRoute({ method: 'PUT', path: '/up/{name}', integration: Integration.s3(bucket, { action: S3Action.PUT_OBJECT, key: 'uploads/{name}.json' }) });
    expect(roleStatements(stack, 'PUT', '/up/{name}')).toEqual([{
      Action: ['s3:Abort*', 's3:PutObject', 's3:PutObjectLegalHold', 's3:PutObjectRetention', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'],
      Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['B08E7C7AF', 'Arn'] }, '/uploads/*']] },
    }]);
  });

  test('the role trusts API Gateway only', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api').addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(new sqs.Queue(stack, 'Q')) });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } }] },
      Description: 'API Gateway calls AWS services for: POST /q',
    });
  });
});

describe('body entries', () => {
  test('GIVEN an AWS service route THEN type aws, the service URI, the role, passthrough NEVER and the 29 s timeout', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api').addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(new sqs.Queue(stack, 'Q')) });
    const entry = entryOf(synthesizedBody(stack), 'POST', '/q');
    expect(entry).toMatchObject({
      type: 'aws', httpMethod: 'POST', passthroughBehavior: 'never', timeoutInMillis: 29000,
      uri: 'arn:aws:apigateway:eu-west-1:sqs:path/123456789012/${Q63C6E3AB.QueueName}',
      credentials: expect.stringMatching(/^\$\{ApiIntegrationRole[0-9A-F]{8}[0-9A-F]{8}\.Arn\}$/),
    });
    expect(Object.keys(entry.responses!)).toEqual(['default', '4\\d{2}', '5\\d{2}']);
  });

  test('GIVEN a timeout THEN timeoutInMillis', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api').addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(new sqs.Queue(stack, 'Q'), { timeout: Duration.seconds(5) }) });
    expect(entryOf(synthesizedBody(stack), 'POST', '/q')).toMatchObject({ timeoutInMillis: 5000 });
  });

  test('GIVEN an AWS service route THEN the operation declares every status its templates answer, with their headers', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api').addRoute({ method: 'POST', path: '/q', integration: Integration.sqs(new sqs.Queue(stack, 'Q')) });
    const responses = operationOf(synthesizedBody(stack), 'POST', '/q').responses;
    expect(Object.keys(responses)).toEqual(['202', '400', '413', '429', '500', '502']);
    expect(Object.keys(responses['202'].headers)).toEqual(['Cache-Control', 'X-Content-Type-Options', 'X-Request-Id']);
  });

  test('GIVEN a request template of mine THEN it replaces the default', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api').addRoute({ method: 'POST', path: '/k', integration: Integration.kinesis(new kinesis.Stream(stack, 'S'), { requestTemplate: '{"custom":true}' }) });
    expect(entryOf(synthesizedBody(stack), 'POST', '/k').requestTemplates).toEqual({ 'application/json': '{"custom":true}' });
  });

  test('GIVEN a body model THEN components.schemas declares it and the operation requires it', () => {
    const stack = testStack();
    new ServerlessApi(stack, 'Api').addRoute({ method: 'POST', path: '/e', integration: Integration.eventBridge(new events.EventBus(stack, 'Bus'), { source: 'com.example' }) });
    const body = synthesizedBody(stack);
    expect(body.components.schemas.JsonObject).toEqual({ type: 'object', description: 'Any JSON object.' });
    expect(operationOf(body, 'POST', '/e').requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/JsonObject' } } } });
  });
});

describe('what exists for Lambda routes applies to every kind', () => {
  function apiWithQueue(props: ConstructorParameters<typeof ServerlessApi>[2] = {}) {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api', props);
    const queue = new sqs.Queue(stack, 'Q');
    return { stack, api, queue };
  }

  test('authorization: IAM by default, Cognito with scopes when set', () => {
    const { stack, api, queue } = apiWithQueue({ cognito: { userPoolProps: { callbackUrls: ['https://app.example.com/callback'] } } });
    api.addRoute({ method: 'POST', path: '/a', integration: Integration.sqs(queue) });
    api.addRoute({ method: 'POST', path: '/b', integration: Integration.sqs(queue), authorization: RouteAuthorization.cognito(['api/orders.write']) });
    const body = synthesizedBody(stack);
    expect(operationOf(body, 'POST', '/a').security).toEqual([{ sigv4: [] }]);
    expect(operationOf(body, 'POST', '/b').security).toEqual([{ CognitoUserPool: ['api/orders.write'] }]);
  });

  test('API keys and usage plans', () => {
    const { stack, api, queue } = apiWithQueue();
    api.addRoute({ method: 'POST', path: '/a', integration: Integration.sqs(queue), apiKeyRequired: true });
    api.addUsagePlan('Plan');
    expect(operationOf(synthesizedBody(stack), 'POST', '/a').security).toEqual([{ sigv4: [] }, { api_key: [] }]);
  });

  test('route throttles', () => {
    const { stack, api, queue } = apiWithQueue();
    api.addRoute({ method: 'POST', path: '/a', integration: Integration.sqs(queue) });
    api.throttleRoute('POST', '/a', { rateLimit: 5, burstLimit: 10 });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ HttpMethod: 'POST', ResourcePath: '/~1a', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })]),
    });
  });

  test('CORS: the preflight, and the origin on every answer of the route', () => {
    const { stack, api, queue } = apiWithQueue({ cors: { allowOrigins: ['https://app.example.com'] } });
    api.addRoute({ method: 'POST', path: '/a', integration: Integration.sqs(queue) });
    const body = synthesizedBody(stack);
    expect(body.paths['/a'].options['x-amazon-apigateway-integration'].type).toBe('mock');
    for (const response of Object.values<any>(entryOf(body, 'POST', '/a').responses!)) {
      expect(response.responseParameters['method.response.header.Access-Control-Allow-Origin']).toBe('\'https://app.example.com\'');
    }
  });

  test('CORS with several origins: the answer echoes an allowed Origin', () => {
    const { stack, api } = apiWithQueue({ cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'] } });
    api.addRoute({ method: 'GET', path: '/m', integration: Integration.mock({ statusCode: 200, body: '{}' }) });
    const template = entryOf(synthesizedBody(stack), 'GET', '/m').responses!.default.responseTemplates!['application/json'];
    expect(template).toContain('#if($origin == "https://b.example.com")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)');
  });
});

describe('private backends', () => {
  function vpcStack() {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    return { stack, vpc };
  }

  test('GIVEN two routes behind one NLB THEN one VPC link, and both integrate through it', () => {
    const { stack, vpc } = vpcStack();
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, internetFacing: false });
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/a/{id}', integration: Integration.nlb(nlb) });
    api.addRoute({ method: 'ANY', path: '/b/{proxy+}', integration: Integration.nlb(nlb, { port: 8080 }) });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::VpcLink', 1);
    const body = synthesizedBody(stack);
    const linkId = Object.keys(Template.fromStack(stack).findResources('AWS::ApiGateway::VpcLink'))[0];
    expect(entryOf(body, 'GET', '/a/{id}')).toEqual({
      type: 'http_proxy', uri: expect.stringMatching(/^http:\/\/\$\{Nlb[0-9A-F]+\.DNSName\}\/a\/\{id\}$/),
      httpMethod: 'GET', connectionType: 'VPC_LINK', connectionId: `\${${linkId}}`, timeoutInMillis: 29000, passthroughBehavior: 'when_no_match',
      requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
    });
    expect(String(entryOf(body, 'ANY', '/b/{proxy+}').uri)).toMatch(/^http:\/\/\$\{Nlb[0-9A-F]+\.DNSName\}:8080\/b\/\{proxy\}$/);
  });

  test('GIVEN an ALB THEN a VPC link V2 with its own security group, admitted by the ALB, and the ALB as integration target', () => {
    const { stack, vpc } = vpcStack();
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: false });
    new ServerlessApi(stack, 'Api').addRoute({ method: 'GET', path: '/orders', integration: Integration.alb(alb) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'API Gateway VPC link to the ALB' });
    expect(entryOf(synthesizedBody(stack), 'GET', '/orders')).toMatchObject({
      type: 'http_proxy', connectionType: 'VPC_LINK', integrationTarget: expect.stringMatching(/^\$\{Alb[0-9A-F]+\}$/),
    });
  });

  test('GIVEN an existing VPC link THEN the route uses it', () => {
    const stack = testStack();
    const link = apigateway.VpcLink.fromVpcLinkId(stack, 'Link', 'abc123');
    new ServerlessApi(stack, 'Api').addRoute({ method: 'GET', path: '/x', integration: Integration.vpcLink(link, 'https://internal.example.com/x') });
    expect(entryOf(synthesizedBody(stack), 'GET', '/x')).toMatchObject({ connectionType: 'VPC_LINK', connectionId: 'abc123', uri: 'https://internal.example.com/x' });
  });
});

describe('scale', () => {
  test('GIVEN 150 routes on AWS services, mocks and HTTP backends THEN the stack holds one role per permission set and nothing per route', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    const queue = new sqs.Queue(stack, 'Q');
    const table = new dynamodb.Table(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    for (let i = 0; i < 50; i++) { // 150 routes keep the template under 1 MB (the library refuses more)
      api.addRoute({ method: 'POST', path: `/q${i}`, integration: Integration.sqs(queue) });
      api.addRoute({ method: 'GET', path: `/t${i}/{id}`, integration: Integration.dynamoDb(table, { action: DynamoDbAction.GET_ITEM }) });
      api.addRoute({ method: 'GET', path: `/m${i}`, integration: Integration.mock({ statusCode: 200, body: '{}' }) });
    }
    expect(api.routes).toHaveLength(150);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 3); // SQS role, DynamoDB role, the account's CloudWatch role
    expect(resourceCount(stack)).toBeLessThan(25);
  });
});
