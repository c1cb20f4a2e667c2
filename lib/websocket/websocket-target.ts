import { Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RouteHandler } from '../api/route-handler';
import { propError } from '../core/errors';
import { pascal } from '../core/names';
import { DynamoDbAction } from '../integrations/dynamodb-integration';
import { escaped, escapedTwice, isTemplateSafe } from '../integrations/mapping-templates';
import { StepFunctionsMode } from '../integrations/step-functions-integration';

/** Options of `WebSocketTarget.mock()`. */
export interface WebSocketMockOptions {
  /**
   * The message sent back to the sender, e.g. '{"type":"pong"}' for a keep-alive route. It is a
   * mapping template: `$context.connectionId`, `$context.requestTimeEpoch` and the like are
   * substituted. Needs the route's `returnResponse`.
   * @default - nothing is sent back
   */
  readonly response?: string;
}

/** Options of `WebSocketTarget.sqs()`. */
export interface WebSocketSqsOptions {
  /**
   * The message sent back to the sender once SQS accepted the message. Needs the route's
   * `returnResponse`.
   * @default - nothing is sent back
   */
  readonly response?: string;
}

/** Options of `WebSocketTarget.eventBridge()`. */
export interface WebSocketEventBridgeOptions {
  /** The events' `source`, e.g. 'com.example.chat' (not starting with 'aws.'). */
  readonly source: string;
  /**
   * The events' `detail-type`.
   * @default - the route key, e.g. 'sendMessage'
   */
  readonly detailType?: string;
  /**
   * The message sent back to the sender once EventBridge answered (a mapping template over
   * PutEvents' answer, e.g. '{"eventId":"$input.path(\'$.Entries[0].EventId\')"}'). Needs the route's
   * `returnResponse`.
   * @default - nothing is sent back
   */
  readonly response?: string;
}

/** Options of `WebSocketTarget.stepFunctions()`. */
export interface WebSocketStepFunctionsOptions {
  /**
   * START starts an execution (Standard or Express); SYNC waits for an Express workflow (at most 29
   * seconds) and, on a two-way route, sends its output back to the sender.
   * @default StepFunctionsMode.START
   */
  readonly mode?: StepFunctionsMode;
  /**
   * The message sent back to the sender (a mapping template over Step Functions' answer). Needs the
   * route's `returnResponse`.
   * @default - SYNC: the workflow's output; START: nothing is sent back
   */
  readonly response?: string;
}

/** Options of `WebSocketTarget.dynamoDb()`. */
export interface WebSocketDynamoDbOptions {
  /** The operation; the route's role may make exactly this one on the table. */
  readonly action: DynamoDbAction;
  /**
   * The DynamoDB request (Velocity mapping template producing the operation's JSON request, with
   * `TableName`), e.g. for PUT_ITEM
   * `{"TableName":"${table.tableName}","Item":{"id":{"S":"$context.messageId"},"room":{"S":"$util.escapeJavaScript($input.path('$.room'))"}}}`.
   * Escape every value taken from the message.
   */
  readonly requestTemplate: string;
  /**
   * The message sent back to the sender (a mapping template over DynamoDB's answer, e.g.
   * `$input.json('$.Item')` for GET_ITEM). Needs the route's `returnResponse`.
   * @default - nothing is sent back
   */
  readonly response?: string;
}

/**
 * How the library binds a target to a route of its API. @internal
 */
export interface WebSocketTargetBinding {
  /** Where the target creates what it needs (roles). */
  readonly scope: Construct;
  /** The route, for messages. */
  readonly routeKey: string;
  /** Whether the route sends a response back to the sender. */
  readonly returnResponse: boolean;
  /** A construct ID unique in `scope`, from a base. */
  uniqueId(base: string): string;
  /** The integration of a handler's function: one function and one integration per handler. */
  handlerIntegration(handler: RouteHandler): apigwv2.WebSocketRouteIntegration;
}

