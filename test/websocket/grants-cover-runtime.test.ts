/**
 * The IAM the construct grants covers exactly what the runtime does: every DynamoDB call the send
 * helper and the library's $connect/$disconnect functions make (recorded from a real run against
 * dynalite and the management API stand-in) is an action the function's role holds, on the table or
 * index the call names. A helper that starts using another action (TransactWriteItems, say) fails here,
 * not with AccessDenied in a deployed API.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { template, webSocketApi } from './util';
import { WebSocketAuthorization } from '../../lib';
import { createConnectHandler } from '../../lib/runtime/websocket/connect';
import { createDisconnectHandler } from '../../lib/runtime/websocket/disconnect';
import { connection, createConnectionsTable, seed } from '../runtime/connections-table';
import { LocalDynamo, startDynalite } from '../runtime/dynalite';
import { ManagementApiStandIn, startManagementApiStandIn } from '../runtime/management-api-stand-in';
import { WebSocketConnections } from '../../lib/runtime/websocket';

interface Call { readonly action: string; readonly indexName?: string }

/** A document client whose every DynamoDB call is recorded as its IAM action. */
function recordingClient(calls: Call[]): DynamoDBDocumentClient {
  const base = new DynamoDBClient({});
  base.middlewareStack.add((next, context) => async args => {
    const input = args.input as { IndexName?: string };
    calls.push({ action: `dynamodb:${String(context.commandName).replace(/Command$/, '')}`, indexName: input.IndexName });
    return next(args);
  }, { step: 'initialize', name: 'recordCalls' });
  return DynamoDBDocumentClient.from(base);
}

/** The actions and resources of the policies attached to the role of the function `logicalId`. */
function grantsOf(t: Record<string, any>, functionLogicalId: string): Array<{ actions: string[]; resources: string[] }> {
  const roleId = t.Resources[functionLogicalId].Properties.Role['Fn::GetAtt'][0];
  const statements = Object.values(t.Resources as Record<string, any>)
    .filter(r => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: any) => role.Ref === roleId))
    .flatMap(r => r.Properties.PolicyDocument.Statement);
  return statements.filter((s: any) => s.Effect === 'Allow').map((s: any) => ({
    actions: [s.Action].flat(),
    resources: [s.Resource].flat().map(resource => JSON.stringify(resource)),
  }));
}

function functionId(t: Record<string, any>, description: RegExp): string {
  const ids = Object.entries(t.Resources as Record<string, any>)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && description.test(r.Properties.Description ?? ''))
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** Whether a grant allows `call` on the connections table (`tableId`) or the index it names. */
function allows(grants: Array<{ actions: string[]; resources: string[] }>, call: Call, tableId: string): boolean {
  const tableArn = JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] });
  const wanted = call.indexName
    ? JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, `/index/${call.indexName}`]] })
    : tableArn;
  return grants.some(g => g.actions.includes(call.action) && g.resources.includes(wanted));
}

const { stack, api } = webSocketApi({ connectAuthorization: WebSocketAuthorization.none(), connections: { topicParameter: 'room' } });
const sender = new lambda.Function(stack, 'Sender', {
  runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({});'), description: 'the sender',
});
api.grantManageConnections(sender);
const synthesized = template(stack).toJSON();
const tableId = Object.entries(synthesized.Resources as Record<string, any>).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')![0];

let db: LocalDynamo;
let standIn: ManagementApiStandIn;

beforeAll(async () => {
  db = await startDynalite('unused-grants');
  standIn = await startManagementApiStandIn({ gone: new Set(['gone-1', 'gone-2']) });
});

afterAll(async () => {
  await standIn.stop();
  await db.stop();
});

test('GIVEN grantManageConnections(fn) THEN every DynamoDB call of every send-helper method is allowed on the table or index it names', async () => {
  const calls: Call[] = [];
  const ddb = recordingClient(calls);
  await createConnectionsTable('grants-helper');
  await seed(ddb, 'grants-helper', [
    connection('live-1', { topic: 'lobby' }), connection('gone-1', { topic: 'lobby' }), connection('gone-2', { principal: 'user-2' }),
    connection('live-2', { principal: 'user-2' }),
  ]);
  calls.length = 0; // seeding is the test's own writing
  const helper = new WebSocketConnections({ tableName: 'grants-helper', endpoint: standIn.endpoint, dynamo: ddb, retryBaseDelayMs: 1 });
  await helper.get('live-1');
  await helper.setTopic('live-1', 'kitchen');
  await helper.send('live-1', 'one');
  await helper.sendToPrincipal('user-2', 'to a principal');
  await helper.broadcastToTopic('lobby', 'to a topic');
  await helper.broadcast('to everyone');
  await helper.disconnect('live-2');
  ddb.destroy();

  // The run went through every kind of call the helper makes: reads, the index queries, the topic
  // update and the 410 clean-up (DeleteItem for one send, BatchWriteItem for many).
  expect(new Set(calls.map(c => c.action + (c.indexName ? ` ${c.indexName}` : '')))).toEqual(new Set([
    'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query byPrincipal', 'dynamodb:Query byTopic', 'dynamodb:Scan', 'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ]));
  const grants = grantsOf(synthesized, functionId(synthesized, /^the sender$/));
  expect(calls.filter(c => !allows(grants, c, tableId))).toEqual([]);
});

test('GIVEN the library\'s $connect and $disconnect functions THEN each DynamoDB call they make is allowed, and nothing more is granted on the table', async () => {
  const calls: Call[] = [];
  const ddb = recordingClient(calls);
  await createConnectionsTable('grants-library');
  const event = { requestContext: { connectionId: 'c-1', requestId: 'r-1', connectedAt: Date.now() }, queryStringParameters: { room: 'lobby' } };
  const connect = await createConnectHandler({ tableName: 'grants-library', topicParameter: 'room', attributeParameters: [], ttlSeconds: 8100 }, ddb)(event);
  expect(connect.statusCode).toBe(200);
  const connectCalls = calls.splice(0);
  const disconnect = await createDisconnectHandler('grants-library', ddb)(event);
  expect(disconnect.statusCode).toBe(200);
  ddb.destroy();

  const connectGrants = grantsOf(synthesized, functionId(synthesized, /\$connect: records the connection$/));
  const disconnectGrants = grantsOf(synthesized, functionId(synthesized, /\$disconnect: deletes the connection$/));
  expect(connectCalls.map(c => c.action)).toEqual(['dynamodb:PutItem']);
  expect(calls.map(c => c.action)).toEqual(['dynamodb:DeleteItem']);
  expect(connectCalls.filter(c => !allows(connectGrants, c, tableId))).toEqual([]);
  expect(calls.filter(c => !allows(disconnectGrants, c, tableId))).toEqual([]);
  const tableActions = (grants: Array<{ actions: string[] }>) => grants.flatMap(g => g.actions).filter(a => a.startsWith('dynamodb:'));
  expect(tableActions(connectGrants)).toEqual(['dynamodb:PutItem']);
  expect(tableActions(disconnectGrants)).toEqual(['dynamodb:DeleteItem']);
});
