import { App, Stack } from 'aws-cdk-lib';
import { ServerlessApi, ServerlessApiProps } from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';

/** A stack with an API serving GET /items, GET /items/{id} (both key-required unless told) and POST /items. */
export function itemsApi(options: { props?: ServerlessApiProps; keyRequired?: boolean; stack?: Stack } = {}): { app: App; stack: Stack; api: ServerlessApi } {
  const stack = options.stack ?? testStack();
  const app = stack.node.root as App;
  const api = new ServerlessApi(stack, 'Api', options.props);
  const handler = inlineHandler();
  const keyRequired = options.keyRequired ?? true;
  api.addRoute({ method: 'GET', path: '/items', handler, apiKeyRequired: keyRequired });
  api.addRoute({ method: 'GET', path: '/items/{id}', handler, apiKeyRequired: keyRequired });
  api.addRoute({ method: 'POST', path: '/items', handler });
  return { app, stack, api };
}

export { testApp, testStack };
