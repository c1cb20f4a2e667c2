/**
 * Every WebSocket props mistake fails at synth with the construct path, the prop, the value received
 * and the fix; each message is asserted whole.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { webSocketApi } from './util';
import {
  ApiDomain, CognitoTokenUse, ServerlessApi, ServerlessWebSocketApiProps, WebSocketApiKeySource, WebSocketAuthorization, WebSocketDomain,
  WebSocketTarget, WebSocketTokenSource,
} from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The whole message, nothing before or after. */
const exactly = (message: string) => new RegExp(`^${escape(message)}$`);

const none = WebSocketAuthorization.none();
const build = (props: ServerlessWebSocketApiProps) => () => webSocketApi({ connectAuthorization: none, ...props });

describe('routes', () => {
  test.each([
    ['$connect'],
    ['$disconnect'],
  ])('fails if a custom route is named like the reserved %s', (routeKey) => {
    const { api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addRoute({ routeKey, handler: inlineHandler() })).toThrow(exactly(
      `TestStack/Chat: routeKey is reserved: the library owns $connect and $disconnect (it records and deletes connections there) (received '${routeKey}'). `
      + 'Authorize connections with connectAuthorization, and name your route otherwise (e.g. \'join\').'));
  });

  test('fails if a route key starts with $ but is none of API Gateway\'s', () => {
    const { api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addRoute({ routeKey: '$send', handler: inlineHandler() })).toThrow(exactly(
      'TestStack/Chat: routeKey starts with \'$\', which API Gateway reserves for $connect, $disconnect, $default (received \'$send\'). '
      + 'Use \'$default\' for unmatched messages, or a name without \'$\', e.g. \'send\'.'));
  });

  test('fails if a route is declared twice', () => {
    const { api } = webSocketApi({ connectAuthorization: none, routes: [{ routeKey: 'join', handler: inlineHandler() }] });
    expect(() => api.addRoute({ routeKey: 'join', handler: inlineHandler() })).toThrow(exactly(
      'TestStack/Chat: routeKey is declared twice (received \'join\'). Declare each route key once; share a handler between routes instead.'));
  });

  test('fails if a route key is empty', () => {
    const { api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addRoute({ routeKey: '', handler: inlineHandler() })).toThrow(exactly(
      'TestStack/Chat: routeKey is not a route key (received \'\'). Use 1-128 printable characters, e.g. \'sendMessage\'.'));
  });

  test('fails if an authorizer is set on a route other than $connect', () => {
    const { api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addRoute({ routeKey: 'sendMessage', handler: inlineHandler(), authorization: WebSocketAuthorization.iam() })).toThrow(exactly(
      'TestStack/Chat: route \'sendMessage\' authorization is set, but API Gateway runs authorizers on $connect only (a message travels on a connection authorized when it opened) (received \'iam\'). '
      + 'Set connectAuthorization on the API; check per-message permissions in the handler, e.g. from the connection\'s principal.'));
  });

  test('fails if a route has neither handler nor target', () => {
    const { api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addRoute({ routeKey: 'x' })).toThrow(exactly(
      'TestStack/Chat: route \'x\' handler and target are both missing (received undefined). '
      + 'Give exactly one: handler: RouteHandler.fromEntry(\'src/handler.ts\') or target: WebSocketTarget.mock(...), .sqs(queue), .eventBridge(bus, {...}), .stepFunctions(machine), .dynamoDb(table, {...}).'));
  });

  test('fails if a route has both handler and target', () => {
    const { api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addRoute({ routeKey: 'x', handler: inlineHandler(), target: WebSocketTarget.mock() })).toThrow(exactly(
      'TestStack/Chat: route \'x\' handler and target are both set (received \'a handler\'). '
      + 'Give exactly one: handler: RouteHandler.fromEntry(\'src/handler.ts\') or target: WebSocketTarget.mock(...), .sqs(queue), .eventBridge(bus, {...}), .stepFunctions(machine), .dynamoDb(table, {...}).'));
  });

  test('fails if a mock answers on a one-way route', () => {
    const { api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addRoute({ routeKey: 'ping', target: WebSocketTarget.mock({ response: '{}' }) })).toThrow(exactly(
      'TestStack/Chat: route \'ping\' response is set but the route does not return responses (received \'{}\'). Set returnResponse: true on the route (a two-way route), or drop the response.'));
  });

  test('fails if an SQS target is a FIFO queue', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: none });
    const queue = new sqs.Queue(stack, 'Orders', { fifo: true });
    expect(() => api.addRoute({ routeKey: 'order', target: WebSocketTarget.sqs(queue) })).toThrow(exactly(
      'TestStack/Chat: route \'order\' queue is a FIFO queue (received \'TestStack/Orders\'). '
      + 'A FIFO queue needs a MessageGroupId per message, which this integration does not set: use a standard queue, or a handler that sends to the FIFO queue.'));
  });

  test('fails at synth if a throttled route does not exist', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: none });
    api.throttleRoute('sendMessage', { rateLimit: 1, burstLimit: 2 });
    expect(() => App.of(stack)!.synth()).toThrow(/TestStack\/Chat: throttleRoute names a route the API does not have \(received 'sendMessage'\)\. Throttle one of: \$connect, \$disconnect\./);
  });

  test('fails if throttleRoute is called twice for the same route', () => {
    const { api } = webSocketApi({ connectAuthorization: none });
    api.throttleRoute('$connect', { rateLimit: 50, burstLimit: 100 });
    expect(() => api.throttleRoute('$connect', { rateLimit: 5, burstLimit: 10 })).toThrow(exactly(
      'TestStack/Chat: throttleRoute(\'$connect\') is called twice for the same route (received \'$connect\'). Throttle each route once.'));
  });

  test('fails if a route declares a throttle that throttleRoute already set', () => {
    const { api } = webSocketApi({ connectAuthorization: none });
    api.throttleRoute('sendMessage', { rateLimit: 50, burstLimit: 100 });
    expect(() => api.addRoute({ routeKey: 'sendMessage', handler: inlineHandler(), throttle: { rateLimit: 5, burstLimit: 10 } })).toThrow(exactly(
      'TestStack/Chat: throttleRoute(\'sendMessage\') is called twice for the same route (received \'sendMessage\'). Throttle each route once.'));
  });

  test('fails if a route\'s burst is below its rate', () => {
    const { api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addRoute({ routeKey: 'x', handler: inlineHandler(), throttle: { rateLimit: 10, burstLimit: 5 } })).toThrow(exactly(
      'TestStack/Chat: route \'x\' throttle.burstLimit is below route \'x\' throttle.rateLimit (10) (received 5). '
      + 'Set the burst to at least the rate limit: API Gateway refills the bucket at the rate, up to the burst.'));
  });
});

