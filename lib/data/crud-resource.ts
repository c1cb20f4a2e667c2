import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DataAccess } from './data-access';
import { ServerlessTable, ServerlessTableProps } from './serverless-table';
import type { ApiRoute, ServerlessApi } from '../api/serverless-api';
import { RouteFunctionOptions } from '../api/route-handler';
import { RouteAuthorization } from '../auth/route-authorization';
import { propError } from '../core/errors';
import { registerBodyLimit } from '../traffic/body-limits';
import { libraryHandler } from '../core/library-handler';
import { crudContracts } from '../contracts/crud-schemas';
import { RouteSchema } from '../contracts/route-schema';
import type { RouteCacheOptions } from '../operations/response-cache';

/** Function options for the CRUD functions (permissions are chosen by the library). */
export interface CrudFunctionOptions {
  /**
   * Memory in MB.
   * @default - the API's function defaults
   */
  readonly memorySize?: number;
  /**
   * Extra environment variables.
   * @default - none
   */
  readonly environment?: { [key: string]: string };
}

/** Options of `ServerlessApi.addCrudResource()`. */
export interface CrudResourceOptions {
  /**
   * An existing table, keyed by a single string partition key. Excludes `tableProps`.
   * @default - a new `ServerlessTable` built from `tableProps`
   */
  readonly table?: dynamodb.ITable;
  /**
   * Props of the table to create. Excludes `table`.
   * @default - `ServerlessTable` defaults (on-demand, PITR, retained)
   */
  readonly tableProps?: ServerlessTableProps;
  /**
   * The partition key attribute of an existing `table`.
   * @default 'id' (or the created table's partition key)
   */
  readonly partitionKey?: string;
  /**
   * The collection's path.
   * @default - '/' + the resource name
   */
  readonly path?: string;
  /**
   * The name of the item's path parameter.
   * @default 'id'
   */
  readonly idParameter?: string;
  /**
   * The attribute holding the item's version, for optimistic locking.
   * @default 'version'
   */
  readonly versionAttribute?: string;
  /**
   * Largest request body accepted, in bytes; larger ones get 413.
   * @default 102400
   */
  readonly maxBodyBytes?: number;
  /**
   * Deepest nesting of objects and arrays a request body may have (the top-level object is depth 1);
   * deeper bodies get 400 before they are parsed.
   * @default 32 (DynamoDB's nesting limit, also the highest value allowed)
   */
  readonly maxBodyDepth?: number;
  /**
   * Most attributes a request body may hold, counting every object member and every array element at
   * any depth; bodies with more get 400 from a scan that stops at the first attribute over the limit,
   * before the body is parsed, so a huge body of tiny attributes is refused without building them.
   * @default 10000
   */
  readonly maxBodyAttributes?: number;
  /**
   * Page size of list when the request gives no `limit`.
   * @default 25
   */
  readonly defaultPageSize?: number;
  /**
   * Largest `limit` a list request may ask for.
   * @default 100
   */
  readonly maxPageSize?: number;
  /**
   * Memory and environment of the five functions.
   * @default - the API's function defaults
   */
  readonly functionOptions?: CrudFunctionOptions;
  /**
   * Who may call the read routes (GET collection, GET item).
   * @default - the API's `defaultAuthorization`
   */
  readonly readAuthorization?: RouteAuthorization;
  /**
   * Who may call the write routes (POST, PUT, DELETE).
   * @default - the API's `defaultAuthorization`
   */
  readonly writeAuthorization?: RouteAuthorization;
  /**
   * Whether the read routes (GET collection, GET item) require an API key of a usage plan.
   * @default false
   */
  readonly readApiKeyRequired?: boolean;
  /**
   * Whether the write routes (POST, PUT, DELETE) require an API key of a usage plan.
   * @default false
   */
  readonly writeApiKeyRequired?: boolean;
  /**
   * The JSON Schema (draft 4, `type: 'object'`) of the item's own attributes. It extends the
   * resource's schemas (`<Item>`, `<Item>CreateRequest`, `<Item>UpdateRequest`, `<Item>Page`, named
   * after the singular of the resource name): API Gateway validates POST and PUT bodies against it,
   * and the create and update functions check every body they store against it too. Declare neither
   * the version attribute nor createdAt/updatedAt (the library manages them).
   * @default - items of any attributes; the resource's schemas still describe key, version and timestamps
   */
  readonly itemSchema?: RouteSchema;
  /**
   * Cache the list route (GET collection) in the stage's cache cluster. Its `limit` and `nextToken`
   * query parameters are always part of the key.
   * @default - not cached
   */
  readonly listCache?: RouteCacheOptions;
}

