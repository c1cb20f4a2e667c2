/**
 * AWS-service targets of WebSocket routes (EventBridge, Step Functions, DynamoDB): the integration,
 * the role API Gateway assumes (exactly the route's action on exactly its resource), the answer to the
 * sender on two-way routes, and the request templates rendered with a real Velocity engine (velocityjs
 * with API Gateway's $input/$util from lib/runtime/vtl) for hostile messages.
 */
import { Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Compile, parse } from 'velocityjs';
import { template, webSocketApi } from './util';
import { DynamoDbAction, StepFunctionsMode, WebSocketAuthorization, WebSocketTarget } from '../../lib';
import { contextVariable, InputVariable, utilVariable } from '../../lib/runtime/vtl';
import { javaMethodHandler } from '../../lib/runtime/vtl/java';
import { HOSTILE_STRINGS } from '../integrations/fixtures';

const CONNECTION_ID = 'L0SM9cOFvHcCIhw=';
const REQUEST_ID = 'Ab1CdEfGhIjKlMn=';

function api() {
  return webSocketApi({ connectAuthorization: WebSocketAuthorization.none() });
}

/** CloudFormation values as text: Ref → <Ref:id>, GetAtt → <id.Attr>, Fn::Join joined. */
function text(value: any): string {
  if (typeof value === 'string') { return value; }
  if (value.Ref) { return `<Ref:${value.Ref}>`; }
  if (value['Fn::GetAtt']) { return `<${value['Fn::GetAtt'].join('.')}>`; }
  if (value['Fn::Join']) { return value['Fn::Join'][1].map(text).join(value['Fn::Join'][0]); }
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}

/** The request API Gateway would send for a message on a WebSocket route with `requestTemplate`. */
function render(requestTemplate: string, message: string, connectionId = CONNECTION_ID): string {
  const input = new InputVariable(message, { path: {}, querystring: {}, header: {} });
  const util = utilVariable();
  const context = {
    ...contextVariable({ httpMethod: 'POST', resourcePath: '', path: '', requestId: REQUEST_ID }),
    connectionId, messageId: 'm-1', eventType: 'MESSAGE', routeKey: 'send',
  };
  return new Compile(parse(requestTemplate), { customMethodHandlers: [javaMethodHandler(new Set<object>([input, util]))] })
    .render({ input, util, context, stageVariables: {} }, undefined, true);
}

function integrationOf(t: ReturnType<typeof template>): Record<string, any> {
  const integrations = Object.values(t.findResources('AWS::ApiGatewayV2::Integration', { Properties: { IntegrationType: 'AWS' } }));
  expect(integrations).toHaveLength(1);
  return integrations[0].Properties;
}

const HOSTILE_MESSAGES = HOSTILE_STRINGS.map(s => [JSON.stringify(s).slice(0, 40), { action: 'send', text: s, nested: { list: [s, 1, null, true] } }]);

