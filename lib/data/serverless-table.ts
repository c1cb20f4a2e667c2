import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { propError } from '../core/errors';
import { resolveDataProtection } from '../stages/stage-config';

/** Props of {@link ServerlessTable}. */
export interface ServerlessTableProps {
  /**
   * The partition key.
   * @default - `id`, a string
   */
  readonly partitionKey?: dynamodb.Attribute;
  /**
   * The sort key.
   * @default - none
   */
  readonly sortKey?: dynamodb.Attribute;
  /**
   * The attribute holding each item's expiry time (epoch seconds), enabling TTL.
   * @default - no TTL
   */
  readonly timeToLiveAttribute?: string;
  /**
   * Global secondary indexes (on-demand, like the table).
   * @default - none
   */
  readonly globalSecondaryIndexes?: dynamodb.GlobalSecondaryIndexProps[];
  /**
   * What happens to the table when it leaves the stack. Keep RETAIN for any data you care about.
   * @default - the stage's `EnvironmentConfig.data.removalPolicy` (see `EnvironmentConfigs.applyTo`),
   * else RemovalPolicy.RETAIN (also when `deletionProtection` is true)
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Deletion protection: the table cannot be deleted, by CloudFormation or anyone, until it is off.
   * @default - the stage's `EnvironmentConfig.data.deletionProtection` unless `removalPolicy` is set,
   * else true unless the removal policy is DESTROY
   */
  readonly deletionProtection?: boolean;
  /**
   * Point-in-time recovery (continuous backups, 35 days).
   * @default - the stage's `EnvironmentConfig.data.pointInTimeRecovery`, else true
   */
  readonly pointInTimeRecovery?: boolean;
}

/**
 * A DynamoDB table with secure, production defaults: on-demand billing, point-in-time recovery,
 * AWS-managed encryption, retained and deletion-protected unless told otherwise.
 *
 * The table's construct ID is `Resource`, so its logical ID is derived from this construct's ID
 * alone: renaming the ServerlessTable replaces the table.
 */
export class ServerlessTable extends Construct {
  /** The table. */
  public readonly table: dynamodb.Table;
  /** The partition key's name. */
  public readonly partitionKeyName: string;

  constructor(scope: Construct, id: string, props: ServerlessTableProps = {}) {
    super(scope, id);
    const data = resolveDataProtection(this, props);
    const removalPolicy = data.removalPolicy;
    const partitionKey = props.partitionKey ?? { name: 'id', type: dynamodb.AttributeType.STRING };
    if (data.deletionProtection === true && removalPolicy === RemovalPolicy.DESTROY) {
      throw propError(this, 'deletionProtection', true, 'contradicts removalPolicy DESTROY',
        'Use RETAIN (or SNAPSHOT) to keep the table, or drop deletionProtection to let the stack delete it.');
    }
    if (props.timeToLiveAttribute !== undefined && [partitionKey.name, props.sortKey?.name].includes(props.timeToLiveAttribute)) {
      throw propError(this, 'timeToLiveAttribute', props.timeToLiveAttribute, 'is a key attribute',
        'Use a separate numeric attribute holding the expiry in epoch seconds, e.g. \'expiresAt\'.');
    }
    this.partitionKeyName = partitionKey.name;
    this.table = new dynamodb.Table(this, 'Resource', {
      partitionKey,
      sortKey: props.sortKey,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: data.pointInTimeRecovery ?? true },
      deletionProtection: data.deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
      timeToLiveAttribute: props.timeToLiveAttribute,
    });
    for (const gsi of props.globalSecondaryIndexes ?? []) {
      this.table.addGlobalSecondaryIndex(gsi);
    }
    this.node.defaultChild = this.table.node.defaultChild;
  }
}
