import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { template, webSocketApi } from './util';
import {
  CognitoTokenUse, DataAccess, RouteHandler, ServerlessTable, ServerlessWebSocketApi, WebSocketApiKeySource, WebSocketAuthorization, WebSocketTarget, WebSocketTokenSource,
} from '../../lib';
import { inlineHandler, testStack } from '../util';

const API_REF = { Ref: Match.stringLikeRegexp('^Chat[0-9A-F]{8}$') };

describe('routes', () => {
  test('GIVEN no routes THEN the API has $connect and $disconnect served by the library\'s functions, and selects routes by $request.body.action', () => {
    const { stack } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' });
    t.resourceCountIs('AWS::ApiGatewayV2::Route', 2);
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect' });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$disconnect', AuthorizationType: 'NONE' });
    t.resourceCountIs('AWS::Lambda::Function', 2);
    t.hasResourceProperties('AWS::Lambda::Function', { Description: 'TestStack/Chat $connect: records the connection', Runtime: 'nodejs24.x', Architectures: ['arm64'] });
  });

  test('GIVEN a route selection expression THEN it is used', () => {
    const { stack } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none(), routeSelectionExpression: '${request.body.type}-${request.body.version}' });
    template(stack).hasResourceProperties('AWS::ApiGatewayV2::Api', { RouteSelectionExpression: '${request.body.type}-${request.body.version}' });
  });

  test('GIVEN a handler route THEN it is a Lambda proxy integration of its own function, with the library\'s function defaults', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const route = api.addRoute({ routeKey: 'sendMessage', handler: RouteHandler.fromCode(lambda.Code.fromInline('x'), { memorySize: 1024 }) });
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'sendMessage', AuthorizationType: 'NONE', Target: { 'Fn::Join': ['', ['integrations/', { Ref: Match.stringLikeRegexp('SendMessageIntegration') }]] } });
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::Join': ['', ['arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatSendMessageFunction'), 'Arn'] }, '/invocations']] },
    });
    t.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, Runtime: 'nodejs24.x', TracingConfig: { Mode: 'Active' }, LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }) });
    expect(route.function).toBe(api.functionFor('sendMessage'));
  });

  test('GIVEN a handler route THEN API Gateway may invoke its function for that route of this stage only', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    api.addRoute({ routeKey: 'sendMessage', handler: inlineHandler() });
    template(stack).hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatSendMessageFunction'), 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Join': ['', ['arn:aws:execute-api:eu-west-1:123456789012:', API_REF, '/dev/sendMessage']] },
    });
  });

  test('GIVEN one handler on two routes THEN one function, one integration and one permission for the stage\'s routes', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const shared = inlineHandler();
    api.addRoute({ routeKey: 'join', handler: shared });
    api.addRoute({ routeKey: 'leave', handler: shared });
    const t = template(stack);
    t.resourceCountIs('AWS::Lambda::Function', 3);
    t.resourceCountIs('AWS::ApiGatewayV2::Integration', 3);
    t.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatJoinFunction'), 'Arn'] },
      SourceArn: { 'Fn::Join': ['', ['arn:aws:execute-api:eu-west-1:123456789012:', API_REF, '/dev/*']] },
    });
    expect(api.functionFor('join')).toBe(api.functionFor('leave'));
  });

  test('GIVEN handlers with the same dataAccess THEN their functions share one role', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const history = new ServerlessTable(stack, 'History');
    api.addRoute({ routeKey: 'a', handler: RouteHandler.fromCode(lambda.Code.fromInline('a'), { dataAccess: [DataAccess.readData(history.table)] }) });
    api.addRoute({ routeKey: 'b', handler: RouteHandler.fromCode(lambda.Code.fromInline('b'), { dataAccess: [DataAccess.readData(history.table)] }) });
    const roles = [api.functionFor('a'), api.functionFor('b')].map(fn => (fn as lambda.Function).role);
    expect(roles[0]).toBe(roles[1]);
  });

  test('GIVEN an existing function THEN it is integrated as is, with a permission', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const own = new lambda.Function(stack, 'Own', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    api.addRoute({ routeKey: '$default', handler: RouteHandler.fromFunction(own) });
    const t = template(stack);
    t.resourceCountIs('AWS::Lambda::Function', 3);
    t.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Own'), 'Arn'] },
      SourceArn: { 'Fn::Join': ['', ['arn:aws:execute-api:eu-west-1:123456789012:', API_REF, '/dev/$default']] },
    });
  });

  test('GIVEN a two-way handler route THEN it has a $default route response', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    api.addRoute({ routeKey: 'whoami', handler: inlineHandler(), returnResponse: true });
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'whoami', RouteResponseSelectionExpression: '$default' });
    t.hasResourceProperties('AWS::ApiGatewayV2::RouteResponse', { RouteResponseKey: '$default' });
  });

  test('GIVEN a one-way route (default) THEN no route response', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    api.addRoute({ routeKey: 'fire', handler: inlineHandler() });
    template(stack).resourceCountIs('AWS::ApiGatewayV2::RouteResponse', 0);
  });

  test('GIVEN a mock target with a response THEN API Gateway answers the sender itself', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    api.addRoute({ routeKey: 'ping', target: WebSocketTarget.mock({ response: '{"type":"pong"}' }), returnResponse: true });
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' }, TemplateSelectionExpression: '\\$default',
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::IntegrationResponse', {
      IntegrationResponseKey: '$default', ResponseTemplates: { $default: '{"type":"pong"}' }, TemplateSelectionExpression: '\\$default',
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::RouteResponse', { RouteResponseKey: '$default' });
  });

  test('GIVEN an SQS target THEN messages are sent to the queue with the connection id, through a role that may only send to it', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const queue = new sqs.Queue(stack, 'Telemetry', { enforceSSL: true });
    api.addRoute({ routeKey: 'telemetry', target: WebSocketTarget.sqs(queue) });
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS',
      IntegrationMethod: 'POST',
      IntegrationUri: { 'Fn::Join': ['', ['arn:aws:apigateway:eu-west-1:sqs:path/123456789012/', { 'Fn::GetAtt': [Match.stringLikeRegexp('Telemetry'), 'QueueName'] }]] },
      RequestParameters: { 'integration.request.header.Content-Type': '\'application/x-www-form-urlencoded\'' },
      RequestTemplates: { $default: Match.stringLikeRegexp('^Action=SendMessage&MessageBody=\\$util.urlEncode\\(\\$input.body\\).*StringValue=\\$util.urlEncode\\(\\$context.connectionId\\)$') },
      CredentialsArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TelemetrySqsRole'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Telemetry'), 'Arn'] } }] },
      Roles: [{ Ref: Match.stringLikeRegexp('TelemetrySqsRole') }],
    });
  });

  test('GIVEN routes THEN api.routes lists them with the library\'s two', () => {
    const { api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none(), routes: [{ routeKey: '$default', handler: inlineHandler() }] });
    expect(api.routes.map(r => r.routeKey)).toEqual(['$connect', '$disconnect', '$default']);
  });
});

