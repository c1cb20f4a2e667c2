/**
 * Every mapping template the integrations generate, rendered with a real Velocity engine
 * (velocityjs, with API Gateway's $input/$util/$context from lib/runtime/vtl) for sample and hostile
 * requests: the exact service request, and that hostile input never breaks out of its field.
 */
import { ApiRequest } from '../../lib/runtime/vtl';
import {
  apiWithEveryKind, clientResponse, entryOf, HOSTILE_STRINGS, operationOf, requestTo, serviceRequest, synthesizedBody, validatesBody,
} from './fixtures';

const { stack } = apiWithEveryKind();
const body = synthesizedBody(stack);
const REQUEST_ID = '5d1f9ac6-7b61-11e6-9a41-93e8deadbeef';
const HUGE = 'a"\\\'\n😀'.repeat(200_000); // 1.4 MB of characters that all need escaping
const STANDARD_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-Request-Id': REQUEST_ID };

function form(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message, requestId: REQUEST_ID } });
}

/** The client's answer, body parsed. */
function answer(method: string, path: string, status: number, serviceBody: unknown, request: Partial<ApiRequest> = {}) {
  const response = clientResponse(entryOf(body, method, path), requestTo(method, path, request), status, serviceBody);
  return { statusCode: response.statusCode, body: response.body.trim() === '' ? undefined : JSON.parse(response.body), headers: response.headers };
}