/** What a route's messages go to. @internal */
type TargetSpec =
  | { readonly kind: 'handler'; readonly handler: RouteHandler }
  | { readonly kind: 'mock'; readonly options: WebSocketMockOptions }
  | { readonly kind: 'sqs'; readonly queue: sqs.IQueue; readonly options: WebSocketSqsOptions }
  | { readonly kind: 'eventBridge'; readonly bus: events.IEventBus; readonly options: WebSocketEventBridgeOptions }
  | { readonly kind: 'stepFunctions'; readonly stateMachine: sfn.IStateMachine; readonly options: WebSocketStepFunctionsOptions }
  | { readonly kind: 'dynamoDb'; readonly table: dynamodb.ITable; readonly options: WebSocketDynamoDbOptions };

/** An EventBridge `source` an application may send. */
const SOURCE = /^[A-Za-z0-9._\-/:]{1,256}$/;

/**
 * The JSON document AWS-service targets hand on, as the inside of a JSON string (what EventBridge's
 * `Detail` and Step Functions' `input` are): `{"connectionId":"...","message":<the message>}`.
 * The message is JSON (route selection by `$request.body.*` needs JSON messages); the connection id
 * lets the consumer answer with the send helper.
 */
const MESSAGE_DOCUMENT = `{\\"connectionId\\":\\"${escapedTwice('$context.connectionId')}\\",\\"message\\":${escaped('$input.json(\'$\')')}}`;

/**
 * The backend of a WebSocket route: a Lambda handler (the usual case), a mock (an answer without a
 * backend), or an AWS service API Gateway calls itself, without a function on the hot path: an SQS
 * queue, an EventBridge bus, a Step Functions state machine, or a DynamoDB table through a template.
 * AWS-service targets get a role of their own that API Gateway assumes, holding exactly the route's
 * action on exactly its resource.
 *
 * @example
 * api.addRoute({ routeKey: 'sendMessage', target: WebSocketTarget.handler(RouteHandler.fromEntry('src/send.ts')) });
 * api.addRoute({ routeKey: 'ping', target: WebSocketTarget.mock({ response: '{"type":"pong"}' }), returnResponse: true });
 * api.addRoute({ routeKey: 'telemetry', target: WebSocketTarget.sqs(queue) });
 */
export class WebSocketTarget {
  /**
   * A Lambda function (Lambda proxy integration), created from the handler with the API's function
   * defaults and shared roles, exactly like a REST route's. With `returnResponse`, the function's
   * returned `body` is sent back to the sender.
   */
  public static handler(handler: RouteHandler): WebSocketTarget {
    return new WebSocketTarget({ kind: 'handler', handler });
  }

  /** An answer from API Gateway itself, without a backend. */
  public static mock(options: WebSocketMockOptions = {}): WebSocketTarget {
    return new WebSocketTarget({ kind: 'mock', options });
  }

  /**
   * SQS `SendMessage` of the message body, with the sender's connection id as the message attribute
   * `connectionId`, through a role API Gateway assumes (`queue.grantSendMessages`). Standard queues
   * only (a FIFO queue needs a message group id per message).
   */
  public static sqs(queue: sqs.IQueue, options: WebSocketSqsOptions = {}): WebSocketTarget {
    return new WebSocketTarget({ kind: 'sqs', queue, options });
  }

  /**
   * EventBridge `PutEvents`: one event on `bus` per message, whose `detail` is
   * `{"connectionId":"...","message":<the JSON message>}` (the connection id lets consumers answer
   * with the send helper).
   */
  public static eventBridge(bus: events.IEventBus, options: WebSocketEventBridgeOptions): WebSocketTarget {
    return new WebSocketTarget({ kind: 'eventBridge', bus, options });
  }

  /**
   * Step Functions: an execution per message, named by the message's request id (a retried
   * delivery cannot start it twice), with the input `{"connectionId":"...","message":<the JSON message>}`.
   */
  public static stepFunctions(stateMachine: sfn.IStateMachine, options: WebSocketStepFunctionsOptions = {}): WebSocketTarget {
    return new WebSocketTarget({ kind: 'stepFunctions', stateMachine, options });
  }

  /** DynamoDB: one GetItem, PutItem or DeleteItem per message, the request built by your template. */
  public static dynamoDb(table: dynamodb.ITable, options: WebSocketDynamoDbOptions): WebSocketTarget {
    return new WebSocketTarget({ kind: 'dynamoDb', table, options });
  }

  /** 'handler', 'mock', 'sqs', 'eventBridge', 'stepFunctions' or 'dynamoDb'. */
  public readonly kind: string;
  /** @internal */
  public readonly _spec: TargetSpec;