describe('route selection expression', () => {
  const fix = 'Use $request.body.<property>, e.g. \'$request.body.action\' (or \'${request.body.type}-${request.body.version}\'), or \'\\$default\' to send every message to $default.';
  test.each([
    ['$request.header.action'],
    ['$context.routeKey'],
    ['${request.body.type}-$stageVariables.v'],
  ])('fails if it uses a variable API Gateway rejects: %s', (expression) => {
    expect(build({ routeSelectionExpression: expression })).toThrow(exactly(
      `TestStack/Chat: routeSelectionExpression uses a variable API Gateway does not support for WebSocket route selection (only $request.body.*) (received '${expression}'). ${fix}`));
  });

  test.each([['action'], ['$request.body'], ['$request.body.']])('fails if it selects nothing: %s', (expression) => {
    const message = expression === 'action'
      ? `TestStack/Chat: routeSelectionExpression selects nothing from the message (no $request.body.* variable) (received '${expression}'). ${fix}`
      : `TestStack/Chat: routeSelectionExpression uses a variable API Gateway does not support for WebSocket route selection (only $request.body.*) (received '${expression}'). ${fix}`;
    expect(build({ routeSelectionExpression: expression })).toThrow(exactly(message));
  });

  test.each([['$request.body.action'], ['$request.body.message.type'], ['${request.body.type}-v1'], ['\\$default']])('accepts %s', (expression) => {
    expect(build({ routeSelectionExpression: expression })).not.toThrow();
  });
});

