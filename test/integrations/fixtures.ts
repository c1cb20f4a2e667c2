import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import Ajv from 'ajv';
import { DynamoDbAction, Integration, RequestValue, RouteAuthorization, S3Action, ServerlessApi, ServerlessApiProps, StepFunctionsMode } from '../../lib';
import {
  ApiRequest, IntegrationEntry, MethodResponse, renderIntegrationRequest, renderIntegrationResponse,
} from '../../lib/runtime/vtl';
import { testStack } from '../util';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

/** Resources of this account, imported by ARN: their names are literals in the templates. */
export function importedResources(stack: Stack) {
  return {
    queue: sqs.Queue.fromQueueArn(stack, 'Queue', `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`),
    fifoQueue: sqs.Queue.fromQueueArn(stack, 'FifoQueue', `arn:aws:sqs:${REGION}:${ACCOUNT}:orders.fifo`),
    stateMachine: sfn.StateMachine.fromStateMachineArn(stack, 'Workflow', `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:orders`),
    stream: kinesis.Stream.fromStreamArn(stack, 'Stream', `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/ingest`),
    bus: events.EventBus.fromEventBusArn(stack, 'Bus', `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/orders`),
    table: dynamodb.Table.fromTableArn(stack, 'Table', `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`),
    bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'site-bucket'),
  };
}

/** An API with one route of every kind (and a few variants), on imported resources. */
export function apiWithEveryKind(props: ServerlessApiProps = {}): { stack: Stack; api: ServerlessApi } {
  const stack = testStack();
  const r = importedResources(stack);
  const api = new ServerlessApi(stack, 'Api', props);
  const routes: Array<[string, string, Integration]> = [
    ['POST', '/orders', Integration.sqs(r.queue)],
    ['POST', '/customers/{customerId}/orders', Integration.sqs(r.fifoQueue, { messageGroupId: RequestValue.pathParameter('customerId') })],
    ['POST', '/workflows/{id}', Integration.stepFunctions(r.stateMachine)],
    ['POST', '/quotes', Integration.stepFunctions(r.stateMachine, { mode: StepFunctionsMode.SYNC })],
    ['POST', '/devices/{deviceId}/readings', Integration.kinesis(r.stream, { partitionKey: RequestValue.pathParameter('deviceId') })],
    ['POST', '/events', Integration.eventBridge(r.bus, { source: 'com.example.orders', detailType: 'OrderPlaced' })],
    ['GET', '/orders/{id}', Integration.dynamoDb(r.table, { action: DynamoDbAction.GET_ITEM, keyParameters: { orderId: 'id' } })],
    ['PUT', '/orders/{id}', Integration.dynamoDb(r.table, { action: DynamoDbAction.PUT_ITEM, keyParameters: { orderId: 'id' }, createOnly: true })],
    ['DELETE', '/orders/{id}', Integration.dynamoDb(r.table, { action: DynamoDbAction.DELETE_ITEM, keyParameters: { orderId: 'id' } })],
    ['GET', '/site/{proxy+}', Integration.s3(r.bucket, { action: S3Action.GET_OBJECT, key: 'public/{proxy}' })],
    ['PUT', '/uploads/{name}', Integration.s3(r.bucket, { action: S3Action.PUT_OBJECT, key: 'uploads/{name}.json', contentTypes: ['application/json', 'text/plain'] })],
    ['GET', '/health', Integration.mock({ statusCode: 200, body: '{"status":"ok","price":"$5 #1"}', headers: { 'Cache-Control': 'max-age=60' } })],
    ['GET', '/legacy/{proxy+}', Integration.http('https://legacy.example.com/{proxy}')],
    ['POST', '/legacy-shaped', Integration.http('https://legacy.example.com/shaped', { proxy: false, requestTemplate: '{"wrapped":$input.json(\'$\')}' })],
  ];
  for (const [method, path, integration] of routes) {
    api.addRoute({ method, path, integration, authorization: path === '/health' ? RouteAuthorization.none() : undefined });
  }
  return { stack, api };
}