describe('SQS SendMessage', () => {
  const entry = entryOf(body, 'POST', '/orders');

  test('GIVEN a JSON body THEN the form request carries it as the message, the request id as attribute', () => {
    expect(serviceRequest(entry, requestTo('POST', '/orders', { body: '{"item":"book"}' }))).toBe(
      'Action=SendMessage&MessageBody=%7B%22item%22%3A%22book%22%7D&MessageAttribute.1.Name=requestId'
      + `&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=${REQUEST_ID}`);
  });

  test.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s).slice(0, 40), s]))('GIVEN the body %s THEN the message is exactly the body', (_, hostile) => {
    const fields = form(serviceRequest(entry, requestTo('POST', '/orders', { body: hostile })));
    expect(fields).toEqual({
      'Action': 'SendMessage', 'MessageBody': hostile, 'MessageAttribute.1.Name': 'requestId',
      'MessageAttribute.1.Value.DataType': 'String', 'MessageAttribute.1.Value.StringValue': REQUEST_ID,
    });
  });

  test('GIVEN a 1.4 MB body THEN it is encoded whole (SQS answers the size)', () => {
    expect(form(serviceRequest(entry, requestTo('POST', '/orders', { body: HUGE }))).MessageBody).toBe(HUGE);
  });

  test('GIVEN a FIFO queue THEN group id from the path, request id as deduplication id, path parameter as attribute', () => {
    const hostile = '"&MessageGroupId=evil';
    const fields = form(serviceRequest(entryOf(body, 'POST', '/customers/{customerId}/orders'),
      requestTo('POST', '/customers/{customerId}/orders', { body: 'x', pathParameters: { customerId: hostile } })));
    expect(fields).toMatchObject({ 'MessageGroupId': hostile, 'MessageDeduplicationId': REQUEST_ID, 'MessageAttribute.2.Name': 'path.customerId', 'MessageAttribute.2.Value.StringValue': hostile });
  });

  test('GIVEN SendMessage succeeds THEN 202 with the message id', () => {
    expect(answer('POST', '/orders', 200, { SendMessageResponse: { SendMessageResult: { MessageId: 'm-1' } } }))
      .toEqual({ statusCode: 202, body: { messageId: 'm-1', requestId: REQUEST_ID }, headers: STANDARD_HEADERS });
  });

  test.each([
    [400, { Error: { Code: 'InvalidParameterValue', Message: 'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.' } }, 413, 'PayloadTooLarge', 'The message is larger than the queue accepts.'],
    [400, { __type: 'com.amazonaws.sqs#InvalidMessageContents', message: 'Invalid characters' }, 400, 'BadRequest', 'The queue does not accept this message (empty, or with characters SQS does not allow).'],
    [400, { Error: { Code: 'AWS.SimpleQueueService.RequestThrottled' } }, 429, 'TooManyRequests', 'The service is busy; retry with backoff.'],
    [403, { Error: { Code: 'AccessDenied', Message: 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized' } }, 500, 'InternalError', 'The request could not be completed.'],
    [400, '<ErrorResponse><Error><Code>Whatever</Code></Error></ErrorResponse>', 500, 'InternalError', 'The request could not be completed.'],
    [500, { Error: { Code: 'InternalError' } }, 502, 'BadGateway', 'The service behind this route failed.'],
  ])('GIVEN SQS answers %s %j THEN %s %s, without the service\'s message', (status, serviceBody, clientStatus, code, message) => {
    const result = answer('POST', '/orders', status, serviceBody);
    expect(result.statusCode).toBe(clientStatus);
    expect(JSON.stringify(result.body)).toBe(errorBody(code, message));
  });
});

describe('Step Functions', () => {
  const start = entryOf(body, 'POST', '/workflows/{id}');
  const sync = entryOf(body, 'POST', '/quotes');

  test('GIVEN a request THEN StartExecution gets the request document as input and the request id as name', () => {
    const output = serviceRequest(start, requestTo('POST', '/workflows/{id}', {
      body: '{"amount":12}', pathParameters: { id: 'w-1' }, queryStringParameters: { dryRun: 'true' },
      authorizer: { claims: { sub: 'user-1' } },
    }));
    expect(output).toBe('{"stateMachineArn":"arn:aws:states:eu-west-1:123456789012:stateMachine:orders","name":"5d1f9ac6-7b61-11e6-9a41-93e8deadbeef",'
      + '"input":"{\\"body\\":{\\"amount\\":12},\\"path\\":{\\"id\\":\\"w-1\\"},\\"query\\":{\\"dryRun\\":\\"true\\"},'
      + '\\"requestId\\":\\"5d1f9ac6-7b61-11e6-9a41-93e8deadbeef\\",\\"caller\\":{\\"sourceIp\\":\\"203.0.113.7\\",\\"userArn\\":\\"\\",'
      + '\\"principalId\\":\\"\\",\\"sub\\":\\"user-1\\"}}"}');
  });

  test.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s).slice(0, 40), s]))(
    'GIVEN %s in body keys and values, path, query keys and values THEN the input is exactly that document', (_, hostile) => {
      const payload = { [hostile]: hostile, nested: { list: [hostile, 1, true, null] } };
      const request = requestTo('POST', '/workflows/{id}', {
        body: JSON.stringify(payload), pathParameters: { id: hostile }, queryStringParameters: { [hostile]: hostile },
        identity: { sourceIp: hostile, userArn: hostile },
      });
      const sent = JSON.parse(serviceRequest(start, request));
      expect(Object.keys(sent)).toEqual(['stateMachineArn', 'name', 'input']);
      expect(sent.stateMachineArn).toBe('arn:aws:states:eu-west-1:123456789012:stateMachine:orders');
      expect(JSON.parse(sent.input)).toEqual({
        body: payload, path: { id: hostile }, query: { [hostile]: hostile }, requestId: REQUEST_ID,
        caller: { sourceIp: hostile, userArn: hostile, principalId: '', sub: '' },
      });
    });

  test('GIVEN no body and no query THEN body is {} and query is empty', () => {
    const sent = JSON.parse(serviceRequest(start, requestTo('POST', '/workflows/{id}', { pathParameters: { id: 'w' } })));
    expect(JSON.parse(sent.input)).toMatchObject({ body: {}, path: { id: 'w' }, query: {} });
  });

  test('GIVEN a 1.4 MB string in the body THEN the input still parses to it', () => {
    const sent = JSON.parse(serviceRequest(start, requestTo('POST', '/workflows/{id}', { body: JSON.stringify({ big: HUGE }), pathParameters: { id: 'w' } })));
    expect(JSON.parse(sent.input).body.big).toBe(HUGE);
  });

  test('GIVEN a body that is not a JSON object THEN the model rejects it before the template', () => {
    const operation = operationOf(body, 'POST', '/workflows/{id}');
    expect([validatesBody(body, operation, { a: 1 }), validatesBody(body, operation, [1]), validatesBody(body, operation, 'x')]).toEqual([true, false, false]);
  });

  test('GIVEN StartExecution succeeds THEN 202 with the execution ARN', () => {
    expect(answer('POST', '/workflows/{id}', 200, { executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:orders:x', startDate: 1.7e9 }).body)
      .toEqual({ executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:orders:x', requestId: REQUEST_ID });
  });

  test.each([
    [{ __type: 'com.amazonaws.swf.service.v2.model#InvalidExecutionInput', message: 'Invalid' }, 400, 'BadRequest'],
    [{ __type: 'com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists' }, 409, 'Conflict'],
    [{ __type: 'com.amazonaws.swf.service.v2.model#ExecutionLimitExceeded' }, 429, 'TooManyRequests'],
    [{ __type: 'com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist' }, 500, 'InternalError'],
  ])('GIVEN StartExecution fails with %j THEN %s %s', (serviceBody, status, code) => {
    const result = answer('POST', '/workflows/{id}', 400, serviceBody);
    expect([result.statusCode, result.body.error.code]).toEqual([status, code]);
  });

  test('GIVEN a SYNC execution succeeds THEN 200 with the workflow\'s output as is', () => {
    expect(answer('POST', '/quotes', 200, { status: 'SUCCEEDED', output: '{"price":12,"currency":"EUR"}' }))
      .toEqual({ statusCode: 200, body: { price: 12, currency: 'EUR' }, headers: STANDARD_HEADERS });
  });

  test.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s).slice(0, 40), s]))(
    'GIVEN a SYNC execution fails with NotFound and the cause %s THEN 404 with the cause as message', (_, hostile) => {
      expect(answer('POST', '/quotes', 200, { status: 'FAILED', error: 'NotFound', cause: hostile }))
        .toEqual({ statusCode: 404, body: { error: { code: 'NotFound', message: hostile, requestId: REQUEST_ID } }, headers: STANDARD_HEADERS });
    });

  test.each([
    [{ status: 'FAILED', error: 'Conflict', cause: 'taken' }, 409, { code: 'Conflict', message: 'taken' }],
    [{ status: 'FAILED', error: 'States.TaskFailed', cause: 'stack trace with secrets' }, 500, { code: 'InternalError', message: 'The workflow failed.' }],
    [{ status: 'TIMED_OUT' }, 504, { code: 'GatewayTimeout', message: 'The workflow did not finish in time.' }],
  ])('GIVEN a SYNC execution ends %j THEN %s', (serviceBody, status, error) => {
    expect(answer('POST', '/quotes', 200, serviceBody)).toMatchObject({ statusCode: status, body: { error: { ...error, requestId: REQUEST_ID } } });
  });

  test('GIVEN StartSyncExecution THEN the SYNC route calls it, not StartExecution', () => {
    expect([start.uri, sync.uri]).toEqual(['arn:aws:apigateway:eu-west-1:states:action/StartExecution', 'arn:aws:apigateway:eu-west-1:states:action/StartSyncExecution']);
  });
});

