/**
 * Configuration of the CRUD Lambda functions, read once per container from the environment.
 *
 * | Env var             | Default  | Meaning                                           |
 * |---------------------|----------|---------------------------------------------------|
 * | TABLE_NAME          | required | DynamoDB table name                               |
 * | PARTITION_KEY       | "id"     | partition key attribute (type S, no sort key)     |
 * | VERSION_ATTRIBUTE   | "version"| optimistic-locking version attribute              |
 * | MAX_BODY_BYTES      | 102400   | maximum request body size in bytes (decoded)      |
 * | ID_PARAMETER        | "id"     | name of the path parameter holding the item id    |
 * | DEFAULT_PAGE_SIZE   | 25       | list page size when `limit` is not given          |
 * | MAX_PAGE_SIZE       | 100      | largest accepted `limit`                          |
 * | MAX_BODY_DEPTH      | 32       | deepest nesting of objects/arrays in a body       |
 * | MAX_BODY_ATTRIBUTES | 10000    | most object members + array elements in a body    |
 *
 * An invalid configuration throws at module load (cold start) so that a bad deployment
 * fails loudly instead of serving wrong answers.
 *
 * The DynamoDB endpoint is resolved by the AWS SDK itself (e.g. AWS_ENDPOINT_URL_DYNAMODB).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_MAX_BODY_ATTRIBUTES, DEFAULT_MAX_BODY_DEPTH } from '../http';
import { FORBIDDEN_ATTRIBUTE_NAMES } from '../item-validation';

export interface CrudConfig {
  readonly tableName: string;
  readonly partitionKey: string;
  readonly versionAttribute: string;
  readonly maxBodyBytes: number;
  readonly idParameter: string;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly maxBodyDepth: number;
  readonly maxBodyAttributes: number;
}

/** Server-managed timestamp attributes (ISO-8601 strings). */
export const CREATED_AT_ATTRIBUTE = 'createdAt';
export const UPDATED_AT_ATTRIBUTE = 'updatedAt';
/**
 * Marks a tombstone: the item left by DELETE, holding only the key, the version and this timestamp, so
 * that a re-created item continues the version sequence (see delete.ts). Never returned by get or list.
 */
export const DELETED_AT_ATTRIBUTE = 'deletedAt';

/** DynamoDB's nesting limit: a body may not be deeper, whatever MAX_BODY_DEPTH says. */
const DYNAMODB_MAX_DEPTH = 32;

type Env = Readonly<Record<string, string | undefined>>;

function readString(env: Env, name: string, defaultValue?: string): string {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') {
    if (defaultValue === undefined) {
      throw new Error(`Missing required environment variable ${name}`);
    }
    return defaultValue;
  }
  return raw.trim();
}

function readPositiveInt(env: Env, name: string, defaultValue: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') {
    return defaultValue;
  }
  if (!/^[1-9][0-9]*$/.test(raw.trim())) {
    throw new Error(`Environment variable ${name} must be a positive integer, got "${raw}"`);
  }
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value)) {
    throw new Error(`Environment variable ${name} is too large: "${raw}"`);
  }
  return value;
}

/** Pure config parser (exported for tests); the handlers use {@link config}. */
export function loadConfig(env: Env): CrudConfig {
  const cfg: CrudConfig = {
    tableName: readString(env, 'TABLE_NAME'),
    partitionKey: readString(env, 'PARTITION_KEY', 'id'),
    versionAttribute: readString(env, 'VERSION_ATTRIBUTE', 'version'),
    maxBodyBytes: readPositiveInt(env, 'MAX_BODY_BYTES', 102400),
    idParameter: readString(env, 'ID_PARAMETER', 'id'),
    defaultPageSize: readPositiveInt(env, 'DEFAULT_PAGE_SIZE', 25),
    maxPageSize: readPositiveInt(env, 'MAX_PAGE_SIZE', 100),
    maxBodyDepth: readPositiveInt(env, 'MAX_BODY_DEPTH', DEFAULT_MAX_BODY_DEPTH),
    maxBodyAttributes: readPositiveInt(env, 'MAX_BODY_ATTRIBUTES', DEFAULT_MAX_BODY_ATTRIBUTES),
  };
  for (const [name, value] of [['PARTITION_KEY', cfg.partitionKey], ['VERSION_ATTRIBUTE', cfg.versionAttribute]]) {
    if (FORBIDDEN_ATTRIBUTE_NAMES.has(value)) {
      throw new Error(`${name} "${value}" is not a usable attribute name`);
    }
  }
  const managed = [cfg.versionAttribute, CREATED_AT_ATTRIBUTE, UPDATED_AT_ATTRIBUTE, DELETED_AT_ATTRIBUTE];
  if (managed.includes(cfg.partitionKey)) {
    throw new Error(`PARTITION_KEY "${cfg.partitionKey}" clashes with a server-managed attribute`);
  }
  if ([CREATED_AT_ATTRIBUTE, UPDATED_AT_ATTRIBUTE, DELETED_AT_ATTRIBUTE].includes(cfg.versionAttribute)) {
    throw new Error(`VERSION_ATTRIBUTE "${cfg.versionAttribute}" clashes with a timestamp attribute`);
  }
  if (cfg.maxBodyDepth > DYNAMODB_MAX_DEPTH) {
    throw new Error(`MAX_BODY_DEPTH (${cfg.maxBodyDepth}) must not exceed ${DYNAMODB_MAX_DEPTH}, DynamoDB's nesting limit`);
  }
  if (cfg.defaultPageSize > cfg.maxPageSize) {
    throw new Error(`DEFAULT_PAGE_SIZE (${cfg.defaultPageSize}) must not exceed MAX_PAGE_SIZE (${cfg.maxPageSize})`);
  }
  return cfg;
}

export const config: CrudConfig = loadConfig(process.env);

/** One client per container (module scope), reused across invocations. */
export const ddb: DynamoDBDocumentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