  private constructor(spec: TargetSpec) {
    this.kind = spec.kind;
    this._spec = spec;
  }

  /** The aws-cdk-lib integration of this target on a route. @internal */
  public _bind(binding: WebSocketTargetBinding): apigwv2.WebSocketRouteIntegration {
    const spec = this._spec;
    const prop = `route '${binding.routeKey}'`;
    if (spec.kind === 'handler') {
      if (!(spec.handler instanceof RouteHandler)) {
        throw propError(binding.scope, `${prop} handler`, spec.handler, 'is not a RouteHandler',
          'Pass RouteHandler.fromEntry(\'src/handler.ts\'), RouteHandler.fromCode(...) or RouteHandler.fromFunction(fn).');
      }
      return binding.handlerIntegration(spec.handler);
    }
    const response = spec.kind === 'stepFunctions' && spec.options.response === undefined && spec.options.mode === StepFunctionsMode.SYNC && binding.returnResponse
      ? '$input.path(\'$.output\')'
      : spec.options.response;
    if (response !== undefined && !binding.returnResponse) {
      throw propError(binding.scope, `${prop} response`, response, 'is set but the route does not return responses',
        'Set returnResponse: true on the route (a two-way route), or drop the response.');
    }
    if (spec.kind === 'mock') {
      return new TemplateIntegration(binding.uniqueId(`${idOf(binding.routeKey)}Mock`), {
        type: apigwv2.WebSocketIntegrationType.MOCK,
        uri: '',
        requestTemplates: { $default: '{"statusCode": 200}' },
        templateSelectionExpression: '\\$default',
      }, response);
    }
    if (spec.kind === 'eventBridge') {
      return eventBridgeIntegration(binding, spec.bus, spec.options, response);
    }
    if (spec.kind === 'stepFunctions') {
      return stepFunctionsIntegration(binding, spec.stateMachine, spec.options, response);
    }
    if (spec.kind === 'dynamoDb') {
      return dynamoDbIntegration(binding, spec.table, spec.options, response);
    }
    const queue = spec.queue;
    if (!queue || typeof queue.queueArn !== 'string') {
      throw propError(binding.scope, `${prop} queue`, queue, 'is not an SQS queue', 'Pass an sqs.IQueue.');
    }
    if (queue.fifo) {
      throw propError(binding.scope, `${prop} queue`, queue.node.path, 'is a FIFO queue',
        'A FIFO queue needs a MessageGroupId per message, which this integration does not set: use a standard queue, or a handler that sends to the FIFO queue.');
    }
    const role = new iam.Role(binding.scope, binding.uniqueId(`${idOf(binding.routeKey)}SqsRole`), {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: `Lets API Gateway send the messages of WebSocket route ${binding.routeKey} to ${Token.isUnresolved(queue.queueName) ? 'its queue' : queue.queueName}`,
    });
    queue.grantSendMessages(role);
    const stack = Stack.of(binding.scope);
    return new TemplateIntegration(binding.uniqueId(`${idOf(binding.routeKey)}Sqs`), {
      type: apigwv2.WebSocketIntegrationType.AWS,
      uri: `arn:${stack.partition}:apigateway:${stack.region}:sqs:path/${queue.env.account}/${queue.queueName}`,
      method: 'POST',
      credentialsRole: role,
      requestParameters: { 'integration.request.header.Content-Type': '\'application/x-www-form-urlencoded\'' },
      requestTemplates: {
        $default: 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)'
          + '&MessageAttribute.1.Name=connectionId&MessageAttribute.1.Value.DataType=String'
          + '&MessageAttribute.1.Value.StringValue=$util.urlEncode($context.connectionId)',
      },
      templateSelectionExpression: '\\$default',
    }, response);
  }
}

/** A role API Gateway assumes for one route's AWS-service target. */
function serviceRole(binding: WebSocketTargetBinding, base: string, what: string): iam.Role {
  return new iam.Role(binding.scope, binding.uniqueId(`${idOf(binding.routeKey)}${base}Role`), {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    description: `Lets API Gateway send the messages of WebSocket route ${binding.routeKey} to ${what}`.slice(0, 1000),
  });
}

