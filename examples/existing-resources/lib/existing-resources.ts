/**
 * What already exists in each environment, by ARN: nothing is looked up at synth (no AWS
 * credentials needed, and the templates never change behind your back). Replace these with your
 * own, or pass them as context: `-c prod:ordersTableArn=arn:aws:dynamodb:...`.
 */
export interface ExistingResources {
  /** The orders table: partition key 'orderId' (string). */
  readonly ordersTableArn: string;
  /** The company's Cognito user pool. */
  readonly userPoolArn: string;
  /** The reporting function another team runs. */
  readonly reportFunctionArn: string;
  /** The certificate of the stage's domain, in us-east-1 (the domain is edge-optimized). */
  readonly certificateArn: string;
  /** The stage's domain and its public hosted zone. */
  readonly domainName: string;
  readonly hostedZoneId: string;
  readonly zoneName: string;
}

export const EXISTING: Record<'dev' | 'prod', ExistingResources> = {
  dev: {
    ordersTableArn: 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders-dev',
    userPoolArn: 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_DevPool01',
    reportFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:orders-report-dev',
    certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-0000-4000-8000-00000000dev0',
    domainName: 'orders.dev.example.com',
    hostedZoneId: 'Z0123456789DEV',
    zoneName: 'dev.example.com',
  },
  prod: {
    ordersTableArn: 'arn:aws:dynamodb:eu-west-1:333333333333:table/orders',
    userPoolArn: 'arn:aws:cognito-idp:eu-west-1:333333333333:userpool/eu-west-1_ProdPool1',
    reportFunctionArn: 'arn:aws:lambda:eu-west-1:333333333333:function:orders-report',
    certificateArn: 'arn:aws:acm:us-east-1:333333333333:certificate/0a1b2c3d-0000-4000-8000-0000000prod0',
    domainName: 'orders.example.com',
    hostedZoneId: 'Z0123456789PROD',
    zoneName: 'example.com',
  },
};