describe('Kinesis PutRecord', () => {
  const entry = entryOf(body, 'POST', '/devices/{deviceId}/readings');

  test('GIVEN a reading THEN the record is the base64 body, partitioned by device', () => {
    expect(serviceRequest(entry, requestTo('POST', '/devices/{deviceId}/readings', { body: '{"t":21.5}', pathParameters: { deviceId: 'd-1' } })))
      .toBe('{"StreamName":"ingest","Data":"eyJ0IjoyMS41fQ==","PartitionKey":"d-1"}');
  });

  test.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s).slice(0, 40), s]))('GIVEN %s as body and device THEN data and key are exactly them', (_, hostile) => {
    const sent = JSON.parse(serviceRequest(entry, requestTo('POST', '/devices/{deviceId}/readings', { body: hostile, pathParameters: { deviceId: hostile } })));
    expect(sent).toEqual({ StreamName: 'ingest', Data: Buffer.from(hostile, 'utf8').toString('base64'), PartitionKey: hostile });
  });

  test('GIVEN a 1.4 MB body THEN it is encoded whole (Kinesis answers the size)', () => {
    const sent = JSON.parse(serviceRequest(entry, requestTo('POST', '/devices/{deviceId}/readings', { body: HUGE, pathParameters: { deviceId: 'd' } })));
    expect(Buffer.from(sent.Data, 'base64').toString('utf8')).toBe(HUGE);
  });

  test('GIVEN PutRecord succeeds THEN 202 with sequence number and shard', () => {
    expect(answer('POST', '/devices/{deviceId}/readings', 200, { SequenceNumber: '4959', ShardId: 'shardId-000000000000' }).body)
      .toEqual({ sequenceNumber: '4959', shardId: 'shardId-000000000000', requestId: REQUEST_ID });
  });

  test.each([
    [{ __type: 'ProvisionedThroughputExceededException', message: 'Rate exceeded for shard' }, 429],
    [{ __type: 'ValidationException', message: '1 validation error detected: Value at \'data\' failed to satisfy constraint: Member must have length less than or equal to 1048576' }, 413],
    [{ __type: 'ValidationException', message: 'Value at \'partitionKey\' failed to satisfy constraint: Member must have length greater than or equal to 1' }, 400],
    [{ __type: 'ResourceNotFoundException', message: 'Stream ingest under account 123456789012 not found.' }, 500],
  ])('GIVEN PutRecord fails with %j THEN %s', (serviceBody, status) => {
    expect(answer('POST', '/devices/{deviceId}/readings', 400, serviceBody).statusCode).toBe(status);
  });
});