function serviceUri(scope: Construct, region: string | undefined, service: string, action: string): string {
  const stack = Stack.of(scope);
  const resolved = region === undefined || Token.isUnresolved(region) ? stack.region : region;
  return `arn:${stack.partition}:apigateway:${resolved}:${service}:action/${action}`;
}

function eventBridgeIntegration(binding: WebSocketTargetBinding, bus: events.IEventBus, options: WebSocketEventBridgeOptions, response: string | undefined): apigwv2.WebSocketRouteIntegration {
  const prop = `route '${binding.routeKey}' target`;
  if (!bus || typeof bus.eventBusArn !== 'string') {
    throw propError(binding.scope, prop, bus, 'has no event bus', 'Pass an events.IEventBus: WebSocketTarget.eventBridge(bus, { source }).');
  }
  const source = options?.source;
  if (typeof source !== 'string' || !SOURCE.test(source) || source.startsWith('aws.')) {
    throw propError(binding.scope, `${prop} source`, source, 'is not a source an application may send (1-256 of letters, digits, . _ - / :, not starting with \'aws.\')',
      'Name your application, e.g. \'com.example.chat\'.');
  }
  const detailType = options.detailType ?? binding.routeKey;
  if (typeof detailType !== 'string' || detailType.length === 0 || detailType.length > 128 || !isTemplateSafe(detailType)) {
    throw propError(binding.scope, `${prop} detailType`, detailType, 'is not a usable detail-type (1-128 characters, no quotes, backslashes, $ or #)',
      'Use e.g. \'MessageSent\'.');
  }
  const role = serviceRole(binding, 'Events', `event bus ${bus.node.path}`);
  bus.grantPutEventsTo(role);
  return new TemplateIntegration(binding.uniqueId(`${idOf(binding.routeKey)}Events`), {
    type: apigwv2.WebSocketIntegrationType.AWS,
    uri: serviceUri(binding.scope, bus.env.region, 'events', 'PutEvents'),
    method: 'POST',
    credentialsRole: role,
    requestParameters: {
      'integration.request.header.X-Amz-Target': '\'AWSEvents.PutEvents\'',
      'integration.request.header.Content-Type': '\'application/x-amz-json-1.1\'',
    },
    requestTemplates: {
      $default: `{"Entries":[{"EventBusName":"${bus.eventBusArn}","Source":"${source}","DetailType":"${detailType}","Detail":"${MESSAGE_DOCUMENT}"}]}`,
    },
    templateSelectionExpression: '\\$default',
  }, response);
}

function stepFunctionsIntegration(binding: WebSocketTargetBinding, stateMachine: sfn.IStateMachine, options: WebSocketStepFunctionsOptions,
  response: string | undefined): apigwv2.WebSocketRouteIntegration {
  const prop = `route '${binding.routeKey}' target`;
  if (!stateMachine || typeof stateMachine.stateMachineArn !== 'string') {
    throw propError(binding.scope, prop, stateMachine, 'has no state machine', 'Pass an sfn.IStateMachine: WebSocketTarget.stepFunctions(stateMachine).');
  }
  const mode = options.mode ?? StepFunctionsMode.START;
  if (!Object.values(StepFunctionsMode).includes(mode)) {
    throw propError(binding.scope, `${prop} mode`, mode, 'is not a StepFunctionsMode', 'Use StepFunctionsMode.START or StepFunctionsMode.SYNC.');
  }
  const sync = mode === StepFunctionsMode.SYNC;
  if (sync && stateMachine instanceof sfn.StateMachine && stateMachine.stateMachineType !== sfn.StateMachineType.EXPRESS) {
    throw propError(binding.scope, `${prop} mode`, 'SYNC', `needs an EXPRESS state machine, and '${stateMachine.node.path}' is ${stateMachine.stateMachineType}`,
      'Create it with stateMachineType: sfn.StateMachineType.EXPRESS, or use StepFunctionsMode.START.');
  }
  const role = serviceRole(binding, 'States', `state machine ${stateMachine.node.path}`);
  if (sync) {
    stateMachine.grantStartSyncExecution(role);
  } else {
    stateMachine.grantStartExecution(role);
  }
  const action = sync ? 'StartSyncExecution' : 'StartExecution';
  return new TemplateIntegration(binding.uniqueId(`${idOf(binding.routeKey)}States`), {
    type: apigwv2.WebSocketIntegrationType.AWS,
    uri: serviceUri(binding.scope, stateMachine.env.region, 'states', action),
    method: 'POST',
    credentialsRole: role,
    requestParameters: { 'integration.request.header.Content-Type': '\'application/x-amz-json-1.0\'' },
    requestTemplates: {
      $default: `{"stateMachineArn":"${stateMachine.stateMachineArn}","name":"${escaped('$context.requestId')}","input":"${MESSAGE_DOCUMENT}"}`,
    },
    templateSelectionExpression: '\\$default',
  }, response);
}