describe('API props', () => {
  test('fails on a stage name API Gateway rejects', () => {
    expect(build({ stageName: 'my stage' })).toThrow(exactly(
      'TestStack/Chat: stageName is not a valid API Gateway stage name (received \'my stage\'). Use 1-128 letters, digits, hyphens or underscores, e.g. \'dev\'.'));
  });

  test('fails if the stage burst is below its rate', () => {
    expect(build({ stage: { throttlingRateLimit: 100, throttlingBurstLimit: 50 } })).toThrow(exactly(
      'TestStack/Chat: stage throttling.burstLimit is below stage throttling.rateLimit (100) (received 50). '
      + 'Set the burst to at least the rate limit: API Gateway refills the bucket at the rate, up to the burst.'));
  });

  test('fails if the connections TTL is shorter than API Gateway\'s 2-hour cap', () => {
    expect(build({ connections: { timeToLive: Duration.minutes(90) } })).toThrow(exactly(
      'TestStack/Chat: connections.timeToLive is shorter than API Gateway\'s 2-hour connection cap (received \'1 hour 30 minutes\'). '
      + 'TTL would remove rows of live connections, which then receive nothing: keep the default (2 hours 15 minutes) or longer.'));
  });

  test('fails if the connections TTL is not a whole number of seconds', () => {
    expect(build({ connections: { timeToLive: Duration.millis(7_200_500) } })).toThrow(exactly(
      'TestStack/Chat: connections.timeToLive is not a whole number of seconds (received \'2 hours 500 millis\'). '
      + 'DynamoDB expires rows by epoch seconds: use e.g. Duration.hours(3).'));
  });

  test('fails on a topic parameter that is not a query parameter name', () => {
    expect(build({ connections: { topicParameter: 'room id' } })).toThrow(exactly(
      'TestStack/Chat: connections query parameter is not a valid query parameter name (received \'room id\'). Use a letter, then up to 63 letters, digits, \'_\' or \'-\', e.g. \'room\'.'));
  });

  test('fails if an attribute repeats the topic parameter', () => {
    expect(build({ connections: { topicParameter: 'room', attributeParameters: ['room'] } })).toThrow(exactly(
      'TestStack/Chat: connections.attributeParameters repeats a parameter (or the topicParameter) (received [\'room\']). Name each query parameter once; the topic is stored as the connection\'s topic already.'));
  });

  test('fails if the API key comes from an authorizer the API does not have', () => {
    expect(() => webSocketApi({ apiKeyRequired: true, apiKeySource: WebSocketApiKeySource.AUTHORIZER })).toThrow(exactly(
      'TestStack/Chat: apiKeySource needs a Lambda authorizer, but connectAuthorization is iam (received \'AUTHORIZER\'). '
      + 'Use WebSocketAuthorization.lambda({...}) returning usageIdentifierKey, or apiKeySource HEADER (x-api-key on the handshake).'));
  });

  test('fails if an API key source is set without apiKeyRequired', () => {
    expect(build({ apiKeySource: WebSocketApiKeySource.HEADER })).toThrow(exactly(
      'TestStack/Chat: apiKeySource is set but apiKeyRequired is not (received \'HEADER\'). Set apiKeyRequired: true, or drop apiKeySource.'));
  });

  test('fails if a usage plan is added while no key is required', () => {
    const { api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addUsagePlan('Free')).toThrow(exactly(
      'TestStack/Chat: apiKeyRequired is off, so a usage plan would limit nothing (received false). Set apiKeyRequired: true on the API (clients then send a key on $connect), or drop the usage plan.'));
  });

  test('fails if grantConnect is used without IAM authorization', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: none });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => api.grantConnect(role)).toThrow(exactly(
      'TestStack/Chat: connectAuthorization is not IAM, so grantConnect has no effect (received \'none\'). '
      + 'Use WebSocketAuthorization.iam() to authorize SigV4-signed connections, or authorize clients with the authorizer you chose.'));
  });
});