/** Props of {@link CrudResource}. */
export interface CrudResourceProps extends CrudResourceOptions {
  /** The API to add the routes to. */
  readonly api: ServerlessApi;
  /** The resource name, e.g. 'items'. */
  readonly resourceName: string;
}

/** The five operations; each is its own function holding only the actions it calls. */
const OPERATIONS = [
  // create and delete read the item to continue its version sequence across delete + re-create
  // (DELETE leaves a tombstone holding the last version): see lib/runtime/crud/delete.ts.
  { name: 'create', method: 'POST', item: false, actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
  { name: 'list', method: 'GET', item: false, actions: ['dynamodb:Scan'] },
  { name: 'get', method: 'GET', item: true, actions: ['dynamodb:GetItem'] },
  { name: 'update', method: 'PUT', item: true, actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
  { name: 'delete', method: 'DELETE', item: true, actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
] as const;

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_.-]{0,254}$/;
/** Names the handlers manage or refuse (lib/runtime/crud/config.ts, lib/runtime/item-validation.ts). */
const RESERVED_ATTRIBUTES = ['createdAt', 'updatedAt', 'deletedAt', '__proto__', 'constructor', 'prototype'];

/**
 * A DynamoDB-backed collection: POST /items, GET /items, GET /items/{id}, PUT /items/{id},
 * DELETE /items/{id}, served by the library's handlers (conditional create, optimistic locking on
 * update, paginated list), one least-privilege function per operation.
 */
export class CrudResource extends Construct {
  /** The table. */
  public readonly table: dynamodb.ITable;
  /** The table construct, when this resource created it. */
  public readonly serverlessTable?: ServerlessTable;
  /** The collection path, e.g. '/items'. */
  public readonly path: string;
  /** The item path, e.g. '/items/{id}'. */
  public readonly itemPath: string;
  /** POST collection. */
  public readonly createFunction: lambda.IFunction;
  /** GET collection. */
  public readonly listFunction: lambda.IFunction;
  /** GET item. (Named `readFunction`, not `getFunction`: jsii forbids `getXxx` members, which clash with Java getters.) */
  public readonly readFunction: lambda.IFunction;
  /** PUT item. */
  public readonly updateFunction: lambda.IFunction;
  /** DELETE item. */
  public readonly deleteFunction: lambda.IFunction;
  /** The five routes. */
  public readonly routes: ApiRoute[];

  constructor(scope: Construct, id: string, props: CrudResourceProps) {
    super(scope, id);
    if (!NAME.test(props.resourceName ?? '')) {
      throw propError(this, 'resourceName', props.resourceName, 'is not a lower-case resource name',
        'Use lower-case letters, digits and hyphens starting with a letter, e.g. \'items\'.');
    }
    if (props.table && props.tableProps) {
      throw propError(this, 'table', 'a table', 'and tableProps are both set', 'Pass an existing table or props for a new one, not both.');
    }
    if (props.tableProps?.sortKey) {
      throw propError(this, 'tableProps.sortKey', props.tableProps.sortKey.name, 'is set, but a CRUD resource addresses items by one key',
        'Drop the sort key, or write your own routes with RouteHandler for composite keys.');
    }
    if (props.tableProps?.partitionKey && props.tableProps.partitionKey.type !== dynamodb.AttributeType.STRING) {
      throw propError(this, 'tableProps.partitionKey.type', props.tableProps.partitionKey.type, 'is not STRING',
        'CRUD ids are strings from the URL path: use dynamodb.AttributeType.STRING.');
    }
    if (props.partitionKey !== undefined && !props.table) {
      throw propError(this, 'partitionKey', props.partitionKey, 'is only for an existing table',
        'Set tableProps.partitionKey for a table the resource creates.');
    }
    const idParameter = props.idParameter ?? 'id';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(idParameter)) {
      throw propError(this, 'idParameter', idParameter, 'is not a valid path parameter name', 'Use letters, digits and underscores, e.g. \'id\'.');
    }
    const versionAttribute = props.versionAttribute ?? 'version';
    if (!ATTRIBUTE.test(versionAttribute)) {
      throw propError(this, 'versionAttribute', versionAttribute, 'is not a valid attribute name', 'Use e.g. \'version\'.');
    }
    if (RESERVED_ATTRIBUTES.includes(versionAttribute)) {
      throw propError(this, 'versionAttribute', versionAttribute, 'is an attribute the handlers manage or refuse',
        `Use another name, e.g. 'version'; reserved: ${RESERVED_ATTRIBUTES.join(', ')}.`);
    }
    const maxBodyBytes = props.maxBodyBytes ?? 102400;
    if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1 || maxBodyBytes > 6 * 1024 * 1024) {
      throw propError(this, 'maxBodyBytes', maxBodyBytes, 'must be an integer from 1 to 6291456',
        'Lambda accepts at most 6 MB and DynamoDB items at most 400 KB; the default is 102400.');
    }
    const maxBodyDepth = props.maxBodyDepth ?? 32;
    if (!Number.isInteger(maxBodyDepth) || maxBodyDepth < 1 || maxBodyDepth > 32) {
      throw propError(this, 'maxBodyDepth', maxBodyDepth, 'must be an integer from 1 to 32',
        'DynamoDB stores at most 32 levels of nesting; the default is 32.');
    }
    const maxBodyAttributes = props.maxBodyAttributes ?? 10000;
    if (!Number.isInteger(maxBodyAttributes) || maxBodyAttributes < 1 || maxBodyAttributes > 1000000) {
      throw propError(this, 'maxBodyAttributes', maxBodyAttributes, 'must be an integer from 1 to 1000000',
        'It bounds the work spent on a body before it is refused; the default is 10000.');
    }
    const maxPageSize = props.maxPageSize ?? 100;
    const defaultPageSize = props.defaultPageSize ?? Math.min(25, maxPageSize);
    if (!Number.isInteger(maxPageSize) || maxPageSize < 1 || maxPageSize > 1000) {
      throw propError(this, 'maxPageSize', maxPageSize, 'must be an integer from 1 to 1000', 'Use e.g. 100.');
    }
    if (!Number.isInteger(defaultPageSize) || defaultPageSize < 1 || defaultPageSize > maxPageSize) {
      throw propError(this, 'defaultPageSize', defaultPageSize, `must be an integer from 1 to maxPageSize (${maxPageSize})`, 'Use e.g. 25.');
    }

    // The API's web ACL lets bodies up to this size through (see ApiWebAcl).
    registerBodyLimit(props.api, maxBodyBytes);

    if (props.table) {
      this.table = props.table;
    } else {
      this.serverlessTable = new ServerlessTable(this, 'Table', props.tableProps);
      this.table = this.serverlessTable.table;
    }
    const partitionKey = props.partitionKey ?? this.serverlessTable?.partitionKeyName ?? 'id';

    this.path = props.path ?? `/${props.resourceName}`;
    this.itemPath = `${this.path === '/' ? '' : this.path}/{${idParameter}}`;
    const environment: { [key: string]: string } = {
      ...props.functionOptions?.environment,
      TABLE_NAME: this.table.tableName,
      PARTITION_KEY: partitionKey,
      VERSION_ATTRIBUTE: versionAttribute,
      ID_PARAMETER: idParameter,
      MAX_BODY_BYTES: String(maxBodyBytes),
      DEFAULT_PAGE_SIZE: String(defaultPageSize),
      MAX_PAGE_SIZE: String(maxPageSize),
      MAX_BODY_DEPTH: String(maxBodyDepth),
      MAX_BODY_ATTRIBUTES: String(maxBodyAttributes),
    };

    const contracts = crudContracts({ api: props.api, scope: this, resourceName: props.resourceName, partitionKey, versionAttribute, itemSchema: props.itemSchema });
    if (contracts.runtimeSchema !== undefined) {
      environment.ITEM_SCHEMA = contracts.runtimeSchema;
    }

    const functions: Record<string, lambda.IFunction> = {};
    this.routes = OPERATIONS.map(op => {
      const options: RouteFunctionOptions = {
        memorySize: props.functionOptions?.memorySize,
        environment,
        dataAccess: [DataAccess.tableActions(this.table, ...op.actions)],
        description: `${props.resourceName}: ${op.name}`,
      };
      const route = props.api.addRoute({
        method: op.method,
        path: op.item ? this.itemPath : this.path,
        handler: libraryHandler(`crud/${op.name}`, options),
        authorization: op.method === 'GET' ? props.readAuthorization : props.writeAuthorization,
        apiKeyRequired: (op.method === 'GET' ? props.readApiKeyRequired : props.writeApiKeyRequired) ?? false,
        ...contracts[op.name],
        cache: op.name === 'list' && props.listCache ? {
          ...props.listCache,
          queryParameters: [...new Set(['limit', 'nextToken', ...props.listCache.queryParameters ?? []])],
        } : undefined,
      });
      functions[op.name] = route.function!; // a handler route always has its function
      return route;
    });
    this.createFunction = functions.create;
    this.listFunction = functions.list;
    this.readFunction = functions.get;
    this.updateFunction = functions.update;
    this.deleteFunction = functions.delete;
  }
}