describe('$connect authorization', () => {
  test('GIVEN no connectAuthorization THEN $connect needs IAM (secure by default)', () => {
    const { stack } = webSocketApi();
    template(stack).hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect', AuthorizationType: 'AWS_IAM' });
  });

  test('GIVEN IAM WHEN granting connect THEN the grantee may invoke $connect of this stage only', () => {
    const { stack, api } = webSocketApi();
    const role = new iam.Role(stack, 'Client', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantConnect(role);
    template(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:aws:execute-api:eu-west-1:123456789012:', API_REF, '/dev/$connect']] } }] },
    });
  });

  test('GIVEN Cognito THEN a library REQUEST authorizer reads the token from ?token and its function knows the pool, the clients and the token use', () => {
    const stack = testStack();
    const pool = new cognito.UserPool(stack, 'Pool');
    const client = pool.addClient('Web');
    new ServerlessWebSocketApi(stack, 'Cog', { connectAuthorization: WebSocketAuthorization.cognito({ userPool: pool, userPoolClients: [client] }) });
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST', IdentitySource: ['route.request.querystring.token'], Name: 'CognitoConnectAuthorizer',
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect', AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: Match.stringLikeRegexp('CogConnectAuthorizer') } });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({
        USER_POOL_ID: { Ref: Match.stringLikeRegexp('^Pool') },
        CLIENT_IDS: { Ref: Match.stringLikeRegexp('^PoolWeb') },
        TOKEN_USE: 'access',
        TOKEN_QUERY_PARAMETER: 'token',
      }) },
    });
  });

  test('GIVEN Cognito id tokens from a header THEN the authorizer reads the header and the function is told', () => {
    const stack = testStack();
    const pool = new cognito.UserPool(stack, 'Pool');
    const client = pool.addClient('Web');
    new ServerlessWebSocketApi(stack, 'Cog', {
      connectAuthorization: WebSocketAuthorization.cognito({ userPool: pool, userPoolClients: [client], tokenUse: CognitoTokenUse.ID, tokenSource: WebSocketTokenSource.header('Authorization') }),
    });
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { IdentitySource: ['route.request.header.Authorization'] });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TOKEN_USE: 'id', TOKEN_HEADER: 'Authorization' }) } });
  });

  test('GIVEN an authorizer THEN API Gateway may invoke its function for this authorizer only', () => {
    const { stack } = webSocketApi({
      connectAuthorization: WebSocketAuthorization.lambda({ handlerCode: inlineHandler(), identitySources: ['route.request.querystring.ticket'] }),
    });
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'REQUEST', IdentitySource: ['route.request.querystring.ticket'], Name: 'ConnectAuthorizer' });
    t.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatAuthorizerFunction'), 'Arn'] },
      SourceArn: { 'Fn::Join': ['', ['arn:aws:execute-api:eu-west-1:123456789012:', API_REF, '/authorizers/', { Ref: Match.stringLikeRegexp('ChatConnectAuthorizer') }]] },
    });
  });

  test('GIVEN an existing authorizer function THEN no function is created for it', () => {
    const stack = testStack();
    const own = new lambda.Function(stack, 'Own', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    new ServerlessWebSocketApi(stack, 'Mine', { connectAuthorization: WebSocketAuthorization.lambda({ handler: own, identitySources: ['route.request.header.x-ticket'] }) });
    const t = template(stack);
    // Mine's two library functions, and Own.
    t.resourceCountIs('AWS::Lambda::Function', 3);
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerUri: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Own'), 'Arn'] }])] } });
  });
});

