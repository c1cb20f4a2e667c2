import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RouteHandler } from '../api/route-handler';
import { propError } from '../core/errors';
import { DynamoDbIntegrationKind, DynamoDbIntegrationOptions } from './dynamodb-integration';
import { EventBridgeIntegrationKind, EventBridgeIntegrationOptions } from './event-bridge-integration';
import { HttpIntegrationKind, HttpIntegrationOptions } from './http-integration';
import type { BoundIntegration, IntegrationBindContext, IntegrationKind } from './integration-binding';
import { KinesisIntegrationKind, KinesisIntegrationOptions } from './kinesis-integration';
import { LambdaIntegrationKind } from './lambda-integration';
import { MockIntegrationKind, MockIntegrationOptions } from './mock-integration';
import { S3IntegrationKind, S3IntegrationOptions } from './s3-integration';
import { SqsIntegrationKind, SqsIntegrationOptions } from './sqs-integration';
import { StepFunctionsIntegrationKind, StepFunctionsIntegrationOptions } from './step-functions-integration';
import { albConnection, nlbConnection, privateUrl, PrivateHttpIntegrationOptions, vpcLinkConnection } from './vpc-link-integration';

/** The function options of `RouteProps`, which only Lambda routes take. */
const FUNCTION_OPTIONS = ['memorySize', 'timeout', 'environment', 'description', 'dataAccess', 'role', 'gradualDeployment'] as const;

/**
 * What serves a route: a Lambda function, an HTTP backend (public, or private behind a VPC link), an
 * AWS service called directly by API Gateway (SQS, Step Functions, Kinesis, EventBridge, S3,
 * DynamoDB), or a mock answered by API Gateway itself.
 *
 * Each is one line on any route, and brings what it needs: the request and response mapping
 * templates (service errors answered in the library's JSON error shape), and, for AWS services, a
 * role API Gateway assumes that holds exactly the actions of its routes on exactly their resources,
 * shared by routes with the same permissions. Routes that are not Lambda add no CloudFormation
 * resource of their own.
 *
 * @example
 * api.addRoute({ method: 'POST', path: '/orders', integration: Integration.sqs(queue) });
 * api.addRoute({ method: 'GET', path: '/health', integration: Integration.mock({ statusCode: 200, body: '{"status":"ok"}' }),
 *   authorization: RouteAuthorization.none() });
 */
export class Integration {
  /** A Lambda function (proxy integration): the same as giving the route `handler`. */
  public static lambda(handler: RouteHandler): Integration {
    return new Integration('LAMBDA', new LambdaIntegrationKind(handler), true);
  }

  /**
   * An HTTP backend on the internet (https only). By default a proxy: method, path, query string,
   * headers and body go to the backend as they are, and its answer comes back as it is.
   *
   * @param url the backend URL, with the route's path parameters in braces, e.g.
   * 'https://legacy.example.com/orders/{id}' or 'https://legacy.example.com/{proxy}' for '{proxy+}'
   */
  public static http(url: string, options: HttpIntegrationOptions = {}): Integration {
    return new Integration('HTTP', new HttpIntegrationKind(url, options));
  }

  /**
   * An HTTP backend behind an internal Network Load Balancer, reached through a VPC link the API
   * creates once per load balancer.
   */
  public static nlb(loadBalancer: elbv2.INetworkLoadBalancer, options: PrivateHttpIntegrationOptions = {}): Integration {
    return new Integration('NLB', new HttpIntegrationKind(privateUrl(loadBalancer, options), options, nlbConnection(loadBalancer)));
  }

  /**
   * An HTTP backend behind an internal Application Load Balancer, reached through a VPC link V2 the
   * API creates once per load balancer (with a security group the ALB admits on `port`).
   */
  public static alb(loadBalancer: elbv2.IApplicationLoadBalancer, options: PrivateHttpIntegrationOptions = {}): Integration {
    return new Integration('ALB', new HttpIntegrationKind(privateUrl(loadBalancer, options), options, albConnection(loadBalancer, options.port ?? 80)));
  }

  /**
   * An HTTP backend reached through an existing VPC link (V1, to a Network Load Balancer).
   *
   * @param url the URL API Gateway requests (its host is the Host header), with path parameters in braces
   */
  public static vpcLink(vpcLink: apigateway.IVpcLink, url: string, options: HttpIntegrationOptions = {}): Integration {
    return new Integration('VPC_LINK', new HttpIntegrationKind(url, options, vpcLinkConnection(vpcLink)));
  }