describe('EventBridge', () => {
  const { stack, api: chat } = api();
  const bus = new events.EventBus(stack, 'Bus');
  chat.addRoute({ routeKey: 'send', target: WebSocketTarget.eventBridge(bus, { source: 'com.example.chat' }) });
  const t = template(stack);
  const integration = integrationOf(t);

  test('GIVEN an EventBridge target THEN PutEvents on the bus, through a role that may only put events on it', () => {
    expect(integration).toMatchObject({
      IntegrationMethod: 'POST',
      IntegrationUri: 'arn:aws:apigateway:eu-west-1:events:action/PutEvents',
      RequestParameters: {
        'integration.request.header.X-Amz-Target': '\'AWSEvents.PutEvents\'',
        'integration.request.header.Content-Type': '\'application/x-amz-json-1.1\'',
      },
      TemplateSelectionExpression: '\\$default',
      CredentialsArn: { 'Fn::GetAtt': [expect.stringMatching(/^ChatSendEventsRole[0-9A-F]{8}$/), 'Arn'] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bus'), 'Arn'] } }] },
      Roles: [{ Ref: Match.stringLikeRegexp('SendEventsRole') }],
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] },
      Description: 'Lets API Gateway send the messages of WebSocket route send to event bus TestStack/Bus',
    });
  });

  test('GIVEN a message THEN one event with the route key as detail-type and {connectionId, message} as detail', () => {
    const request = JSON.parse(render(text(integration.RequestTemplates.$default), '{"action":"send","text":"hi"}'));
    expect(request).toEqual({
      Entries: [{
        EventBusName: expect.stringMatching(/^<Bus[0-9A-F]{8}\.Arn>$/), Source: 'com.example.chat', DetailType: 'send',
        Detail: JSON.stringify({ connectionId: CONNECTION_ID, message: { action: 'send', text: 'hi' } }),
      }],
    });
  });

  test.each(HOSTILE_MESSAGES)('GIVEN the message text %s THEN the detail carries it exactly and nothing else changes', (_, message) => {
    const request = JSON.parse(render(text(integration.RequestTemplates.$default), JSON.stringify(message)));
    expect(request.Entries).toHaveLength(1);
    expect(request.Entries[0]).toMatchObject({ Source: 'com.example.chat', DetailType: 'send' });
    expect(JSON.parse(request.Entries[0].Detail)).toEqual({ connectionId: CONNECTION_ID, message });
  });

  test('GIVEN a connection id with quotes and backslashes THEN it stays inside its field', () => {
    const hostileId = 'a\\"},"message":{"x":1}\\';
    const request = JSON.parse(render(text(integration.RequestTemplates.$default), '{"a":1}', hostileId));
    expect(JSON.parse(request.Entries[0].Detail)).toEqual({ connectionId: hostileId, message: { a: 1 } });
  });

  test('GIVEN a detail type and a response on a two-way route THEN both are used', () => {
    const { stack: s, api: a } = api();
    a.addRoute({
      routeKey: 'send', returnResponse: true,
      target: WebSocketTarget.eventBridge(new events.EventBus(s, 'Bus'), { source: 'com.example.chat', detailType: 'MessageSent', response: '{"type":"accepted"}' }),
    });
    const tt = template(s);
    expect(JSON.parse(render(text(integrationOf(tt).RequestTemplates.$default), '{}')).Entries[0].DetailType).toBe('MessageSent');
    tt.hasResourceProperties('AWS::ApiGatewayV2::IntegrationResponse', { IntegrationResponseKey: '$default', ResponseTemplates: { $default: '{"type":"accepted"}' } });
    tt.hasResourceProperties('AWS::ApiGatewayV2::RouteResponse', { RouteResponseKey: '$default' });
  });

  test('fails if the source is AWS\'s', () => {
    const { stack: s, api: a } = api();
    expect(() => a.addRoute({ routeKey: 'send', target: WebSocketTarget.eventBridge(new events.EventBus(s, 'Bus'), { source: 'aws.evil' }) }))
      .toThrow("TestStack/Chat: route 'send' target source is not a source an application may send (1-256 of letters, digits, . _ - / :, not starting with 'aws.') (received 'aws.evil'). Name your application, e.g. 'com.example.chat'.");
  });

  test('fails if the detail type could break out of the template', () => {
    const { stack: s, api: a } = api();
    expect(() => a.addRoute({ routeKey: 'send', target: WebSocketTarget.eventBridge(new events.EventBus(s, 'Bus'), { source: 'com.example', detailType: 'a"b' }) }))
      .toThrow(/route 'send' target detailType is not a usable detail-type \(1-128 characters, no quotes, backslashes, \$ or #\) \(received 'a"b'\)\. Use e\.g\. 'MessageSent'\./);
  });

  test('fails if a response is set on a one-way route', () => {
    const { stack: s, api: a } = api();
    expect(() => a.addRoute({ routeKey: 'send', target: WebSocketTarget.eventBridge(new events.EventBus(s, 'Bus'), { source: 'com.example', response: '{}' }) }))
      .toThrow(/route 'send' response is set but the route does not return responses \(received '\{\}'\)\. Set returnResponse: true on the route/);
  });
});

describe('Step Functions', () => {
  const { stack, api: chat } = api();
  const machine = new sfn.StateMachine(stack, 'Workflow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')) });
  chat.addRoute({ routeKey: 'order', target: WebSocketTarget.stepFunctions(machine) });
  const t = template(stack);
  const integration = integrationOf(t);

  test('GIVEN a Step Functions target THEN StartExecution through a role that may only start this state machine', () => {
    expect(integration).toMatchObject({
      IntegrationMethod: 'POST',
      IntegrationUri: 'arn:aws:apigateway:eu-west-1:states:action/StartExecution',
      RequestParameters: { 'integration.request.header.Content-Type': '\'application/x-amz-json-1.0\'' },
      CredentialsArn: { 'Fn::GetAtt': [expect.stringMatching(/^ChatOrderStatesRole[0-9A-F]{8}$/), 'Arn'] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^Workflow') } }] },
      Roles: [{ Ref: Match.stringLikeRegexp('OrderStatesRole') }],
    });
    t.resourceCountIs('AWS::ApiGatewayV2::IntegrationResponse', 0);
  });

  test.each(HOSTILE_MESSAGES)('GIVEN the message text %s THEN the execution, named by the request id, gets {connectionId, message} as input', (_, message) => {
    const request = JSON.parse(render(text(integration.RequestTemplates.$default), JSON.stringify(message)));
    expect(Object.keys(request)).toEqual(['stateMachineArn', 'name', 'input']);
    expect(request.stateMachineArn).toMatch(/^<Ref:Workflow[0-9A-F]{8}>$/);
    expect(request.name).toBe(REQUEST_ID);
    expect(JSON.parse(request.input)).toEqual({ connectionId: CONNECTION_ID, message });
  });

  test('GIVEN SYNC on a two-way route of an Express workflow THEN StartSyncExecution, and the workflow\'s output goes back to the sender', () => {
    const { stack: s, api: a } = api();
    const express = new sfn.StateMachine(s, 'Quote', {
      stateMachineType: sfn.StateMachineType.EXPRESS, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'Done')),
    });
    a.addRoute({ routeKey: 'quote', returnResponse: true, target: WebSocketTarget.stepFunctions(express, { mode: StepFunctionsMode.SYNC }) });
    const tt = template(s);
    expect(integrationOf(tt).IntegrationUri).toBe('arn:aws:apigateway:eu-west-1:states:action/StartSyncExecution');
    tt.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Action: 'states:StartSyncExecution', Effect: 'Allow' }] } });
    tt.hasResourceProperties('AWS::ApiGatewayV2::IntegrationResponse', { ResponseTemplates: { $default: '$input.path(\'$.output\')' } });
  });

  test('fails if SYNC is asked of a Standard workflow', () => {
    const { stack: s, api: a } = api();
    const standard = new sfn.StateMachine(s, 'Slow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'Done')) });
    expect(() => a.addRoute({ routeKey: 'quote', target: WebSocketTarget.stepFunctions(standard, { mode: StepFunctionsMode.SYNC }) }))
      .toThrow("TestStack/Chat: route 'quote' target mode needs an EXPRESS state machine, and 'TestStack/Slow' is STANDARD (received 'SYNC'). "
        + 'Create it with stateMachineType: sfn.StateMachineType.EXPRESS, or use StepFunctionsMode.START.');
  });
});

