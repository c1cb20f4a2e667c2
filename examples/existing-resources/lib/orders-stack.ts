import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { EnvironmentConfig, RouteAuthorization, RouteHandler, ServerlessApi } from 'serverless-api-constructs';
import { ExistingResources } from './existing-resources';

export interface OrdersStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly existing: ExistingResources;
}

/**
 * The orders API over resources this app does not own: it imports them by ARN and never creates,
 * replaces or deletes them. Only the API, its functions, their roles and the domain are new.
 */
export class OrdersStack extends Stack {
  public readonly api: ServerlessApi;

  constructor(scope: Construct, id: string, props: OrdersStackProps) {
    super(scope, id, props);
    const { config, existing } = props;

    const orders = dynamodb.Table.fromTableAttributes(this, 'Orders', { tableArn: existing.ordersTableArn });
    const users = cognito.UserPool.fromUserPoolArn(this, 'Users', existing.userPoolArn);
    const report = lambda.Function.fromFunctionAttributes(this, 'Report', {
      functionArn: existing.reportFunctionArn,
      sameEnvironment: true, // same account and region: the API may add its invoke permission
    });
    const certificate = acm.Certificate.fromCertificateArn(this, 'Certificate', existing.certificateArn);

    this.api = new ServerlessApi(this, 'OrdersApi', {
      apiName: `orders-${config.name}`,
      stageName: config.name,
      stage: config.stage,
      cognito: { userPool: users }, // tokens of the company's pool
    });
    // Grants on the imported table go to its ARN: GetItem, Scan, PutItem, DeleteItem, per function.
    this.api.addCrudResource('orders', {
      table: orders,
      partitionKey: 'orderId',
      idParameter: 'orderId',
      readAuthorization: RouteAuthorization.cognito(),
      writeAuthorization: RouteAuthorization.cognito(),
    });
    // The existing function serves a route as it is; the API adds one invoke permission for it.
    this.api.addRoute({ method: 'GET', path: '/reports/daily', handler: RouteHandler.fromFunction(report), authorization: RouteAuthorization.iam() });

    Validations.of(this.api.stage.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'The orders API sits behind the company\'s shared WAF at the edge (CloudFront), managed outside this app.',
    });

    this.api.addDomain({
      domainName: existing.domainName,
      certificate, // in us-east-1, as an edge-optimized domain needs: no companion certificate stack
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: existing.hostedZoneId, zoneName: existing.zoneName }),
    });
  }
}
