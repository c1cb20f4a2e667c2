import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Names } from 'aws-cdk-lib';

/**
 * A permission a route's function needs, applied with the resource's own `grant*` method.
 *
 * Routes whose functions need exactly the same set of `DataAccess` share one execution role, so an
 * API of a thousand functions does not pay a thousand roles, and no function holds a permission that
 * another route needed.
 */
export class DataAccess {
  /** Read items: `table.grantReadData()` (GetItem, BatchGetItem, Query, Scan, ConditionCheckItem, DescribeTable). */
  public static readData(table: dynamodb.ITable): DataAccess {
    return new DataAccess(`read:${tableKey(table)}`, `read data of ${tableKey(table)}`, g => table.grantReadData(g));
  }

  /** Write items: `table.grantWriteData()`. */
  public static writeData(table: dynamodb.ITable): DataAccess {
    return new DataAccess(`write:${tableKey(table)}`, `write data of ${tableKey(table)}`, g => table.grantWriteData(g));
  }

  /** Read and write items: `table.grantReadWriteData()`. */
  public static readWriteData(table: dynamodb.ITable): DataAccess {
    return new DataAccess(`readwrite:${tableKey(table)}`, `read and write data of ${tableKey(table)}`, g => table.grantReadWriteData(g));
  }

  /**
   * Exactly the listed DynamoDB actions on the table (and its indexes): `table.grant(grantee, ...actions)`.
   * Use it for least privilege, e.g. `DataAccess.tableActions(table, 'dynamodb:PutItem')`.
   */
  public static tableActions(table: dynamodb.ITable, ...actions: string[]): DataAccess {
    const sorted = [...new Set(actions)].sort();
    return new DataAccess(`actions:${tableKey(table)}:${sorted.join(',')}`, `${sorted.join(', ')} on ${tableKey(table)}`, g => table.grant(g, ...sorted));
  }

  /**
   * An access another part of the library defines (e.g. a WebSocket API's `manageConnections`):
   * `key` must identify exactly what `apply` grants; `description` says it for people (role descriptions).
   * @internal
   */
  public static _of(key: string, description: string, apply: (grantee: iam.IGrantable) => void): DataAccess {
    return new DataAccess(key, description, apply);
  }

  /** A stable key; two accesses with the same key grant the same permissions. */
  public readonly key: string;
  /** What it grants, for people: 'dynamodb:GetItem, dynamodb:PutItem on <table id>'. */
  public readonly description: string;
  private readonly apply: (grantee: iam.IGrantable) => void;

  private constructor(key: string, description: string, apply: (grantee: iam.IGrantable) => void) {
    this.key = key;
    this.description = description;
    this.apply = apply;
  }

  /** Grants this access to the grantee. */
  public grantTo(grantee: iam.IGrantable): void {
    this.apply(grantee);
  }
}

function tableKey(table: dynamodb.ITable): string {
  return Names.uniqueId(table);
}