describe('connections table', () => {
  test('GIVEN routes, one named like the table, THEN the table keeps its logical ID (a moved ID would replace the table and drop every connection)', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none(), routes: [{ routeKey: 'connections', handler: inlineHandler() }] });
    api.addRoute({ routeKey: '$default', handler: inlineHandler() });
    expect(Object.keys(template(stack).findResources('AWS::DynamoDB::Table'))).toEqual(['ChatConnectionsBECB5C2C']);
  });

  test('GIVEN defaults THEN the table is on demand, with PITR, TTL on expiresAt and the two indexes, and removed with the stack', () => {
    const { stack } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const t = template(stack);
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: {
        KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        GlobalSecondaryIndexes: [
          Match.objectLike({ IndexName: 'byPrincipal', Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['expiresAt'] } }),
          Match.objectLike({ IndexName: 'byTopic', Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['expiresAt'] } }),
        ],
      },
    });
  });

  test('GIVEN RETAIN and a topic, attributes and a TTL THEN the table is retained and $connect is configured with them', () => {
    const { stack } = webSocketApi({
      connectAuthorization: WebSocketAuthorization.none(),
      connections: { topicParameter: 'room', attributeParameters: ['nickname'], timeToLive: Duration.hours(3), removalPolicy: RemovalPolicy.RETAIN },
    });
    const t = template(stack);
    t.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: { DeletionProtectionEnabled: true } });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'TestStack/Chat $connect: records the connection',
      Environment: { Variables: Match.objectLike({ CONNECTION_TOPIC_PARAMETER: 'room', CONNECTION_ATTRIBUTE_PARAMETERS: 'nickname', CONNECTION_TTL_SECONDS: '10800' }) },
    });
  });

  test('GIVEN the library functions THEN $connect may only PutItem and $disconnect only DeleteItem on the table (no index, no other action)', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const t = template(stack);
    const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(api.connectionsTable.node.defaultChild as any), 'Arn'] };
    for (const [fn, action] of [[api.connectFunction, 'dynamodb:PutItem'], [api.disconnectFunction, 'dynamodb:DeleteItem']] as const) {
      const roleId = stack.getLogicalId((fn as lambda.Function).role!.node.defaultChild as iam.CfnRole);
      const policies = t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
      const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
      expect(statements.filter((s: any) => JSON.stringify(s.Action).includes('dynamodb'))).toEqual([{ Action: action, Effect: 'Allow', Resource: tableArn }]);
    }
  });
});

