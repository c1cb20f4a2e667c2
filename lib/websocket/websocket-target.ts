import { Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RouteHandler } from '../api/route-handler';
import { propError } from '../core/errors';

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
  | { readonly kind: 'sqs'; readonly queue: sqs.IQueue; readonly options: WebSocketSqsOptions };

/**
 * The backend of a WebSocket route: a Lambda handler (the usual case), a mock (an answer without a
 * backend), or an SQS queue (messages buffered for consumers, without a function on the hot path).
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

  /** 'handler', 'mock' or 'sqs'. */
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
    const response = spec.options.response;
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

/** 'sendMessage' → 'SendMessage', '$default' → 'Default'. */
function idOf(routeKey: string): string {
  const words = routeKey.split(/[^A-Za-z0-9]+/).filter(Boolean).map(w => w[0].toUpperCase() + w.slice(1));
  return words.join('') || 'Route';
}
