import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ServerlessWebSocketApi, ServerlessWebSocketApiProps } from '../../lib';
import { testApp, testStack } from '../util';

/** A WebSocket API in a fresh stack (eu-west-1, account 123456789012), bundling skipped. */
export function webSocketApi(props: ServerlessWebSocketApiProps = {}, stack: Stack = testStack(testApp())): { stack: Stack; api: ServerlessWebSocketApi } {
  return { stack, api: new ServerlessWebSocketApi(stack, 'Chat', props) };
}

export function template(stack: Stack): Template {
  return Template.fromStack(stack);
}