describe('authorizers', () => {
  function pool(stack: Stack) {
    const userPool = new cognito.UserPool(stack, 'Pool');
    return { userPool, client: userPool.addClient('Web') };
  }

  test('fails if the Cognito authorizer names no app client', () => {
    const stack = testStack();
    const { userPool } = pool(stack);
    expect(() => webSocketApi({ connectAuthorization: WebSocketAuthorization.cognito({ userPool, userPoolClients: [] }) }, stack)).toThrow(exactly(
      'TestStack/Chat: connectAuthorization userPoolClients is empty (received []). '
      + 'Name the app clients whose tokens are accepted, e.g. [apiUserPool.userPoolClient]: the authorizer checks the token\'s client.'));
  });

  test('fails if scopes are required of ID tokens', () => {
    const stack = testStack();
    const { userPool, client } = pool(stack);
    expect(() => webSocketApi({
      connectAuthorization: WebSocketAuthorization.cognito({ userPool, userPoolClients: [client], tokenUse: CognitoTokenUse.ID, requiredScopes: ['chat/send'] }),
    }, stack)).toThrow(exactly(
      'TestStack/Chat: connectAuthorization requiredScopes are set for ID tokens (received [\'chat/send\']). Only access tokens carry scopes: use tokenUse CognitoTokenUse.ACCESS, or drop requiredScopes.'));
  });

  test('fails if the token query parameter is not a valid name', () => {
    const stack = testStack();
    const { userPool, client } = pool(stack);
    expect(() => webSocketApi({
      connectAuthorization: WebSocketAuthorization.cognito({ userPool, userPoolClients: [client], tokenSource: WebSocketTokenSource.queryString('my token') }),
    }, stack)).toThrow(exactly(
      'TestStack/Chat: connectAuthorization tokenSource is not a valid query parameter name (received \'my token\'). Use letters, digits and -_.~, e.g. \'token\'.'));
  });

  test('fails if a Lambda authorizer has both a function and code', () => {
    const stack = testStack();
    const fn = new lambda.Function(stack, 'F', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'i.h', code: lambda.Code.fromInline('x') });
    expect(() => webSocketApi({
      connectAuthorization: WebSocketAuthorization.lambda({ handler: fn, handlerCode: inlineHandler(), identitySources: ['route.request.header.x'] }),
    }, stack)).toThrow(exactly(
      'TestStack/Chat: connectAuthorization handler and handlerCode are both set (received \'a function\'). '
      + 'Pass an existing function as handler or the code of a new one as handlerCode (RouteHandler.fromEntry(...)), exactly one.'));
  });

  test('fails on a REST identity source', () => {
    expect(() => webSocketApi({
      connectAuthorization: WebSocketAuthorization.lambda({ handlerCode: inlineHandler(), identitySources: ['method.request.header.x-ticket'] }),
    })).toThrow(exactly(
      'TestStack/Chat: connectAuthorization identitySources is not a WebSocket identity source (received \'method.request.header.x-ticket\'). '
      + 'Use route.request.header.<name>, route.request.querystring.<name>, stageVariables.<name> or context.<name> (REST\'s method.request.* does not apply to WebSocket APIs).'));
  });

  test('fails if a Lambda authorizer has no identity source', () => {
    expect(() => webSocketApi({ connectAuthorization: WebSocketAuthorization.lambda({ handlerCode: inlineHandler(), identitySources: [] }) })).toThrow(exactly(
      'TestStack/Chat: connectAuthorization identitySources is empty (received []). Name what the decision depends on, e.g. \'route.request.querystring.ticket\'.'));
  });
});

