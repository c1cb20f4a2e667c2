import * as path from 'path';
import { CfnOutput, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import {
  ApiDomain, DataAccess, EntryHandlerOptions, EnvironmentConfig, RouteAuthorization, RouteHandler, ServerlessApi, ServerlessTable, ServerlessWebSocketApi,
  WebSocketAuthorization, WebSocketDomain, WebSocketTarget,
} from 'serverless-api-constructs';

export interface ChatStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** A handler of src/, bundled like every route function. */
function handler(name: string, options: EntryHandlerOptions = {}): RouteHandler {
  return RouteHandler.fromEntry(path.join(__dirname, '..', 'src', `${name}.ts`), { memorySize: 256, ...options });
}

/**
 * The chat: users of the stage's Cognito pool connect to the WebSocket API with their access token
 * (`wss://ws.<domain>?token=<jwt>&room=lobby&nickname=Ann`), send messages that are kept in DynamoDB
 * and broadcast to everyone in the room, and read a room's history from the REST API.
 *
 * - The WebSocket API is one construct: the library tracks connections (table, $connect, $disconnect),
 *   verifies the tokens (its Cognito authorizer) and cleans up gone connections while broadcasting.
 *   This app writes three small handlers.
 * - The REST API and the WebSocket API live on two names of the same zone, `api.<env>.example.com`
 *   and `ws.api.<env>.example.com`: API Gateway does not map WebSocket APIs on a domain that serves
 *   a REST API (the library refuses it at synth).
 */
export class ChatStack extends Stack {
  public readonly messages: ServerlessTable;
  public readonly api: ServerlessApi;
  public readonly socket: ServerlessWebSocketApi;
  public readonly apiDomain?: ApiDomain;
  public readonly socketDomain?: WebSocketDomain;

  constructor(scope: Construct, id: string, props: ChatStackProps) {
    super(scope, id, props);
    const { config } = props;

    // Messages by room, newest last: partition 'room', sort '<ISO time>#<id>'.
    this.messages = new ServerlessTable(this, 'Messages', {
      ...config.data,
      partitionKey: { name: 'room', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sentAt', type: dynamodb.AttributeType.STRING },
    });

    // REST: the history of a room, for signed-in users. The user pool is created here and shared.
    this.api = new ServerlessApi(this, 'ChatApi', {
      apiName: `chat-${config.name}`,
      description: `Chat history API (${config.name})`,
      stageName: config.name,
      stage: config.stage,
      endpointType: apigateway.EndpointType.REGIONAL,
      cognito: { userPoolProps: { removalPolicy: config.data.removalPolicy, deletionProtection: config.data.deletionProtection } },
    });
    this.api.addRoute({
      method: 'GET',
      path: '/rooms/{room}/messages',
      handler: handler('history', {
        environment: { MESSAGES_TABLE: this.messages.table.tableName },
        dataAccess: [DataAccess.tableActions(this.messages.table, 'dynamodb:Query')],
      }),
      authorization: RouteAuthorization.cognito(),
    });
    const users = this.api.apiUserPool!;

    // WebSocket: the same users, their access token in ?token=; the room from ?room=, a nickname kept with the connection.
    this.socket = new ServerlessWebSocketApi(this, 'ChatSocket', {
      apiName: `chat-socket-${config.name}`,
      description: `Chat rooms (${config.name})`,
      stageName: config.name,
      stage: config.stage,
      connectAuthorization: WebSocketAuthorization.cognito({ userPool: users.userPool, userPoolClients: [users.userPoolClient] }),
      connections: { topicParameter: 'room', attributeParameters: ['nickname'] },
    });
    // {"action":"sendMessage","text":"hi"}: stored, then broadcast to the sender's room.
    this.socket.addRoute({
      routeKey: 'sendMessage',
      handler: handler('send-message', {
        environment: { MESSAGES_TABLE: this.messages.table.tableName },
        dataAccess: [DataAccess.tableActions(this.messages.table, 'dynamodb:PutItem'), this.socket.manageConnections],
      }),
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    // {"action":"joinRoom","room":"games"}: moves the connection; the answer goes back to the sender.
    this.socket.addRoute({
      routeKey: 'joinRoom',
      handler: handler('join-room', { dataAccess: [this.socket.manageConnections] }),
      returnResponse: true,
    });
    // {"action":"ping"}: keep-alive answered by API Gateway itself (idle connections close after 10 minutes).
    this.socket.addRoute({ routeKey: 'ping', target: WebSocketTarget.mock({ response: '{"type":"pong"}' }), returnResponse: true });
    // Anything else: an error message back, no function.
    this.socket.addRoute({
      routeKey: '$default',
      target: WebSocketTarget.mock({ response: '{"type":"error","message":"Unknown action: use sendMessage, joinRoom or ping."}' }),
      returnResponse: true,
    });

    if (!config.webAcl) {
      Validations.of(this.api.stage.node.defaultChild!).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: `WAF is on where config.webAcl is (prod); the ${config.name} stage serves the team's testing, not public traffic, `
          + 'and keeps its stage throttling and Cognito authorization.',
      });
    } else {
      this.api.addWebAcl('WebAcl');
    }

    if (config.domain) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
        hostedZoneId: config.domain.hostedZoneId,
        zoneName: config.domain.zoneName,
      });
      this.apiDomain = this.api.addDomain({ domainName: config.domain.domainName, hostedZone: zone });
      this.socketDomain = this.socket.addDomain({ domainName: `ws.${config.domain.domainName}`, hostedZone: zone });
      new CfnOutput(this, 'HistoryUrl', { value: this.apiDomain.url });
      new CfnOutput(this, 'ChatUrl', { value: this.socketDomain.url });
    }
    new CfnOutput(this, 'UserPoolId', { value: users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: users.userPoolClient.userPoolClientId });
  }
}
