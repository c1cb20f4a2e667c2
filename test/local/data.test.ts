/**
 * DynamoDB for the local server: tables created from the template (keys, GSIs, TTL), functions pointed
 * at them through resolved references, TTL sweeps, and data, keys and tokens kept in a state directory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DataAccess, RouteAuthorization, ServerlessApi, ServerlessTable } from '../../lib';
import { LocalApi } from '../../lib/local';
import { inline, jsonOf, startLocal, synthesizeStage } from './fixture';

// Writes an order (POST), reads orders of a customer through the GSI (GET).
const ORDERS = `
const { DynamoDBClient, PutItemCommand, QueryCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (event) => {
  if (event.httpMethod === 'POST') {
    const o = JSON.parse(event.body);
    const item = { orderId: { S: o.orderId }, customer: { S: o.customer } };
    if (o.expiresAt !== undefined) { item.expiresAt = { N: String(o.expiresAt) }; }
    await db.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: item }));
    return { statusCode: 201, body: JSON.stringify({ table: process.env.TABLE_NAME }) };
  }
  const out = await db.send(new QueryCommand({
    TableName: process.env.TABLE_NAME, IndexName: 'byCustomer',
    KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: event.queryStringParameters.customer } },
  }));
  return { statusCode: 200, body: JSON.stringify(out.Items.map(i => i.orderId.S).sort()) };
};`;

let assembly: string;
let local: LocalApi;
let stateDirectory: string;

beforeAll(async () => {
  assembly = synthesizeStage(stack => {
    const table = new ServerlessTable(stack, 'Orders', {
      partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
      globalSecondaryIndexes: [{ indexName: 'byCustomer', partitionKey: { name: 'customer', type: dynamodb.AttributeType.STRING } }],
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const api = new ServerlessApi(stack, 'Api', { apiName: 'orders', stageName: 'dev', cognito: {} });
    api.addRoute({ method: 'GET', path: '/me', handler: inline('exports.handler = async () => ({ statusCode: 200, body: "{}" })'), authorization: RouteAuthorization.cognito() });
    const handler = inline(ORDERS, { environment: { TABLE_NAME: table.table.tableName } });
    api.addRoute({ method: 'POST', path: '/orders', handler, authorization: RouteAuthorization.none(), dataAccess: [DataAccess.readWriteData(table.table)] });
    api.addRoute({ method: 'GET', path: '/orders', handler, authorization: RouteAuthorization.none() });
    const plan = api.addUsagePlan('Plan');
    api.addApiKey('Key', { consumerName: 'acme', plans: [plan] });
    api.addRoute({ method: 'GET', path: '/keyed', handler: inline('exports.handler = async () => ({ statusCode: 200, body: "{}" })'), authorization: RouteAuthorization.none(), apiKeyRequired: true });
  });
  stateDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'local-api-state-'));
  local = await LocalApi.start({ assembly, stage: 'Dev', stateDirectory });
});
afterAll(async () => {
  await local?.stop();
  fs.rmSync(stateDirectory, { recursive: true, force: true });
  fs.rmSync(assembly, { recursive: true, force: true });
});

const post = (api: LocalApi, order: Record<string, unknown>) => fetch(`${api.urlOf('orders')}/orders`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order),
});
const byCustomer = async (api: LocalApi, customer: string) => (await jsonOf(await fetch(`${api.urlOf('orders')}/orders?customer=${customer}`))).body;

test('the function\'s TABLE_NAME reference resolves to the local table, created with its key schema', async () => {
  const res = await jsonOf(await post(local, { orderId: 'o1', customer: 'ann' }));
  expect(res.status).toBe(201);
  expect(res.body.table).toBe(local.info().tables[0].name);
});

test('the table\'s GSI exists and answers queries', async () => {
  await post(local, { orderId: 'o2', customer: 'bob' });
  await post(local, { orderId: 'o3', customer: 'bob' });
  expect(await byCustomer(local, 'bob')).toEqual(['o2', 'o3']);
});

test('items past their TTL are deleted by the sweep, others stay', async () => {
  const past = Math.floor(Date.now() / 1000) - 60;
  const future = Math.floor(Date.now() / 1000) + 3600;
  await post(local, { orderId: 'old', customer: 'cy', expiresAt: past });
  await post(local, { orderId: 'new', customer: 'cy', expiresAt: future });
  expect(await local.sweepExpiredItems()).toBe(1);
  expect(await byCustomer(local, 'cy')).toEqual(['new']);
});

test('data, API key values and token keys survive a restart with the same state directory', async () => {
  const key = local.apiKey('acme-dev');
  await post(local, { orderId: 'kept', customer: 'dee' });
  const creds = local.credentials();
  const { idToken } = local.token({ username: 'dee@example.com' });
  await local.stop();
  local = await LocalApi.start({ assembly, stage: 'Dev', stateDirectory });
  expect(await byCustomer(local, 'dee')).toEqual(['kept']);
  expect(local.apiKey('acme-dev')).toBe(key);
  expect(local.credentials()).toEqual(creds);
  expect((await fetch(`${local.urlOf('orders')}/keyed`, { headers: { 'x-api-key': key } })).status).toBe(200);
  expect((await fetch(`${local.urlOf('orders')}/me`, { headers: { authorization: idToken } })).status).toBe(200);
});

test('without a state directory nothing is kept', async () => {
  const fresh = await startLocal(assembly);
  try {
    expect(await byCustomer(fresh, 'dee')).toEqual([]);
    expect(fresh.apiKey('acme-dev')).not.toBe(local.apiKey('acme-dev'));
  } finally {
    await fresh.stop();
  }
});