describe('EventBridge PutEvents', () => {
  const entry = entryOf(body, 'POST', '/events');

  test('GIVEN an order THEN one event with the body as detail', () => {
    expect(serviceRequest(entry, requestTo('POST', '/events', { body: '{"orderId":"o-1"}' }))).toBe(
      '{"Entries":[{"EventBusName":"arn:aws:events:eu-west-1:123456789012:event-bus/orders","Source":"com.example.orders",'
      + '"DetailType":"OrderPlaced","Detail":"{\\"orderId\\":\\"o-1\\"}"}]}');
  });

  test.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s).slice(0, 40), s]))('GIVEN %s in the body THEN the detail is exactly the body, and one entry only', (_, hostile) => {
    const payload = { [hostile]: [hostile, { x: hostile }] };
    const sent = JSON.parse(serviceRequest(entry, requestTo('POST', '/events', { body: JSON.stringify(payload) })));
    expect(sent.Entries).toHaveLength(1);
    expect(sent.Entries[0].Source).toBe('com.example.orders');
    expect(JSON.parse(sent.Entries[0].Detail)).toEqual(payload);
  });

  test.each([
    [{ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] }, 202, { eventId: 'e-1', requestId: REQUEST_ID }],
    [{ FailedEntryCount: 1, Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }] }, 400, { error: { code: 'BadRequest', message: 'The event bus does not accept this event.', requestId: REQUEST_ID } }],
    [{ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] }, 429, { error: { code: 'TooManyRequests', message: 'The service is busy; retry with backoff.', requestId: REQUEST_ID } }],
    [{ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException' }] }, 500, { error: { code: 'InternalError', message: 'The request could not be completed.', requestId: REQUEST_ID } }],
  ])('GIVEN PutEvents answers 200 %j THEN %s', (serviceBody, status, expected) => {
    expect(answer('POST', '/events', 200, serviceBody)).toMatchObject({ statusCode: status, body: expected });
  });
});

