/**
 * A WebSocket API under the library's Audit (cdk-nag AwsSolutions + ServerlessApiChecks): clean, and
 * every acknowledgement is the specific one expected, on the resource that has the finding.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { WebSocketMockIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ApiUserPool, Audit, DynamoDbAction, RouteHandler, ServerlessTable, ServerlessWebSocketApi, WebSocketAuthorization, WebSocketTarget } from '../../lib';
import { inlineHandler, testApp } from '../util';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function audited(build: (stack: Stack) => void): App {
  const app = testApp();
  const stack = new Stack(app, 'Audited', { env: ENV });
  build(stack);
  Audit.enable(app);
  return app;
}

/** The acknowledged rule ids of a construct itself. */
function acknowledged(construct: { node: { metadata: Array<{ type: string; data?: unknown }> } }): string[] {
  return construct.node.metadata
    .filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap(m => Object.keys(m.data as object).map(k => k.replace(/^annotation::/i, '')));
}

test('GIVEN a Cognito-authorized API with handler, mock and SQS routes and a function that manages connections THEN synth passes the audit', () => {
  const app = audited(stack => {
    const users = new ApiUserPool(stack, 'Users');
    const api = new ServerlessWebSocketApi(stack, 'Chat', {
      connectAuthorization: WebSocketAuthorization.cognito({ userPool: users.userPool, userPoolClients: [users.userPoolClient] }),
      connections: { topicParameter: 'room' },
    });
    api.addRoute({ routeKey: 'send', handler: RouteHandler.fromCode(lambda.Code.fromInline('x'), { dataAccess: [api.manageConnections] }) });
    api.addRoute({ routeKey: 'ping', target: WebSocketTarget.mock({ response: '{}' }), returnResponse: true });
    const dlq = new sqs.Queue(stack, 'Dlq', { enforceSSL: true });
    Validations.of(dlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of the telemetry queue.' });
    api.addRoute({ routeKey: 'telemetry', target: WebSocketTarget.sqs(new sqs.Queue(stack, 'Telemetry', { enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } })) });
  });
  expect(() => app.synth()).not.toThrow();
});

test('GIVEN EventBridge, Step Functions and DynamoDB targets THEN the routes\' roles and integrations pass the audit with no acknowledgement of their own', () => {
  const app = audited(stack => {
    const api = new ServerlessWebSocketApi(stack, 'Chat');
    api.addRoute({ routeKey: 'event', target: WebSocketTarget.eventBridge(new events.EventBus(stack, 'Bus'), { source: 'com.example.chat' }) });
    const machine = new sfn.StateMachine(stack, 'Workflow', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')), tracingEnabled: true,
      logs: { destination: new logs.LogGroup(stack, 'WorkflowLogs'), level: sfn.LogLevel.ALL },
    });
    // The state machine's own role (log delivery and X-Ray take '*'): the user's resource, not the route's.
    Validations.of(machine.role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]', reason: 'CloudWatch Logs delivery and X-Ray accept no narrower resource.',
    });
    api.addRoute({ routeKey: 'order', target: WebSocketTarget.stepFunctions(machine) });
    const table = new ServerlessTable(stack, 'Messages').table;
    api.addRoute({ routeKey: 'save', target: WebSocketTarget.dynamoDb(table, { action: DynamoDbAction.PUT_ITEM, requestTemplate: `{"TableName":"${table.tableName}"}` }) });
  });
  expect(() => app.synth()).not.toThrow();
});

test('GIVEN IAM authorization (default) and a role granted connections THEN synth passes the audit', () => {
  const app = audited(stack => {
    const api = new ServerlessWebSocketApi(stack, 'Chat', { routes: [{ routeKey: '$default', handler: inlineHandler() }] });
    api.grantManageConnections(new iam.Role(stack, 'Notifier', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    api.grantConnect(new iam.Role(stack, 'Device', { assumedBy: new iam.AccountRootPrincipal() }));
  });
  expect(() => app.synth()).not.toThrow();
});

test('GIVEN the API THEN $connect carries no APIG4 acknowledgement unless declared public, and every other route carries the $connect-only one', () => {
  let api!: ServerlessWebSocketApi;
  let open!: ServerlessWebSocketApi;
  audited(stack => {
    api = new ServerlessWebSocketApi(stack, 'Chat', { routes: [{ routeKey: 'send', handler: inlineHandler() }] });
    open = new ServerlessWebSocketApi(stack, 'Open', { connectAuthorization: WebSocketAuthorization.none() });
  });
  expect(acknowledged(api.connectRoute.node.defaultChild as any)).toEqual([]);
  expect(acknowledged(open.connectRoute.node.defaultChild as any)).toEqual(['AwsSolutions-APIG4']);
  for (const route of api.routes.filter(r => r.routeKey !== '$connect')) {
    expect(acknowledged(route.route.node.defaultChild as any)).toEqual(['AwsSolutions-APIG4']);
  }
});

test('GIVEN a grant THEN only this stage\'s @connections wildcard is acknowledged on the policy, by its exact finding', () => {
  let policy!: iam.Policy;
  let apiId!: string;
  audited(stack => {
    const api = new ServerlessWebSocketApi(stack, 'Chat');
    const role = new iam.Role(stack, 'Notifier', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    api.grantManageConnections(role);
    policy = role.node.findChild('DefaultPolicy') as iam.Policy;
    apiId = stack.getLogicalId(api.webSocketApi.node.defaultChild as any);
  });
  expect(acknowledged(policy)).toEqual([`AwsSolutions-IAM5[Resource::arn:aws:execute-api:eu-west-1:123456789012:<${apiId}>/dev/*/@connections/*]`]);
});

test('GIVEN a route added to the L2 directly, past the library THEN the audit still reports it (acknowledgements are per route)', () => {
  const app = audited(stack => {
    const api = new ServerlessWebSocketApi(stack, 'Chat');
    api.webSocketApi.addRoute('undeclared', { integration: new WebSocketMockIntegration('M') });
  });
  expect(() => app.synth()).toThrow(/AwsSolutions-APIG4/);
});