describe('DynamoDB', () => {
  const REQUEST = '{"TableName":"messages","Item":{"id":{"S":"$context.messageId"},"room":{"S":"$util.escapeJavaScript($input.path(\'$.room\')).replaceAll("\\\\\'","\'")"}}}';

  test('GIVEN a DynamoDB target THEN the template is the request, through a role that may make only that action on the table', () => {
    const { stack, api: chat } = api();
    const table = new dynamodb.Table(stack, 'Messages', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    chat.addRoute({ routeKey: 'save', target: WebSocketTarget.dynamoDb(table, { action: DynamoDbAction.PUT_ITEM, requestTemplate: REQUEST }) });
    const t = template(stack);
    expect(integrationOf(t)).toMatchObject({
      IntegrationMethod: 'POST',
      IntegrationUri: 'arn:aws:apigateway:eu-west-1:dynamodb:action/PutItem',
      RequestTemplates: { $default: REQUEST },
      CredentialsArn: { 'Fn::GetAtt': [expect.stringMatching(/^ChatSaveTableRole[0-9A-F]{8}$/), 'Arn'] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Messages'), 'Arn'] } }] },
      Roles: [{ Ref: Match.stringLikeRegexp('SaveTableRole') }],
    });
  });

  test.each([
    [DynamoDbAction.GET_ITEM, 'GetItem'], [DynamoDbAction.DELETE_ITEM, 'DeleteItem'],
  ])('GIVEN %s THEN the integration and the grant are %s', (action, name) => {
    const { stack, api: chat } = api();
    const table = new dynamodb.Table(stack, 'Messages', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    chat.addRoute({ routeKey: 'item', returnResponse: true, target: WebSocketTarget.dynamoDb(table, { action, requestTemplate: '{"TableName":"t","Key":{}}', response: '$input.json(\'$.Item\')' }) });
    const t = template(stack);
    expect(integrationOf(t).IntegrationUri).toBe(`arn:aws:apigateway:eu-west-1:dynamodb:action/${name}`);
    t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Action: `dynamodb:${name}`, Effect: 'Allow' }] } });
    t.hasResourceProperties('AWS::ApiGatewayV2::IntegrationResponse', { ResponseTemplates: { $default: '$input.json(\'$.Item\')' } });
  });

  test.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s).slice(0, 40), s]))('GIVEN the documented escaping and the room %s THEN the item holds it exactly', (_, hostile) => {
    const request = JSON.parse(render(REQUEST, JSON.stringify({ action: 'save', room: hostile })));
    expect(request).toEqual({ TableName: 'messages', Item: { id: { S: 'm-1' }, room: { S: hostile } } });
  });

  test('fails without TableName in the request', () => {
    const { stack, api: chat } = api();
    const table = new dynamodb.Table(stack, 'Messages', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    expect(() => chat.addRoute({ routeKey: 'save', target: WebSocketTarget.dynamoDb(table, { action: DynamoDbAction.PUT_ITEM, requestTemplate: '{"Item":{}}' }) }))
      .toThrow("TestStack/Chat: route 'save' target requestTemplate names no TableName (received '{\"Item\":{}}'). "
        + 'Put "TableName":"${table.tableName}" into the request: the role may only use this table.');
  });

  test('fails with an empty request template', () => {
    const { stack, api: chat } = api();
    const table = new dynamodb.Table(stack, 'Messages', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    expect(() => chat.addRoute({ routeKey: 'save', target: WebSocketTarget.dynamoDb(table, { action: DynamoDbAction.PUT_ITEM, requestTemplate: ' ' }) }))
      .toThrow(/route 'save' target requestTemplate is empty \(received ' '\)\. Give the PutItem request as a mapping template/);
  });

  test('fails with an action that is not a DynamoDbAction', () => {
    const { stack, api: chat } = api();
    const table = new dynamodb.Table(stack, 'Messages', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    expect(() => chat.addRoute({ routeKey: 'save', target: WebSocketTarget.dynamoDb(table, { action: 'Scan' as DynamoDbAction, requestTemplate: '{"TableName":"t"}' }) }))
      .toThrow(/route 'save' target action is not a DynamoDbAction \(received 'Scan'\)\. Use DynamoDbAction.GET_ITEM, PUT_ITEM or DELETE_ITEM\./);
  });
});
