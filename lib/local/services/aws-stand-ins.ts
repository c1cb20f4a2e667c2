import { createHash, randomUUID } from 'crypto';
import type { LocalDynamo } from '../data/local-dynamo';

/** A request an AWS service integration sends, after its templates and parameters were applied. */
export interface ServiceRequest {
  /** 'dynamodb', 'sqs', 'events', 'kinesis', 'states', 's3', ... (from the integration URI). */
  readonly service: string;
  /** 'action' or 'path' (the URI's form). */
  readonly form: string;
  /** The action name (`action/PutItem`) or the path (`path/<account>/<queue>`, with `{name}` filled). */
  readonly target: string;
  readonly httpMethod: string;
  /** Lower-case header names. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly requestId: string;
}

/** What a stand-in answered, as the service would have. */
export interface ServiceResponse {
  readonly statusCode: number;
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
}

/** A message an integration sent to a recorded service (SQS, EventBridge, Kinesis, Step Functions). */
export interface RecordedMessage {
  /** 'sqs', 'events', 'kinesis' or 'states'. */
  readonly service: string;
  /** The queue name, event bus, stream name or state machine ARN. */
  readonly target: string;
  /** The message body, event detail, record data (decoded) or execution input. */
  readonly body: string;
  /** The rest of what the service received (message attributes, source, partition key, ...). */
  readonly details: Record<string, unknown>;
  /** The id the service gave it (MessageId, EventId, SequenceNumber, executionArn). */
  readonly id: string;
  /** The API request that sent it. */
  readonly requestId: string;
  readonly time: string;
  /**
   * SQS only: what became of the message when a function of the stage is subscribed to the queue
   * (an event source mapping): each delivery's function and outcome, filled in as they happen.
   */
  readonly deliveries?: QueueDelivery[];
}

/** One delivery of a recorded SQS message to a subscribed function. */
export interface QueueDelivery {
  readonly functionName: string;
  /** 'pending' while the function runs; 'processed'; 'failed' (an error, or the message in `batchItemFailures`). */
  status: 'pending' | 'processed' | 'failed';
  error?: string;
}

/** Hands an SQS message to the functions subscribed to its queue; fills in `deliveries`. */
export type QueueDeliverer = (queueName: string, message: RecordedMessage & { readonly deliveries: QueueDelivery[] }) => void;

/** An object a PUT_OBJECT integration stored. */
interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

/** DynamoDB actions the embedded engine (dynalite 4) does not have. */
const DYNAMODB_MISSING = new Set(['TransactWriteItems', 'TransactGetItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);

/** Whether a stand-in serves this service call (the integration URI's service, form and target, and its HTTP method). */
export function hasStandIn(service: string, form: string, target: string, httpMethod: string): boolean {
  const method = httpMethod.toUpperCase();
  switch (`${service}:${form}`) {
    case 'dynamodb:action': return !DYNAMODB_MISSING.has(target);
    case 'sqs:path': return method === 'POST';
    case 'events:action': return target === 'PutEvents';
    case 'kinesis:action': return target === 'PutRecord';
    case 'states:action': return target === 'StartExecution';
    case 's3:path': return ['GET', 'HEAD', 'PUT', 'DELETE'].includes(method);
    default: return false;
  }
}

/** Messages kept per service, oldest dropped past this. */
const MAX_RECORDED = 10_000;

/**
 * Local stand-ins of the AWS services API Gateway integrations call, answering in each service's own
 * wire format so that the integration's response templates and selection patterns run as deployed:
 *
 * - DynamoDB: the request goes to the local DynamoDB (dynalite), for real.
 * - SQS `SendMessage`, EventBridge `PutEvents`, Kinesis `PutRecord`, Step Functions `StartExecution`:
 *   recorded (inspectable with `GET /_local/messages` and `LocalApi.messages()`) and acknowledged
 *   with the ids the service returns. Nothing consumes them: no queue consumer, rule, stream reader or
 *   workflow runs.
 * - S3 `GetObject` / `PutObject` / `DeleteObject`: an in-memory object store (404 for a missing key).
 *
 * Anything else (Step Functions `StartSyncExecution`, which would need the workflow to run, other
 * actions and services) is refused with `undefined`, and the gateway answers 500 naming the
 * integration.
 */
export class AwsStandIns {
  private readonly recorded: RecordedMessage[] = [];
  private readonly objects = new Map<string, StoredObject>();
  private sequence = 0;

  constructor(private readonly dynamo: LocalDynamo, private readonly deliver?: QueueDeliverer) {}

  /** What the stand-in of the service answers, or `undefined` when the call is not served locally. */
  public async call(request: ServiceRequest): Promise<ServiceResponse | undefined> {
    if (!hasStandIn(request.service, request.form, request.target, request.httpMethod)) { return undefined; }
    switch (request.service) {
      case 'dynamodb': return this.dynamo.raw(request.target, request.body);
      case 'sqs': return this.sqs(request);
      case 'events': return this.putEvents(request);
      case 'kinesis': return this.putRecord(request);
      case 'states': return this.startExecution(request);
      default: return this.s3(request);
    }
  }

  /** The messages recorded so far, oldest first; of one service when given. */
  public messages(service?: string): RecordedMessage[] {
    return this.recorded.filter(m => service === undefined || m.service === service);
  }

  /** Forgets the recorded messages (of one service when given). */
  public clearMessages(service?: string): void {
    const keep = this.recorded.filter(m => service !== undefined && m.service !== service);
    this.recorded.length = 0;
    this.recorded.push(...keep);
  }

  private record(message: Omit<RecordedMessage, 'time'> & { time?: string }): void {
    this.recorded.push({ ...message, time: message.time ?? new Date().toISOString() });
    if (this.recorded.length > MAX_RECORDED) { this.recorded.shift(); }
  }

  /** SQS's query API (`Action=SendMessage&MessageBody=...`), answered in its JSON form (Accept: application/json). */
  private sqs(request: ServiceRequest): ServiceResponse {
    const form = new URLSearchParams(request.body.toString('utf8'));
    const queue = request.target.split('/').filter(Boolean).pop() ?? '';
    const action = form.get('Action');
    if (action !== 'SendMessage') {
      return sqsError(400, 'InvalidAction', `The action ${action ?? '(none)'} is not valid for this endpoint.`);
    }
    const body = form.get('MessageBody');
    if (body === null || body === '') {
      return sqsError(400, 'MissingParameter', 'The request must contain the parameter MessageBody.');
    }
    if (Buffer.byteLength(body) > 262_144) {
      return sqsError(400, 'InvalidParameterValue', 'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.');
    }
    const fifo = queue.endsWith('.fifo');
    if (fifo && !form.get('MessageGroupId')) {
      return sqsError(400, 'MissingParameter', 'The request must contain the parameter MessageGroupId.');
    }
    const attributes: Record<string, string> = {};
    for (let i = 1; form.has(`MessageAttribute.${i}.Name`); i++) {
      attributes[form.get(`MessageAttribute.${i}.Name`)!] = form.get(`MessageAttribute.${i}.Value.StringValue`) ?? '';
    }
    const messageId = randomUUID();
    const message = {
      service: 'sqs', target: queue, body, id: messageId, requestId: request.requestId, time: new Date().toISOString(),
      details: {
        attributes,
        ...(form.has('MessageGroupId') ? { messageGroupId: form.get('MessageGroupId') } : {}),
        ...(form.has('MessageDeduplicationId') ? { messageDeduplicationId: form.get('MessageDeduplicationId') } : {}),
        ...(form.has('DelaySeconds') ? { delaySeconds: Number(form.get('DelaySeconds')) } : {}),
      },
      deliveries: [] as QueueDelivery[],
    };
    this.record(message);
    this.deliver?.(queue, message);
    const md5 = createHash('md5').update(body).digest('hex');
    return json(200, {
      SendMessageResponse: {
        SendMessageResult: { MD5OfMessageBody: md5, MessageId: messageId, ...(fifo ? { SequenceNumber: this.nextSequence() } : {}) },
        ResponseMetadata: { RequestId: randomUUID() },
      },
    });
  }

  /** EventBridge `PutEvents` (JSON 1.1): each entry recorded with its bus, source and detail-type. */
  private putEvents(request: ServiceRequest): ServiceResponse {
    const parsed = parseJson(request.body);
    const entries = Array.isArray(parsed?.Entries) ? parsed.Entries as Array<Record<string, unknown>> : undefined;
    if (!entries || entries.length === 0 || entries.length > 10) {
      return awsJsonError(400, 'ValidationException', '1 validation error detected: Value at \'entries\' failed to satisfy constraint: Member must have length between 1 and 10');
    }
    const results = entries.map(entry => {
      const detail = typeof entry.Detail === 'string' ? entry.Detail : undefined;
      if (!entry.Source || !entry.DetailType || detail === undefined) {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source, DetailType and Detail are required.' };
      }
      if (parseJson(Buffer.from(detail)) === undefined) {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      const eventId = randomUUID();
      const bus = typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? entry.EventBusName : 'default';
      this.record({
        service: 'events', target: bus.split('/').pop() ?? bus, body: detail, id: eventId, requestId: request.requestId,
        details: { source: entry.Source, detailType: entry.DetailType, eventBusName: bus, ...(entry.Resources ? { resources: entry.Resources } : {}) },
      });
      return { EventId: eventId };
    });
    return json(200, { FailedEntryCount: results.filter(r => 'ErrorCode' in r).length, Entries: results }, 'application/x-amz-json-1.1');
  }

  /** Kinesis `PutRecord` (JSON 1.1): the record's data (base64) decoded into the recorded body. */
  private putRecord(request: ServiceRequest): ServiceResponse {
    const parsed = parseJson(request.body);
    const stream = String(parsed?.StreamName ?? String(parsed?.StreamARN ?? '').split('/').pop() ?? '');
    if (!stream || typeof parsed?.Data !== 'string' || typeof parsed?.PartitionKey !== 'string' || parsed.PartitionKey === '') {
      return awsJsonError(400, 'ValidationException', 'StreamName, Data and PartitionKey are required.');
    }
    const data = Buffer.from(parsed.Data, 'base64');
    if (data.length > 1_048_576) {
      return awsJsonError(400, 'ValidationException', '1 validation error detected: Value at \'data\' failed to satisfy constraint: Member must have length less than or equal to 1048576');
    }
    const sequenceNumber = this.nextSequence();
    this.record({ service: 'kinesis', target: stream, body: data.toString('utf8'), id: sequenceNumber, requestId: request.requestId, details: { partitionKey: parsed.PartitionKey } });
    return json(200, { SequenceNumber: sequenceNumber, ShardId: 'shardId-000000000000' }, 'application/x-amz-json-1.1');
  }

  /** Step Functions `StartExecution` (JSON 1.0): recorded; a name already used is ExecutionAlreadyExists. */
  private startExecution(request: ServiceRequest): ServiceResponse {
    const parsed = parseJson(request.body);
    const arn = String(parsed?.stateMachineArn ?? '');
    if (!/^arn:[^:]+:states:[^:]+:\d{12}:stateMachine:.+$/.test(arn)) {
      return awsJsonError(400, 'InvalidArn', `Invalid Arn: '${arn}'`);
    }
    const input = parsed?.input === undefined ? '{}' : String(parsed.input);
    if (parseJson(Buffer.from(input)) === undefined) {
      return awsJsonError(400, 'InvalidExecutionInput', 'Invalid State Machine Execution Input: input is not JSON');
    }
    const name = typeof parsed?.name === 'string' && parsed.name !== '' ? parsed.name : randomUUID();
    const executionArn = `${arn.replace(':stateMachine:', ':execution:')}:${name}`;
    if (this.recorded.some(m => m.service === 'states' && m.id === executionArn)) {
      return awsJsonError(400, 'ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    this.record({ service: 'states', target: arn, body: input, id: executionArn, requestId: request.requestId, details: { name } });
    return json(200, { executionArn, startDate: Date.now() / 1000 }, 'application/x-amz-json-1.0');
  }

  /** S3 objects by `<bucket>/<key>`: GET, PUT, DELETE (HEAD as GET without a body). */
  private s3(request: ServiceRequest): ServiceResponse {
    const key = request.target.replace(/^\/+/, '');
    const method = request.httpMethod.toUpperCase();
    if (method === 'PUT') {
      const etag = `"${createHash('md5').update(request.body).digest('hex')}"`;
      this.objects.set(key, { body: request.body, contentType: request.headers['content-type'] ?? 'binary/octet-stream', etag });
      return { statusCode: 200, headers: [['ETag', etag]], body: Buffer.alloc(0) };
    }
    if (method === 'DELETE') {
      this.objects.delete(key);
      return { statusCode: 204, headers: [], body: Buffer.alloc(0) };
    }
    // GET or HEAD
    const object = this.objects.get(key);
    if (!object) {
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${escapeXml(key.split('/').slice(1).join('/'))}</Key></Error>`;
      return { statusCode: 404, headers: [['Content-Type', 'application/xml']], body: Buffer.from(xml) };
    }
    return {
      statusCode: 200,
      headers: [['Content-Type', object.contentType], ['ETag', object.etag], ['Content-Length', String(object.body.length)]],
      body: method === 'HEAD' ? Buffer.alloc(0) : object.body,
    };
  }

  private nextSequence(): string {
    this.sequence += 1;
    return `4962${String(Date.now()).padStart(20, '0')}${String(this.sequence).padStart(32, '0')}`;
  }
}

function parseJson(body: Buffer): any {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function json(statusCode: number, value: unknown, contentType = 'application/json'): ServiceResponse {
  return { statusCode, headers: [['Content-Type', contentType]], body: Buffer.from(JSON.stringify(value)) };
}

function awsJsonError(statusCode: number, type: string, message: string): ServiceResponse {
  return json(statusCode, { __type: type, message }, 'application/x-amz-json-1.1');
}

/** SQS's JSON form of a query-API error. */
function sqsError(statusCode: number, code: string, message: string): ServiceResponse {
  return json(statusCode, { Error: { Type: 'Sender', Code: code, Message: message }, RequestId: randomUUID() });
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, c => `&#${c.charCodeAt(0)};`);
}
