import * as path from 'path';
import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import {
  DataAccess, EnvironmentConfig, Integration, RouteAuthorization, RouteHandler, ServerlessApi, ServerlessTable,
} from 'serverless-api-constructs';

export interface StranglerFigStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** The legacy system's base URL (https). */
  readonly legacyUrl: string;
}

/**
 * A legacy shop API, replaced route by route behind one API Gateway front door.
 *
 * Everything the API does not declare goes to the legacy system as it is (`addFallback`): method,
 * path, query string, headers and body. Moved so far:
 * - `GET /orders/{orderId}` and `POST /orders` to Lambda functions over a new DynamoDB table;
 * - `POST /orders/{orderId}/refunds` to a Step Functions workflow (202 with the execution ARN).
 * `PUT /orders/7`, `GET /orders` or `GET /customers/3` still reach the legacy system. Moving the next
 * route is one `addRoute`: it changes that route, and the deployment, nothing else.
 */
export class StranglerFigStack extends Stack {
  public readonly api: ServerlessApi;
  public readonly orders: ServerlessTable;
  public readonly refunds: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: StranglerFigStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.orders = new ServerlessTable(this, 'Orders', {
      partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      removalPolicy: config.data.removalPolicy,
      deletionProtection: config.data.deletionProtection,
      pointInTimeRecovery: config.data.pointInTimeRecovery,
    });

    this.refunds = new sfn.StateMachine(this, 'Refunds', {
      definitionBody: sfn.DefinitionBody.fromChainable(refundDefinition(this, this.orders.table)),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'RefundsLogs', { retention: config.stage.logRetention ?? logs.RetentionDays.ONE_MONTH }),
        level: sfn.LogLevel.ALL,
      },
    });
    Validations.of(this.refunds.role.node.tryFindChild('DefaultPolicy')!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Step Functions log delivery (logs:CreateLogDelivery and the other *LogDelivery / resource-policy actions) and X-Ray tracing '
        + 'support no resource-level permissions. The workflow\'s DynamoDB access is UpdateItem on the orders table only.',
    });

    this.api = new ServerlessApi(this, 'ShopApi', {
      apiName: `shop-${config.name}`,
      stageName: config.name,
      stage: config.stage,
      // The legacy system authenticates its own callers (session cookies): the front door lets them through.
      defaultAuthorization: RouteAuthorization.none(),
    });
    this.api.addFallback(Integration.http(props.legacyUrl));

    const read = RouteHandler.fromEntry(path.join(__dirname, '..', 'src', 'get-order.ts'), {
      environment: { TABLE_NAME: this.orders.table.tableName },
      dataAccess: [DataAccess.tableActions(this.orders.table, 'dynamodb:GetItem')],
    });
    const create = RouteHandler.fromEntry(path.join(__dirname, '..', 'src', 'create-order.ts'), {
      environment: { TABLE_NAME: this.orders.table.tableName },
      dataAccess: [DataAccess.tableActions(this.orders.table, 'dynamodb:PutItem')],
    });
    // The moved routes are the new system's: callers sign them (IAM), as the legacy ones never did.
    this.api.addRoute({ method: 'GET', path: '/orders/{orderId}', handler: read, authorization: RouteAuthorization.iam() });
    this.api.addRoute({ method: 'POST', path: '/orders', handler: create, authorization: RouteAuthorization.iam() });
    this.api.addRoute({
      method: 'POST', path: '/orders/{orderId}/refunds',
      integration: Integration.stepFunctions(this.refunds),
      authorization: RouteAuthorization.iam(),
    });

    Validations.of(this.api.stage.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'The legacy shop sits behind the company\'s CDN and its WAF, which forward to this API; a second web ACL here would duplicate it.',
    });
  }
}

/** Marks the order's refund as requested; the rest of the process (payment provider) is to come. */
function refundDefinition(scope: Construct, table: dynamodb.ITable): sfn.IChainable {
  return new tasks.DynamoUpdateItem(scope, 'MarkRefundRequested', {
    table,
    key: { orderId: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.path.orderId')) },
    updateExpression: 'SET refundStatus = :requested, refundRequestId = :requestId',
    expressionAttributeValues: {
      ':requested': tasks.DynamoAttributeValue.fromString('REQUESTED'),
      ':requestId': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.requestId')),
    },
    conditionExpression: 'attribute_exists(orderId)',
    resultPath: sfn.JsonPath.DISCARD,
  });
}