/**
 * The body with CloudFormation intrinsics flattened to readable strings (`{Ref: X}` → `${X}`,
 * `{Fn::GetAtt: [X, Arn]}` → `${X.Arn}`, `{Fn::Join: ['', parts]}` → the joined string), so
 * templates can be rendered.
 */
export function flattenIntrinsics(value: any): any {
  if (Array.isArray(value)) { return value.map(flattenIntrinsics); }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Ref') { return `\${${value.Ref}}`; }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') { return `\${${value['Fn::GetAtt'].join('.')}}`; }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [separator, parts] = value['Fn::Join'];
      return parts.map(flattenIntrinsics).join(separator);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flattenIntrinsics(v)]));
  }
  return value;
}

/** The synthesized OpenAPI body of the stack's RestApi, intrinsics flattened. */
export function synthesizedBody(stack: Stack): any {
  const apis = Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi');
  return flattenIntrinsics(Object.values<any>(apis)[0].Properties.Body);
}

/** One operation of a body. */
export function operationOf(body: any, method: string, path: string): any {
  const key = method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase();
  const operation = body.paths?.[path]?.[key];
  if (!operation) { throw new Error(`no operation ${method} ${path} in the body (paths: ${Object.keys(body.paths ?? {}).join(', ')})`); }
  return operation;
}

/** The integration entry of an operation. */
export function entryOf(body: any, method: string, path: string): IntegrationEntry {
  return operationOf(body, method, path)['x-amazon-apigateway-integration'];
}

/** A request to a route, with defaults. */
export function requestTo(method: string, resourcePath: string, overrides: Partial<ApiRequest> = {}): ApiRequest {
  const pathParameters = overrides.pathParameters ?? {};
  const path = resourcePath.replace(/\{([A-Za-z0-9_]+)\+?\}/g, (_, name) => pathParameters[name] ?? name);
  return {
    httpMethod: method,
    resourcePath,
    path,
    headers: { 'Content-Type': 'application/json' },
    body: '',
    requestId: '5d1f9ac6-7b61-11e6-9a41-93e8deadbeef',
    identity: { sourceIp: '203.0.113.7' },
    ...overrides,
  };
}

/** The service request API Gateway would send (throws when the request would be rejected). */
export function serviceRequest(entry: IntegrationEntry, request: ApiRequest): string {
  const result = renderIntegrationRequest(entry, request);
  if (result.rejected) { throw new Error(`rejected ${result.statusCode}: ${result.reason}`); }
  return result.body;
}

/** The client's answer for a service response. */
export function clientResponse(entry: IntegrationEntry, request: ApiRequest, statusCode: number, body: unknown): MethodResponse {
  return renderIntegrationResponse(entry, request, { statusCode, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Validates a body against the operation's request model, as API Gateway's validator would. */
export function validatesBody(body: any, operation: any, payload: unknown): boolean {
  const ref: string | undefined = operation.requestBody?.content?.['application/json']?.schema?.$ref;
  if (!ref) { return true; }
  const schema = body.components.schemas[ref.split('/').pop()!];
  return new Ajv({ strict: false }).validate(schema, payload);
}

/** Strings that try every way out of a JSON string, a form field or a template. */
export const HOSTILE_STRINGS: string[] = [
  'plain',
  'a "double" and \'single\' quote',
  'backslashes \\ \\\\ \\\' \\" at the end \\',
  'line\nbreaks\r\nand\ttabs',
  'unicode ü € 😀 \u2028\u2029 and RTL \u202e',
  'controls \u0000 \u0001 \u001f \u007f',
  '</script><script>alert(1)</script>',
  'velocity $context.requestId #set($x = 1) ${x} $!{y} #end',
  '","stateMachineArn":"arn:aws:states:eu-west-1:999999999999:stateMachine:evil',
  '"}],"Entries":[{"Source":"aws.evil"',
  '&Action=DeleteQueue&QueueUrl=x%26',
  '',
];
