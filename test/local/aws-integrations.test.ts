/**
 * The library's Integration kinds served locally, as synthesized: DynamoDB routes against the local
 * DynamoDB for real, SQS / EventBridge / Kinesis / Step Functions messages recorded and inspectable,
 * S3 objects in the local store, mock and HTTP integrations, and a clear 501 for what is not served
 * (a SYNC Step Functions route, a VPC link).
 */
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DynamoDbAction, Integration, RequestValue, RouteAuthorization, S3Action, ServerlessApi, ServerlessWebSocketApi, StepFunctionsMode } from '../../lib';
import { LocalApi } from '../../lib/local';
import { jsonOf, startEchoBackend, startLocal, stopLocal, synthesizeStage } from './fixture';

const CONSUMER = `exports.handler = async (event) => {
  const [r] = event.Records;
  if (event.Records.length !== 1 || r.eventSource !== 'aws:sqs' || !/^arn:aws:sqs:eu-west-1:111111111111:/.test(r.eventSourceARN)
    || r.messageAttributes.requestId.dataType !== 'String' || !r.messageAttributes.requestId.stringValue || r.attributes.ApproximateReceiveCount !== '1') {
    throw new Error('not an SQS event: ' + JSON.stringify(event));
  }
  const body = JSON.parse(r.body);
  if (body.poison) { throw new Error('poisoned'); }
  return { batchItemFailures: body.skip ? [{ itemIdentifier: r.messageId }] : [] };
};`;

let backend: { origin: string; stop: () => Promise<void> };
let local: LocalApi;
let url: string;
let assemblyDir: string;

beforeAll(async () => {
  backend = await startEchoBackend();
  const origin = backend.origin;

  assemblyDir = synthesizeStage(stack => {
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING } });
    const queue = new sqs.Queue(stack, 'Queue');
    // A consumer checking the SQS event's shape: it fails on {"poison":..} and reports {"skip":..} as a batch item failure.
    const consumer = new lambda.Function(stack, 'Consumer', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline(CONSUMER),
    });
    consumer.addEventSource(new SqsEventSource(queue, { reportBatchItemFailures: true }));
    const bus = new events.EventBus(stack, 'Bus');
    const stream = new kinesis.Stream(stack, 'Stream');
    const workflow = new sfn.StateMachine(stack, 'Workflow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')) });
    const quotes = new sfn.StateMachine(stack, 'Quotes', {
      stateMachineType: sfn.StateMachineType.EXPRESS, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Quoted')),
    });
    const bucket = new s3.Bucket(stack, 'Uploads');
    const api = new ServerlessApi(stack, 'Api', { apiName: 'services', stageName: 'dev' });
    const none = RouteAuthorization.none();
    const link = apigateway.VpcLink.fromVpcLinkId(stack, 'Link', 'abc123');
    const routes: Array<[string, string, Integration]> = [
      ['GET', '/orders/{id}', Integration.dynamoDb(table, { action: DynamoDbAction.GET_ITEM, keyParameters: { orderId: 'id' } })],
      ['PUT', '/orders/{id}', Integration.dynamoDb(table, { action: DynamoDbAction.PUT_ITEM, keyParameters: { orderId: 'id' }, createOnly: true })],
      ['DELETE', '/orders/{id}', Integration.dynamoDb(table, { action: DynamoDbAction.DELETE_ITEM, keyParameters: { orderId: 'id' } })],
      ['POST', '/messages', Integration.sqs(queue)],
      ['POST', '/events', Integration.eventBridge(bus, { source: 'com.example.orders', detailType: 'OrderPlaced' })],
      ['POST', '/devices/{deviceId}/readings', Integration.kinesis(stream, { partitionKey: RequestValue.pathParameter('deviceId') })],
      ['POST', '/workflows/{id}', Integration.stepFunctions(workflow)],
      ['POST', '/quotes', Integration.stepFunctions(quotes, { mode: StepFunctionsMode.SYNC })],
      ['GET', '/files/{name}', Integration.s3(bucket, { action: S3Action.GET_OBJECT, key: 'uploads/{name}.json' })],
      ['PUT', '/files/{name}', Integration.s3(bucket, { action: S3Action.PUT_OBJECT, key: 'uploads/{name}.json', contentTypes: ['application/json'] })],
      ['GET', '/health', Integration.mock({ statusCode: 200, body: '{"status":"ok"}', headers: { 'Cache-Control': 'max-age=60' } })],
      ['GET', '/hello/{name}', Integration.mock({ statusCode: 200, template: '{"hello":"$util.escapeJavaScript($input.params(\'name\'))"}' })],
      ['POST', '/shaped', Integration.http('https://legacy.example.com/shaped', { proxy: false, requestTemplate: '{"wrapped":$input.json(\'$\')}' })],
      ['GET', '/private/{proxy+}', Integration.vpcLink(link, 'http://internal.example.com/{proxy}')],
      ['GET', '/elsewhere/{proxy+}', Integration.vpcLink(link, 'http://unmapped.example.com/{proxy}')],
    ];
    for (const [method, path, integration] of routes) {
      api.addRoute({ method, path, integration, authorization: none });
    }
    new ServerlessWebSocketApi(stack, 'Chat');
  });
  local = await startLocal(assemblyDir, { backends: { 'HTTPS://Legacy.Example.com:443/': origin, 'http://internal.example.com': origin } });
  url = local.urlOf('services');
});
afterAll(async () => {
  await stopLocal(local);
  await backend?.stop();
});