describe('DynamoDB', () => {
  test('GIVEN GET /orders/{id} THEN GetItem with the key from the path', () => {
    expect(serviceRequest(entryOf(body, 'GET', '/orders/{id}'), requestTo('GET', '/orders/{id}', { pathParameters: { id: 'o-1' } })))
      .toBe('{"TableName":"orders","Key":{"orderId":{"S":"o-1"}},"ConsistentRead":false}');
  });

  test.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s).slice(0, 40), s]))('GIVEN the id %s THEN the key is exactly it', (_, hostile) => {
    for (const method of ['GET', 'DELETE']) {
      const sent = JSON.parse(serviceRequest(entryOf(body, method, '/orders/{id}'), requestTo(method, '/orders/{id}', { pathParameters: { id: hostile } })));
      expect(sent.Key).toEqual({ orderId: { S: hostile } });
      expect(sent.TableName).toBe('orders');
    }
  });

  test('GIVEN an item THEN GET answers it as plain JSON (sets as arrays, nested types kept typed)', () => {
    expect(answer('GET', '/orders/{id}', 200, {
      Item: {
        orderId: { S: 'o-1' }, qty: { N: '2' }, price: { N: '12.50' }, paid: { BOOL: false }, note: { NULL: true }, tags: { SS: ['a', 'b"c'] },
        sizes: { NS: ['1', '2.5'] }, blob: { B: 'AAE=' }, address: { M: { city: { S: 'Oslo' } } }, lines: { L: [{ N: '1' }] },
      },
    }).body).toEqual({
      orderId: 'o-1', qty: 2, price: 12.5, paid: false, note: null, tags: ['a', 'b"c'], sizes: [1, 2.5], blob: 'AAE=',
      address: { M: { city: { S: 'Oslo' } } }, lines: { L: [{ N: '1' }] },
    });
  });

  test.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s).slice(0, 40), s]))('GIVEN an item with %s as attribute name and value THEN the answer is that item', (_, hostile) => {
    expect(answer('GET', '/orders/{id}', 200, { Item: { [hostile]: { S: hostile }, set: { SS: [hostile] }, nested: { M: {} } } }).body)
      .toEqual({ [hostile]: hostile, set: [hostile], nested: { M: {} } });
  });

  test('GIVEN no item THEN 404 in the error shape', () => {
    expect(answer('GET', '/orders/{id}', 200, {})).toEqual({ statusCode: 404, body: JSON.parse(errorBody('NotFound', 'No item has this key.')), headers: STANDARD_HEADERS });
  });

  test('GIVEN a flat body THEN PUT writes the key from the path and typed attributes, create-only', () => {
    const sent = JSON.parse(serviceRequest(entryOf(body, 'PUT', '/orders/{id}'), requestTo('PUT', '/orders/{id}', {
      pathParameters: { id: 'o-1' }, body: '{"status":"new","qty":2,"price":-1.5e3,"paid":false,"note":null,"orderId":"not the key"}',
    })));
    expect(sent).toEqual({
      TableName: 'orders',
      Item: { orderId: { S: 'o-1' }, status: { S: 'new' }, qty: { N: '2' }, price: { N: '-1500' }, paid: { BOOL: false }, note: { NULL: true } },
      ConditionExpression: 'attribute_not_exists(#k)',
      ExpressionAttributeNames: { '#k': 'orderId' },
    });
  });

  test.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s).slice(0, 40), s]))('GIVEN %s as id and values THEN PUT stores exactly them', (_, hostile) => {
    const sent = JSON.parse(serviceRequest(entryOf(body, 'PUT', '/orders/{id}'), requestTo('PUT', '/orders/{id}', {
      pathParameters: { id: hostile }, body: JSON.stringify({ a: hostile, b_2: hostile }),
    })));
    expect(sent.Item).toEqual({ orderId: { S: hostile }, a: { S: hostile }, b_2: { S: hostile } });
  });

  test('GIVEN bodies that are not flat items THEN the model rejects them before the template', () => {
    const operation = operationOf(body, 'PUT', '/orders/{id}');
    const verdicts = [{ a: 'x', b: 1, c: true, d: null }, { a: { nested: 1 } }, { a: [1] }, { 'a b': 1 }, { 'a"b': 1 }, { '': 1 }, [1], 'x']
      .map(payload => validatesBody(body, operation, payload));
    expect(verdicts).toEqual([true, false, false, false, false, false, false, false]);
  });

  test('GIVEN the key exists THEN PUT answers 409; GIVEN it succeeds THEN 204 without body', () => {
    expect(answer('PUT', '/orders/{id}', 400, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' }))
      .toMatchObject({ statusCode: 409, body: { error: { code: 'Conflict' } } });
    expect(answer('PUT', '/orders/{id}', 200, {})).toEqual({ statusCode: 204, body: undefined, headers: STANDARD_HEADERS });
  });

  test('GIVEN DELETE of an existing item THEN 204; of none THEN 404', () => {
    expect(answer('DELETE', '/orders/{id}', 200, { Attributes: { orderId: { S: 'o-1' } } }).statusCode).toBe(204);
    expect(answer('DELETE', '/orders/{id}', 200, {}).statusCode).toBe(404);
  });

  test.each([
    [{ __type: 'com.amazonaws.dynamodb.v20120810#ValidationException', message: 'Item size has exceeded the maximum allowed size' }, 413],
    [{ __type: 'com.amazonaws.dynamodb.v20120810#ValidationException', message: 'One or more parameter values were invalid' }, 400],
    [{ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException' }, 429],
    [{ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' }, 500],
  ])('GIVEN DynamoDB fails with %j THEN %s', (serviceBody, status) => {
    expect(answer('PUT', '/orders/{id}', 400, serviceBody).statusCode).toBe(status);
  });
});

describe('S3', () => {
  test('GIVEN GET /site/{proxy+} THEN the object key is public/<proxy> by path mapping, no body', () => {
    const entry = entryOf(body, 'GET', '/site/{proxy+}');
    expect([entry.uri, entry.httpMethod, entry.requestParameters]).toEqual([
      'arn:aws:apigateway:eu-west-1:s3:path/site-bucket/public/{proxy}', 'GET', { 'integration.request.path.proxy': 'method.request.path.proxy' },
    ]);
    expect(serviceRequest(entry, requestTo('GET', '/site/{proxy+}', { pathParameters: { proxy: 'a/b.html' } }))).toBe('');
  });

  test('GIVEN the object THEN 200 with its body and Content-Type as they are', () => {
    const response = clientResponse(entryOf(body, 'GET', '/site/{proxy+}'), requestTo('GET', '/site/{proxy+}'), 200, '<html>"</html>');
    expect([response.statusCode, response.body]).toEqual([200, '<html>"</html>']);
    expect(entryOf(body, 'GET', '/site/{proxy+}').responses!.default.responseParameters!['method.response.header.Content-Type']).toBe('integration.response.header.Content-Type');
  });

  test.each([
    [404, '<Error><Code>NoSuchKey</Code></Error>', 404, 'NotFound'],
    [403, '<Error><Code>AccessDenied</Code></Error>', 500, 'InternalError'],
    [503, '<Error><Code>SlowDown</Code></Error>', 429, 'TooManyRequests'],
    [500, '<Error><Code>InternalError</Code></Error>', 502, 'BadGateway'],
  ])('GIVEN S3 answers %s THEN %s %s', (status, serviceBody, clientStatus, code) => {
    const result = answer('GET', '/site/{proxy+}', status, serviceBody);
    expect([result.statusCode, result.body.error.code]).toEqual([clientStatus, code]);
  });

  test('GIVEN PUT with an accepted content type THEN the body passes as is; other types get 415', () => {
    const entry = entryOf(body, 'PUT', '/uploads/{name}');
    expect(serviceRequest(entry, requestTo('PUT', '/uploads/{name}', { pathParameters: { name: 'n' }, headers: { 'Content-Type': 'text/plain' }, body: HOSTILE_STRINGS.join('|') })))
      .toBe(HOSTILE_STRINGS.join('|'));
    expect(() => serviceRequest(entry, requestTo('PUT', '/uploads/{name}', { pathParameters: { name: 'n' }, headers: { 'Content-Type': 'image/png' }, body: 'x' })))
      .toThrow('rejected 415');
  });
});

describe('mock', () => {
  test('GIVEN a fixed body with $ and # THEN it is answered as written, with its headers', () => {
    expect(answer('GET', '/health', 200, '')).toEqual({
      statusCode: 200, body: { status: 'ok', price: '$5 #1' }, headers: { ...STANDARD_HEADERS, 'Cache-Control': 'max-age=60' },
    });
  });

  test('GIVEN any request THEN the mock request template selects the status', () => {
    expect(serviceRequest(entryOf(body, 'GET', '/health'), requestTo('GET', '/health', { body: HOSTILE_STRINGS.join('') }))).toBe('{"statusCode": 200}');
  });
});

describe('HTTP', () => {
  test('GIVEN a proxy route THEN the path is mapped and everything else passes as is', () => {
    expect(entryOf(body, 'GET', '/legacy/{proxy+}')).toEqual({
      type: 'http_proxy', uri: 'https://legacy.example.com/{proxy}', httpMethod: 'GET', timeoutInMillis: 29000, passthroughBehavior: 'when_no_match',
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    });
  });

  test.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s).slice(0, 40), s]))('GIVEN a non-proxy template and %s in the body THEN the request wraps it exactly', (_, hostile) => {
    const sent = serviceRequest(entryOf(body, 'POST', '/legacy-shaped'), requestTo('POST', '/legacy-shaped', { body: JSON.stringify({ v: hostile }) }));
    expect(JSON.parse(sent)).toEqual({ wrapped: { v: hostile } });
  });

  test('GIVEN the backend answers 404 THEN 404 with its body; 5XX THEN 502 in the error shape', () => {
    expect(answer('POST', '/legacy-shaped', 404, { message: 'gone' })).toMatchObject({ statusCode: 404, body: { message: 'gone' } });
    expect(answer('POST', '/legacy-shaped', 500, 'stack trace')).toMatchObject({ statusCode: 502, body: JSON.parse(errorBody('BadGateway', 'The service behind this route failed.')) });
  });
});