  /** SQS `SendMessage`: the request body becomes a message; answers 202 with its id. */
  public static sqs(queue: sqs.IQueue, options: SqsIntegrationOptions = {}): Integration {
    return new Integration('SQS', new SqsIntegrationKind(queue, options));
  }

  /**
   * Step Functions: START answers 202 with the execution ARN; SYNC (Express) answers the workflow's
   * output.
   */
  public static stepFunctions(stateMachine: sfn.IStateMachine, options: StepFunctionsIntegrationOptions = {}): Integration {
    return new Integration('STEP_FUNCTIONS', new StepFunctionsIntegrationKind(stateMachine, options));
  }

  /** Kinesis Data Streams `PutRecord`: the request body becomes a record; answers 202. */
  public static kinesis(stream: kinesis.IStream, options: KinesisIntegrationOptions = {}): Integration {
    return new Integration('KINESIS', new KinesisIntegrationKind(stream, options));
  }

  /** EventBridge `PutEvents`: the request body (a JSON object) becomes an event's detail; answers 202. */
  public static eventBridge(bus: events.IEventBus, options: EventBridgeIntegrationOptions): Integration {
    return new Integration('EVENT_BRIDGE', new EventBridgeIntegrationKind(bus, options));
  }

  /** S3: get, put or delete the object whose key the path names. */
  public static s3(bucket: s3.IBucket, options: S3IntegrationOptions): Integration {
    return new Integration('S3', new S3IntegrationKind(bucket, options));
  }

  /** DynamoDB: get, put or delete the item whose key the path names. */
  public static dynamoDb(table: dynamodb.ITable, options: DynamoDbIntegrationOptions): Integration {
    return new Integration('DYNAMODB', new DynamoDbIntegrationKind(table, options));
  }

  /** A response API Gateway answers itself: fixed or templated, no backend. */
  public static mock(options: MockIntegrationOptions): Integration {
    return new Integration('MOCK', new MockIntegrationKind(options));
  }

  /** LAMBDA, HTTP, NLB, ALB, VPC_LINK, SQS, STEP_FUNCTIONS, KINESIS, EVENT_BRIDGE, S3, DYNAMODB or MOCK. */
  public readonly kind: string;

  private constructor(kind: string, private readonly impl: IntegrationKind, private readonly takesFunctionOptions = false) {
    this.kind = kind;
  }

  /** An integration of `kind` with another implementation (the strangler fig's path-deriving one). @internal */
  public static _of(kind: string, impl: IntegrationKind): Integration {
    return new Integration(kind, impl);
  }

  /** The implementation, for the strangler fig's derived routes. @internal */
  public get _impl(): IntegrationKind {
    return this.impl;
  }

  /** Binds the integration to a route (validates, creates what it needs). @internal */
  public _bind(context: IntegrationBindContext): BoundIntegration {
    if (!this.takesFunctionOptions) {
      const set = FUNCTION_OPTIONS.filter(o => context.functionOptions[o] !== undefined);
      if (set.length > 0) {
        throw propError(context.api, `route '${context.routeKey}' ${set[0]}`, context.functionOptions[set[0]],
          `is a Lambda function option, and the route's integration is ${this.kind}`, 'Drop it, or serve the route with a handler.');
      }
    }
    return this.impl.bind(context);
  }
}

/**
 * The integration of a route: `handler` (a Lambda function) or `integration`, exactly one.
 * @internal
 */
export function routeIntegration(context: Pick<IntegrationBindContext, 'api' | 'routeKey'>, handler: unknown, integration: unknown): Integration {
  if (handler !== undefined && integration !== undefined) {
    throw propError(context.api, `route '${context.routeKey}' handler`, 'a handler', 'and integration are both set',
      'Pass handler for a Lambda function, or integration for anything else (Integration.lambda(handler) is the same as handler).');
  }
  if (integration !== undefined) {
    if (!(integration instanceof Integration)) {
      throw propError(context.api, `route '${context.routeKey}' integration`, integration, 'is not an Integration',
        'Use Integration.http(url), .sqs(queue), .stepFunctions(stateMachine), .mock({...}), ...');
    }
    return integration;
  }
  if (!(handler instanceof RouteHandler)) {
    throw propError(context.api, `route '${context.routeKey}' handler`, handler, 'is missing',
      'Pass handler: RouteHandler.fromEntry(\'src/handler.ts\') (or .fromCode(...), .fromFunction(fn)), or integration: Integration.http(url), .sqs(queue), .mock({...}), ...');
  }
  return Integration.lambda(handler);
}
