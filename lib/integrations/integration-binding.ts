import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { RouteFunctionOptions } from '../api/route-handler';
import type { ParsedPath } from '../api/route-path';
import type { ServerlessApi } from '../api/serverless-api';
import type { CorsOptions } from '../auth/cors-options';

/**
 * What an integration knows about the route it is bound to. @internal
 */
export interface IntegrationBindContext {
  /** The API (scope of errors, roles, VPC links). */
  readonly api: ServerlessApi;
  /** 'GET /orders/{id}' */
  readonly routeKey: string;
  /** 'GET', ..., 'ANY' */
  readonly method: string;
  readonly parsed: ParsedPath;
  /** The route's function options (`memorySize`, ...): Lambda routes only. */
  readonly functionOptions: RouteFunctionOptions;
}

/** What the body renderer gives an integration when it renders a route. @internal */
export interface IntegrationRenderContext {
  /** The API's CORS options, when CORS is on. */
  readonly cors?: CorsOptions;
}

/** An integration's part of an OpenAPI operation. @internal */
export interface RenderedIntegration {
  /** The `x-amazon-apigateway-integration` entry. */
  readonly integration: Record<string, any>;
  /** The operation's method responses. @default {} */
  readonly responses?: Record<string, any>;
  /** Method request parameters beyond the path parameters (headers, query strings it maps). */
  readonly parameters?: Array<Record<string, any>>;
  /** The operation's request body (content types and models). */
  readonly requestBody?: Record<string, any>;
}

/** What stands behind a route that monitoring should alarm on. @internal */
export interface MonitoredResources {
  readonly stateMachines?: sfn.IStateMachine[];
  readonly deadLetterQueues?: sqs.IQueue[];
}

/** An integration bound to one route of one API. @internal */
export interface BoundIntegration {
  /** The function behind the route, for Lambda routes. */
  readonly function?: lambda.IFunction;
  /** Resources behind the route for `ApiMonitoring` (a state machine, a queue's dead-letter queue). */
  readonly monitored?: MonitoredResources;
  /** Renders the route's part of the operation (called on every synthesis of the body). */
  render(context: IntegrationRenderContext): RenderedIntegration;
}

/**
 * One kind of integration: validates itself against a route and binds to it (creating what it
 * needs: a function, a shared role, a VPC link). Implemented once per kind, in this folder. @internal
 */
export interface IntegrationKind {
  bind(context: IntegrationBindContext): BoundIntegration;
}
