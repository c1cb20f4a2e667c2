import type { RouteHandler } from '../api/route-handler';
import type { BoundIntegration, IntegrationBindContext, IntegrationKind } from './integration-binding';

/**
 * A route → a Lambda function (AWS_PROXY): the function receives the whole request and answers it.
 * The function is created (or shared) by the API, as for `handler:`; the operation is rendered
 * exactly as before integrations existed, so templates of Lambda routes do not change.
 * @internal
 */
export class LambdaIntegrationKind implements IntegrationKind {
  constructor(private readonly handler: RouteHandler) {}

  public bind(context: IntegrationBindContext): BoundIntegration {
    const target = context.api._lambdaTarget(this.handler, context.functionOptions,
      { key: context.routeKey, method: context.method, parsed: context.parsed });
    return { function: target.fn, render: () => ({ integration: { type: 'aws_proxy', httpMethod: 'POST', uri: target.integrationUri } }) };
  }
}