describe('custom domain', () => {
  const zone = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' });

  test('fails for an edge-optimized domain, with the reason', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addDomain({ domainName: 'ws.example.com', hostedZone: zone(stack), endpointType: apigateway.EndpointType.EDGE })).toThrow(exactly(
      'TestStack/Chat/Domain: endpointType is not available for WebSocket APIs (received \'EDGE\'). '
      + 'API Gateway serves WebSocket custom domains as REGIONAL only (no edge-optimized or private WebSocket domains): drop endpointType, '
      + 'and put CloudFront in front yourself if you need edge locations.'));
  });

  test('fails if the domain is also a REST API\'s domain', () => {
    const app = testApp();
    const stack = testStack(app);
    const rest = new ServerlessApi(stack, 'Rest', { endpointType: apigateway.EndpointType.REGIONAL, routes: [{ method: 'GET', path: '/x', handler: inlineHandler() }] });
    new ApiDomain(stack, 'RestDomain', { domainName: 'api.example.com', hostedZone: zone(stack), mappings: [{ api: rest }] });
    const { api } = webSocketApi({ connectAuthorization: none }, stack);
    api.addDomain({ domainName: 'api.example.com', hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone2', { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' }) });
    expect(() => app.synth()).toThrow(new RegExp(escape(
      'TestStack/Chat/Domain: domainName is also the domain of the REST API domain TestStack/RestDomain (received \'api.example.com\'). '
      + 'API Gateway cannot map WebSocket APIs on a domain that serves REST APIs: give the WebSocket API its own name next to it, e.g. \'ws.api.example.com\'.')));
  });

  test('fails for a certificate from another region', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: none });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
    expect(() => api.addDomain({ domainName: 'ws.example.com', certificate })).toThrow(exactly(
      'TestStack/Chat/Domain: certificate is in us-east-1, but a REGIONAL domain\'s certificate must be in the stack\'s region eu-west-1 '
      + '(received \'arn:aws:acm:us-east-1:123456789012:certificate/abc\'). Pass a certificate from eu-west-1, or omit certificate and give hostedZone to have one created there.'));
  });

  test('fails without a zone or a certificate', () => {
    const { api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addDomain({ domainName: 'ws.example.com' })).toThrow(exactly(
      'TestStack/Chat/Domain: hostedZone is missing and no certificate is given (received undefined). '
      + 'Give hostedZone (the library creates a certificate validated against it) or an existing certificate from the stack\'s region.'));
  });

  test('fails for a name outside the zone', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addDomain({ domainName: 'ws.example.org', hostedZone: zone(stack) })).toThrow(exactly(
      'TestStack/Chat/Domain: domainName is not inside the hosted zone \'example.com\' (received \'ws.example.org\'). Use a name ending in \'.example.com\'.'));
  });

  test('fails for an uppercase name', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: none });
    expect(() => api.addDomain({ domainName: 'WS.example.com', hostedZone: zone(stack) })).toThrow(exactly(
      'TestStack/Chat/Domain: domainName has uppercase letters (received \'WS.example.com\'). API Gateway accepts lowercase domain names only: use \'ws.example.com\'.'));
  });

  test('fails if a mapping key is used twice', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: none });
    const domain = new WebSocketDomain(stack, 'Ws', { domainName: 'ws.example.com', hostedZone: zone(stack), mappings: [{ api, mappingKey: 'chat' }] });
    expect(() => domain.addMapping(api, 'chat')).toThrow(exactly(
      'TestStack/Ws: mappingKey is already mapped to TestStack/Chat (received \'chat\'). Map each path once, e.g. \'chat\' and \'notifications\'.'));
  });

  test('fails for a mapping key with a leading slash', () => {
    const { stack, api } = webSocketApi({ connectAuthorization: none });
    const domain = new WebSocketDomain(stack, 'Ws', { domainName: 'ws.example.com', hostedZone: zone(stack) });
    expect(() => domain.addMapping(api, '/chat')).toThrow(exactly(
      'TestStack/Ws: mappingKey is not a valid API mapping path (received \'/chat\'). '
      + 'Use up to 300 letters, digits and $ _ . + ! * \' ( ) -, with \'/\' between levels and none at either end, e.g. \'chat\'.'));
  });
});