const DYNAMODB_ACTIONS: Record<string, string> = {
  [DynamoDbAction.GET_ITEM]: 'GetItem',
  [DynamoDbAction.PUT_ITEM]: 'PutItem',
  [DynamoDbAction.DELETE_ITEM]: 'DeleteItem',
};

function dynamoDbIntegration(binding: WebSocketTargetBinding, table: dynamodb.ITable, options: WebSocketDynamoDbOptions, response: string | undefined): apigwv2.WebSocketRouteIntegration {
  const prop = `route '${binding.routeKey}' target`;
  if (!table || typeof table.tableArn !== 'string') {
    throw propError(binding.scope, prop, table, 'has no table', 'Pass a dynamodb.ITable: WebSocketTarget.dynamoDb(table, { action, requestTemplate }).');
  }
  const action = DYNAMODB_ACTIONS[options?.action];
  if (action === undefined) {
    throw propError(binding.scope, `${prop} action`, options?.action, 'is not a DynamoDbAction', 'Use DynamoDbAction.GET_ITEM, PUT_ITEM or DELETE_ITEM.');
  }
  const template = options.requestTemplate;
  if (typeof template !== 'string' || template.trim() === '') {
    throw propError(binding.scope, `${prop} requestTemplate`, template, 'is empty',
      `Give the ${action} request as a mapping template, e.g. '{"TableName":"\${table.tableName}","Key":{"id":{"S":"$util.escapeJavaScript($input.path('$.id'))"}}}'.`);
  }
  if (!template.includes('TableName')) {
    throw propError(binding.scope, `${prop} requestTemplate`, template.slice(0, 60), 'names no TableName',
      'Put "TableName":"${table.tableName}" into the request: the role may only use this table.');
  }
  const role = serviceRole(binding, 'Table', `table ${table.node.path}`);
  table.grant(role, `dynamodb:${action}`);
  return new TemplateIntegration(binding.uniqueId(`${idOf(binding.routeKey)}Table`), {
    type: apigwv2.WebSocketIntegrationType.AWS,
    uri: serviceUri(binding.scope, table.env.region, 'dynamodb', action),
    method: 'POST',
    credentialsRole: role,
    requestTemplates: { $default: template },
    templateSelectionExpression: '\\$default',
  }, response);
}

/**
 * A non-proxy integration (mock, AWS service) whose request is a mapping template, and, when given, an
 * integration response that answers the sender.
 */
class TemplateIntegration extends apigwv2.WebSocketRouteIntegration {
  private responseCreated = false;

  constructor(id: string, private readonly config: apigwv2.WebSocketRouteIntegrationConfig, private readonly response?: string) {
    super(id);
  }

  public bind(_options: apigwv2.WebSocketRouteIntegrationBindOptions): apigwv2.WebSocketRouteIntegrationConfig {
    return this.config;
  }

  public _bindToRoute(options: apigwv2.WebSocketRouteIntegrationBindOptions): { readonly integrationId: string } {
    const result = super._bindToRoute(options);
    if (this.response !== undefined && !this.responseCreated) {
      this.responseCreated = true;
      new apigwv2.CfnIntegrationResponse(options.scope, 'IntegrationResponse', {
        apiId: options.route.webSocketApi.apiId,
        integrationId: result.integrationId,
        integrationResponseKey: '$default',
        templateSelectionExpression: '\\$default',
        responseTemplates: { $default: this.response },
      });
    }
    return result;
  }
}

/** 'sendMessage' → 'SendMessage', '$default' → 'Default': construct IDs of a route's resources. */
function idOf(routeKey: string): string {
  return pascal(routeKey) || 'Route';
}
