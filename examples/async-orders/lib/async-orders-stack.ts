import * as path from 'path';
import { Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  Audit, DynamoDbAction, EnvironmentConfig, Integration, RouteAuthorization, ServerlessApi, ServerlessTable, StepFunctionsMode,
} from 'serverless-api-constructs';

export interface AsyncOrdersStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * Orders taken asynchronously, with no Lambda on the request path:
 * - `POST /orders` puts the order on a queue (202 with the order id, which is the request id); a
 *   Lambda consumer processes it, retries it, and leaves it on a dead-letter queue after 3 failures.
 * - `GET /orders/{orderId}` reads the order's status straight from DynamoDB.
 * - `POST /quotes` prices an order with a synchronous Express workflow (its output is the answer).
 */
export class AsyncOrdersStack extends Stack {
  public readonly api: ServerlessApi;
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly table: ServerlessTable;
  public readonly consumer: nodejs.NodejsFunction;
  public readonly quotes: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: AsyncOrdersStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.table = new ServerlessTable(this, 'Orders', {
      partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      removalPolicy: config.data.removalPolicy,
      deletionProtection: config.data.deletionProtection,
      pointInTimeRecovery: config.data.pointInTimeRecovery,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'OrdersDeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'OrdersQueue', {
      visibilityTimeout: Duration.seconds(60), // six times the consumer's timeout
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
    });

    // The consumer's own role: its log group, the table's PutItem and the queue, nothing managed.
    const consumerLogs = new logs.LogGroup(this, 'ProcessOrderLogs', { retention: config.stage.logRetention ?? logs.RetentionDays.ONE_MONTH });
    const consumerRole = new iam.Role(this, 'ProcessOrderRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    consumerLogs.grantWrite(consumerRole);
    this.consumer = new nodejs.NodejsFunction(this, 'ProcessOrder', {
      role: consumerRole,
      entry: path.join(__dirname, '..', 'src', 'process-order.ts'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: consumerLogs,
      environment: { TABLE_NAME: this.table.table.tableName },
      bundling: { minify: true, externalModules: ['@aws-sdk/*'] },
    });
    this.table.table.grant(this.consumer, 'dynamodb:PutItem');
    // Failed records go back to the queue one by one (not the whole batch), then to the DLQ.
    this.consumer.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
    Audit.acknowledgeXRayWriteAccess(consumerRole);

    this.quotes = new sfn.StateMachine(this, 'Quotes', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(quoteDefinition(this)),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'QuotesLogs', { retention: config.stage.logRetention ?? logs.RetentionDays.ONE_MONTH }),
        level: sfn.LogLevel.ALL, // every state transition, without the orders' data (includeExecutionData is off)
      },
    });
    Validations.of(this.quotes.role.node.tryFindChild('DefaultPolicy')!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Step Functions log delivery (logs:CreateLogDelivery and the other *LogDelivery / resource-policy actions) and X-Ray tracing '
        + '(xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) support no resource-level permissions.',
    });

    this.api = new ServerlessApi(this, 'OrdersApi', {
      apiName: `async-orders-${config.name}`,
      stageName: config.name,
      stage: config.stage,
    });
    // The order id is the request id: the client gets it at once, the consumer keys the item by it.
    this.api.addRoute({
      method: 'POST', path: '/orders',
      integration: Integration.sqs(this.queue, { responseTemplate: '{"orderId":"$context.requestId","status":"QUEUED"}' }),
    });
    this.api.addRoute({
      method: 'GET', path: '/orders/{orderId}',
      integration: Integration.dynamoDb(this.table.table, { action: DynamoDbAction.GET_ITEM, consistentRead: true }),
    });
    this.api.addRoute({
      method: 'POST', path: '/quotes',
      integration: Integration.stepFunctions(this.quotes, { mode: StepFunctionsMode.SYNC }),
    });
    this.api.addRoute({
      method: 'GET', path: '/health',
      integration: Integration.mock({ statusCode: 200, body: '{"status":"ok"}' }),
      authorization: RouteAuthorization.none(),
    });

    Validations.of(this.api.stage.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'Every route but /health requires IAM-signed requests from the shop\'s own services; WAF is not in front of this internal API.',
    });
    Validations.of(this.deadLetterQueue.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of OrdersQueue; it has none of its own by design.',
    });
  }
}

/**
 * The quote workflow: 400 (a `BadRequest` failure) without a positive quantity, else the price.
 * Its input is the library's request document: `{ body, path, query, requestId, caller }`.
 */
function quoteDefinition(scope: Construct): sfn.IChainable {
  const invalid = new sfn.Fail(scope, 'QuantityMissing', { error: 'BadRequest', cause: 'quantity must be a number from 1 to 1000' });
  const price = new sfn.Pass(scope, 'Price', {
    parameters: {
      'quantity.$': '$.body.quantity',
      'unitPrice': 12.5,
      'currency': 'EUR',
      'quoteId.$': '$.requestId',
    },
  });
  // Type tests first: a comparison on a missing or non-numeric field would fail the execution (500).
  const inRange = new sfn.Choice(scope, 'QuantityInRange')
    .when(sfn.Condition.and(
      sfn.Condition.numberGreaterThanEquals('$.body.quantity', 1),
      sfn.Condition.numberLessThanEquals('$.body.quantity', 1000)), price)
    .otherwise(invalid);
  return new sfn.Choice(scope, 'QuantityIsNumber')
    .when(sfn.Condition.and(sfn.Condition.isPresent('$.body.quantity'), sfn.Condition.isNumeric('$.body.quantity')), inRange)
    .otherwise(invalid);
}