describe('manageConnections', () => {
  test('GIVEN grantManageConnections(fn) THEN it may manage @connections of this API\'s stage only, read and clean the table, and knows where they are', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const fn = new lambda.Function(stack, 'Notifier', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    api.grantManageConnections(fn);
    const t = template(stack);
    const tableArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatConnections'), 'Arn'] };
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([
        { Action: 'execute-api:ManageConnections', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:aws:execute-api:eu-west-1:123456789012:', API_REF, '/dev/*/@connections/*']] } },
        {
          Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem'],
          Effect: 'Allow',
          Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/byPrincipal']] }, { 'Fn::Join': ['', [tableArn, '/index/byTopic']] }],
        },
      ]) },
      Roles: [{ Ref: Match.stringLikeRegexp('NotifierServiceRole') }],
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: { Variables: {
        CONNECTIONS_TABLE_NAME: { Ref: Match.stringLikeRegexp('ChatConnections') },
        WEBSOCKET_MANAGEMENT_ENDPOINT: { 'Fn::Join': ['', ['https://', API_REF, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/dev']] },
      } },
    });
  });

  test('GIVEN a handler with dataAccess manageConnections THEN its shared role gets the grant and its function the environment', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    api.addRoute({ routeKey: 'send', handler: RouteHandler.fromCode(lambda.Code.fromInline('x'), { dataAccess: [api.manageConnections] }) });
    const role = (api.functionFor('send') as lambda.Function).role!;
    const t = template(stack);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'execute-api:ManageConnections' })]) },
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }],
    });
  });

  test('GIVEN a handler without manageConnections THEN its role cannot manage connections', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    api.addRoute({ routeKey: 'echo', handler: inlineHandler() });
    expect(JSON.stringify(template(stack).findResources('AWS::IAM::Policy'))).not.toContain('ManageConnections');
  });

  test('GIVEN two WebSocket APIs THEN each grant names its own API id', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const other = new ServerlessWebSocketApi(stack, 'Other', { connectAuthorization: WebSocketAuthorization.none() });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    api.grantManageConnections(role);
    const statements = JSON.stringify(template(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }] } }));
    expect(statements).toContain(stack.getLogicalId(api.webSocketApi.node.defaultChild as any));
    expect(statements).not.toContain(stack.getLogicalId(other.webSocketApi.node.defaultChild as any));
  });
});

describe('stage', () => {
  test('GIVEN defaults THEN the stage auto-deploys, logs JSON access logs, ERROR execution logs without data trace, and throttles 100/200', () => {
    const { stack } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'dev',
      AutoDeploy: true,
      DefaultRouteSettings: { DataTraceEnabled: false, LoggingLevel: 'ERROR', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, DetailedMetricsEnabled: false },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatAccessLogs'), 'Arn'] }, Format: Match.anyValue() },
    });
    const stage = Object.values(t.findResources('AWS::ApiGatewayV2::Stage'))[0] as any;
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', connectionId: '$context.connectionId', status: '$context.status' });
    expect(stage.Properties.AccessLogSettings.Format).not.toMatch(/querystring|body/i);
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('GIVEN an environment\'s ApiStageOptions THEN they apply as on REST', () => {
    const { stack } = webSocketApi({
      connectAuthorization: WebSocketAuthorization.none(),
      stageName: 'prod',
      stage: { throttlingRateLimit: 1000, throttlingBurstLimit: 2000, executionLogLevel: apigateway.MethodLoggingLevel.INFO, logRetention: logs.RetentionDays.ONE_YEAR, detailedMetrics: true },
    });
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'prod',
      DefaultRouteSettings: { DataTraceEnabled: false, LoggingLevel: 'INFO', ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000, DetailedMetricsEnabled: true },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('GIVEN a throttled route THEN the stage has its own limits for it and is created after it', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    api.addRoute({ routeKey: 'sendMessage', handler: inlineHandler(), throttle: { rateLimit: 5, burstLimit: 10 } });
    api.throttleRoute('$connect', { rateLimit: 50, burstLimit: 100 });
    const t = template(stack);
    t.hasResource('AWS::ApiGatewayV2::Stage', {
      Properties: { RouteSettings: {
        $connect: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: 'ERROR', DataTraceEnabled: false, DetailedMetricsEnabled: false },
        sendMessage: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10, LoggingLevel: 'ERROR', DataTraceEnabled: false, DetailedMetricsEnabled: false },
      } },
    });
    const dependsOn = (Object.values(t.findResources('AWS::ApiGatewayV2::Stage'))[0] as any).DependsOn as string[];
    expect(dependsOn).toEqual(expect.arrayContaining([
      stack.getLogicalId(api.connectRoute.node.defaultChild as any),
      stack.getLogicalId(api.routes.find(r => r.routeKey === 'sendMessage')!.route.node.defaultChild as any),
    ]));
  });

  test('GIVEN detailed metrics and a throttled route THEN the route\'s own settings keep detailed metrics on (they do not inherit the defaults)', () => {
    const { stack, api } = webSocketApi({
      connectAuthorization: WebSocketAuthorization.none(),
      stage: { detailedMetrics: true, executionLogLevel: apigateway.MethodLoggingLevel.INFO },
    });
    api.addRoute({ routeKey: 'sendMessage', handler: inlineHandler(), throttle: { rateLimit: 5, burstLimit: 10 } });
    template(stack).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: Match.objectLike({ DetailedMetricsEnabled: true, LoggingLevel: 'INFO' }),
      RouteSettings: { sendMessage: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10, LoggingLevel: 'INFO', DataTraceEnabled: false, DetailedMetricsEnabled: true } },
    });
  });

  test('GIVEN a stage THEN it depends on the account\'s CloudWatch role setting, created once', () => {
    const { stack } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const t = template(stack);
    t.resourceCountIs('AWS::ApiGateway::Account', 1);
    t.hasResource('AWS::ApiGatewayV2::Stage', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('^ApiGatewayAccount')]) });
  });

  test('GIVEN cloudWatchRole false THEN no account setting', () => {
    const { stack } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none(), cloudWatchRole: false });
    template(stack).resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('GIVEN the API THEN url and callbackUrl point at the stage', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const ref = { Ref: stack.getLogicalId(api.webSocketApi.node.defaultChild as any) };
    expect(stack.resolve(api.url)).toEqual({ 'Fn::Join': ['', ['wss://', ref, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/dev']] });
    expect(stack.resolve(api.callbackUrl)).toEqual({ 'Fn::Join': ['', ['https://', ref, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/dev']] });
  });

  test('GIVEN metrics THEN they are API Gateway\'s WebSocket metrics of this API and stage', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const metric = api.metricConnectCount();
    expect([metric.namespace, metric.metricName, metric.statistic]).toEqual(['AWS/ApiGateway', 'ConnectCount', 'Sum']);
    expect(stack.resolve(metric.dimensions)).toEqual({ ApiId: { Ref: stack.getLogicalId(api.webSocketApi.node.defaultChild as any) }, Stage: 'dev' });
    expect([api.metricMessageCount(), api.metricClientError(), api.metricIntegrationError(), api.metricExecutionError()].map(m => m.metricName))
      .toEqual(['MessageCount', 'ClientError', 'IntegrationError', 'ExecutionError']);
  });
});

describe('API keys', () => {
  test('GIVEN apiKeyRequired THEN $connect needs an x-api-key header, and a usage plan and key join this stage', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none(), apiKeyRequired: true });
    const plan = api.addUsagePlan('Free', { throttle: { rateLimit: 5, burstLimit: 10 }, quota: { limit: 1000, period: apigateway.Period.DAY } });
    api.addApiKey('Acme', plan, 'acme');
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { ApiKeySelectionExpression: '$request.header.x-api-key' });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect', ApiKeyRequired: true });
    t.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'Free-dev',
      ApiStages: [{ ApiId: API_REF, Stage: 'dev' }],
      Throttle: { RateLimit: 5, BurstLimit: 10 },
      Quota: { Limit: 1000, Period: 'DAY' },
    });
    t.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'acme-dev' });
    t.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
  });

  test('GIVEN the key from a Lambda authorizer THEN API Gateway reads usageIdentifierKey', () => {
    const { stack } = webSocketApi({
      connectAuthorization: WebSocketAuthorization.lambda({ handlerCode: inlineHandler(), identitySources: ['route.request.querystring.ticket'] }),
      apiKeyRequired: true,
      apiKeySource: WebSocketApiKeySource.AUTHORIZER,
    });
    template(stack).hasResourceProperties('AWS::ApiGatewayV2::Api', { ApiKeySelectionExpression: '$context.authorizer.usageIdentifierKey' });
  });

  test('GIVEN no apiKeyRequired (default) THEN no key selection and $connect needs no key', () => {
    const { stack } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
    const t = template(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { ApiKeySelectionExpression: Match.absent() });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect', ApiKeyRequired: Match.absent() });
  });
});
