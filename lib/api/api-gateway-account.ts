import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * The account-level API Gateway setting that lets API Gateway write access and execution logs to
 * CloudWatch Logs (`AWS::ApiGateway::Account`), with its role.
 *
 * Why it is its own construct: the setting is one per account and region, but aws-cdk-lib's
 * `cloudWatchRole: true` creates one per API, so the last API deployed overwrites it and deleting
 * that API's stack orphans (or deletes) the role every other API's logging depends on
 * (aws/aws-cdk#10878, #22954). Here the role and the setting are created at most once per stack
 * (`ApiGatewayAccount.of(stack)`), both with removal policy RETAIN, so deleting a stack never breaks
 * logging for the other APIs of the account. Turn it off (`cloudWatchRole: false` on `ServerlessApi`)
 * where a landing zone already manages the setting.
 */
export class ApiGatewayAccount extends Construct {
  /** The one instance in the stack of `scope`, created on first use. */
  public static of(scope: Construct): ApiGatewayAccount {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ApiGatewayAccount.ID);
    return (existing as ApiGatewayAccount | undefined) ?? new ApiGatewayAccount(stack, ApiGatewayAccount.ID);
  }

  private static readonly ID = 'ApiGatewayAccount';

  /** The role API Gateway assumes to push logs. */
  public readonly role: iam.Role;
  /** The account setting. */
  public readonly resource: apigateway.CfnAccount;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'CloudWatchRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets API Gateway push access and execution logs to CloudWatch Logs (account-wide setting).',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for the API Gateway account logging role; '
        + 'it holds only CloudWatch Logs actions, and AWS keeps it current when API Gateway logging changes.',
    });
    this.resource = new apigateway.CfnAccount(this, 'Resource', { cloudWatchRoleArn: this.role.roleArn });
    this.resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.node.defaultChild = this.resource;
  }
}