describe('every generated template', () => {
  const operations: Array<[string, string]> = [];
  for (const [path, item] of Object.entries<any>(body.paths)) {
    for (const key of Object.keys(item)) {
      const integration = item[key]['x-amazon-apigateway-integration'];
      if (integration?.requestTemplates) {
        operations.push([key === 'x-amazon-apigateway-any-method' ? 'ANY' : key.toUpperCase(), path]);
      }
    }
  }

  test('GIVEN a content type without a template THEN 415 (passthrough NEVER)', () => {
    expect(operations.length).toBeGreaterThanOrEqual(13);
    for (const [method, path] of operations) {
      const entry = entryOf(body, method, path);
      expect(entry.passthroughBehavior).toBe('never');
      expect(() => serviceRequest(entry, requestTo(method, path, { headers: { 'Content-Type': 'application/x-evil' }, body: 'x' }))).toThrow('rejected 415');
    }
  });

  test('GIVEN requests without parameters, query or identity THEN every template still renders valid output', () => {
    for (const [method, path] of operations) {
      const entry = entryOf(body, method, path);
      const params = Object.fromEntries([...path.matchAll(/\{([A-Za-z]+)\+?\}/g)].map(m => [m[1], '']));
      const sent = serviceRequest(entry, { httpMethod: method, resourcePath: path, path, pathParameters: params, headers: {} });
      if (sent.startsWith('{')) {
        expect(() => JSON.parse(sent)).not.toThrow();
      }
    }
  });

  test('GIVEN every response template and hostile service answers THEN the client gets JSON (or the passed-through body)', () => {
    const serviceAnswers: Array<[number, string]> = [
      [200, '{}'], [200, '{"status":"FAILED","error":"\\"}","cause":"\\u0000"}'], [400, '{"__type":"x#\\"y","message":"\\n"}'],
      [400, '<xml/>'], [403, ''], [500, '{"Error":{"Code":"\\""}}'], [502, 'not json'],
    ];
    for (const [method, path] of operations) {
      const entry = entryOf(body, method, path);
      for (const [status, serviceBody] of serviceAnswers) {
        const response = clientResponse(entry, requestTo(method, path, { pathParameters: {} }), status, serviceBody);
        const passedThrough = response.body === serviceBody;
        if (!passedThrough && response.body.trim() !== '') {
          expect(() => JSON.parse(response.body)).not.toThrow();
        }
      }
    }
  });
});