const put = (path: string, body: string, contentType = 'application/json') =>
  fetch(`${url}${path}`, { method: 'PUT', headers: { 'content-type': contentType }, body });
const post = (path: string, body: string) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('DynamoDB integration, against the local DynamoDB', () => {
  test('PUT_ITEM writes the item (204); GET_ITEM reads it back as plain JSON', async () => {
    expect((await put('/orders/o-1', '{"total":42,"note":"two \\"lamps\\""}')).status).toBe(204);
    expect(await jsonOf(await fetch(`${url}/orders/o-1`))).toMatchObject({ status: 200, body: { orderId: 'o-1', total: 42, note: 'two "lamps"' } });
  });

  test('createOnly: a second PUT of the same key is 409 (ConditionalCheckFailedException from DynamoDB)', async () => {
    expect((await put('/orders/o-2', '{"total":1}')).status).toBe(204);
    const again = await jsonOf(await put('/orders/o-2', '{"total":2}'));
    expect(again.status).toBe(409);
    expect(await jsonOf(await fetch(`${url}/orders/o-2`))).toMatchObject({ body: { total: 1 } });
  });

  test('GET of a missing item is 404; DELETE_ITEM removes an item', async () => {
    expect((await fetch(`${url}/orders/nope`)).status).toBe(404);
    await put('/orders/o-3', '{"total":3}');
    expect((await fetch(`${url}/orders/o-3`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${url}/orders/o-3`)).status).toBe(404);
  });

  test('the item is in the local table the functions see', async () => {
    await put('/orders/o-4', '{"total":4}');
    const table = local.info().tables.find(t => t.name.includes('Orders'))!;
    expect(table).toBeDefined();
    const res = await fetch(local.dynamodbEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem', 'x-amz-date': '20000101T000000Z',
        'authorization': 'AWS4-HMAC-SHA256 Credential=local/20000101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
      },
      body: JSON.stringify({ TableName: table.name, Key: { orderId: { S: 'o-4' } } }),
    });
    expect(((await res.json()) as { Item: unknown }).Item).toEqual({ orderId: { S: 'o-4' }, total: { N: '4' } });
  });

  test('a body that is not a flat JSON object is refused before DynamoDB (400)', async () => {
    expect((await put('/orders/o-5', '[1,2]')).status).toBe(400);
    expect((await fetch(`${url}/orders/o-5`)).status).toBe(404);
  });
});

describe('recorded services', () => {
  beforeEach(() => local.clearMessages());

  test('SQS: the body is the message, with its attributes; the client gets the message id', async () => {
    const res = await jsonOf(await post('/messages', '{"sku":"lamp"}'));
    expect(res.status).toBe(202);
    const [message] = local.messages('sqs');
    expect(message).toMatchObject({ service: 'sqs', body: '{"sku":"lamp"}', id: res.body.messageId });
    expect(message.target).toMatch(/Queue/);
    expect(message.details.attributes).toMatchObject({ requestId: res.body.requestId });
  });

  test('SQS: a function subscribed to the queue (event source mapping) gets the message as an SQS event; its outcome is recorded', async () => {
    await post('/messages', '{"sku":"lamp"}');
    await post('/messages', '{"poison":true}');
    await post('/messages', '{"skip":true}');
    const settled = async () => {
      for (let i = 0; i < 200; i++) {
        const deliveries = local.messages('sqs').map(m => m.deliveries?.[0]);
        if (deliveries.every(d => d && d.status !== 'pending')) { return deliveries; }
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      return local.messages('sqs').map(m => m.deliveries?.[0]);
    };
    expect(await settled()).toEqual([
      { functionName: expect.stringMatching(/Consumer/), status: 'processed' },
      { functionName: expect.stringMatching(/Consumer/), status: 'failed', error: 'Error: poisoned' },
      { functionName: expect.stringMatching(/Consumer/), status: 'failed', error: 'reported in batchItemFailures' },
    ]);
  });

  test('EventBridge: the body is the event detail, with source and detail-type', async () => {
    const res = await jsonOf(await post('/events', '{"orderId":"o-9"}'));
    expect(res.status).toBe(202);
    expect(local.messages('events')).toEqual([expect.objectContaining({
      body: '{"orderId":"o-9"}', id: res.body.eventId, details: expect.objectContaining({ source: 'com.example.orders', detailType: 'OrderPlaced' }),
    })]);
  });

  test('Kinesis: the record data is the body exactly as sent, keyed by the path parameter', async () => {
    const res = await jsonOf(await post('/devices/d-7/readings', '{"t":21.5}'));
    expect(res.status).toBe(202);
    expect(local.messages('kinesis')).toEqual([expect.objectContaining({ body: '{"t":21.5}', id: res.body.sequenceNumber, details: { partitionKey: 'd-7' } })]);
  });

  test('Step Functions StartExecution: the input is recorded; the client gets the execution ARN', async () => {
    const res = await jsonOf(await post('/workflows/w-1', '{"amount":5}'));
    expect(res.status).toBe(202);
    const [execution] = local.messages('states');
    expect(execution.id).toBe(res.body.executionArn);
    expect(execution.target).toMatch(/^arn:aws:states:eu-west-1:111111111111:stateMachine:/);
    expect(JSON.parse(execution.body)).toMatchObject({ body: { amount: 5 }, path: { id: 'w-1' } });
  });

  test('GET /_local/messages lists them; DELETE forgets them', async () => {
    await post('/messages', '{"n":1}');
    const listed = await jsonOf(await fetch(`${local.url}/_local/messages?service=sqs`));
    expect(listed.body.messages).toHaveLength(1);
    expect((await fetch(`${local.url}/_local/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(local.messages()).toEqual([]);
  });
});

describe('S3 integration, against the local object store', () => {
  test('PUT_OBJECT stores the body; GET_OBJECT returns it with its content type', async () => {
    expect((await put('/files/report', '{"pages":3}')).status).toBe(204);
    const res = await fetch(`${url}/files/report`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('{"pages":3}');
  });

  test('a missing key is 404; a content type the route does not list is 415', async () => {
    expect((await fetch(`${url}/files/missing`)).status).toBe(404);
    expect((await put('/files/other', 'plain', 'text/plain')).status).toBe(415);
  });
});

describe('mock and HTTP integrations', () => {
  test('a mock answers its fixed body and headers', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('max-age=60');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('a mock template renders per request, escaping what the client sent', async () => {
    expect(await jsonOf(await fetch(`${url}/hello/${encodeURIComponent('a"b')}`))).toMatchObject({ status: 200, body: { hello: 'a"b' } });
  });

  test('HTTP (non-proxy) sends the rendered request template to the backend the backends option maps its origin to', async () => {
    const res = await jsonOf(await post('/shaped', '{"x":1}'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ method: 'POST', url: '/shaped', body: '{"wrapped":{"x":1}}' });
  });

  test('a request template reading a body that is not JSON answers 400, as API Gateway does', async () => {
    const res = await jsonOf(await post('/shaped', '{not json'));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/Could not parse request body into json/);
  });
});

describe('VPC links', () => {
  test('a VPC link whose origin the backends option maps is served (proxy: path and method forwarded)', async () => {
    expect(await jsonOf(await fetch(`${url}/private/a/b`))).toMatchObject({ status: 200, body: { method: 'GET', url: '/a/b' } });
  });
});

test('a backends entry that is not a pair of URLs is refused at start, naming it', async () => {
  await expect(startLocal(assemblyDir, { backends: { 'legacy.example.com': 'http://127.0.0.1:1' } }))
    .rejects.toThrow("backends: 'legacy.example.com' → 'http://127.0.0.1:1' is not a pair of URLs");
});

describe('what the local server does not serve', () => {
  test('a SYNC Step Functions route answers 501 naming the integration and the route', async () => {
    const res = await jsonOf(await post('/quotes', '{}'));
    expect(res.status).toBe(501);
    expect(JSON.stringify(res.body)).toContain('AWS service integration states:action/StartSyncExecution of POST /quotes (services) is not served by the local server');
  });

  test('the routes that answer 501 are listed at start (banner and /_local/info warnings), and only those', () => {
    const warnings = local.info().warnings.filter(w => w.includes('answers 501'));
    expect(warnings.sort()).toEqual([
      expect.stringContaining('services: GET /elsewhere/{proxy+} answers 501: its VPC link integration (HTTP_PROXY to http://unmapped.example.com/{proxy}'),
      'services: POST /quotes answers 501: its AWS service integration states:action/StartSyncExecution is not served locally.',
    ]);
  });

  test('a WebSocket API of the stage is named at start as not served', () => {
    expect(local.info().warnings).toContainEqual(expect.stringMatching(/^WebSocket API \S+ \(Dev\/Api\/Chat\S*\) is not served locally: the local server serves REST APIs\.$/));
  });

  test('a VPC link without a backend mapping answers 501 naming the integration and how to serve it', async () => {
    const res = await jsonOf(await fetch(`${url}/elsewhere/a`));
    expect(res.status).toBe(501);
    expect(JSON.stringify(res.body)).toContain('VPC link integration (HTTP_PROXY to http://unmapped.example.com/{proxy}; serve it with the backends option or --backend');
  });
});
