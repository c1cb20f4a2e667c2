import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { propError } from '../core/errors';
import { AwsIntegrationOptions, checkPathParametersUsed, credentialsFor, parametersUsedBy, regionOf, renderAwsService, timeoutMillis } from './aws-service';
import type { BoundIntegration, IntegrationBindContext, IntegrationKind } from './integration-binding';
import { errorJson, escaped, jsonString, NO_BODY, setStatus } from './mapping-templates';
import { registerRequestModel } from './request-body';

/** What a DynamoDB route does with the item its path names. */
export enum DynamoDbAction {
  /** `GetItem`: 200 with the item as plain JSON, 404 when there is none. */
  GET_ITEM = 'GET_ITEM',
  /**
   * `PutItem`: writes the item (key from the path, other attributes from the body: a flat JSON object
   * of strings, numbers, booleans and nulls) and answers 204.
   */
  PUT_ITEM = 'PUT_ITEM',
  /** `DeleteItem`: 204, or 404 when there was no item. */
  DELETE_ITEM = 'DELETE_ITEM',
}

/** Options of {@link Integration.dynamoDb}. */
export interface DynamoDbIntegrationOptions extends AwsIntegrationOptions {
  /** The operation. */
  readonly action: DynamoDbAction;
  /**
   * Which path parameter holds each key attribute, `{ attribute: parameter }`.
   * @default - each key attribute of the table from the path parameter of the same name, or, for a
   * table with only a partition key, from the route's only path parameter
   */
  readonly keyParameters?: { [attribute: string]: string };
  /**
   * PUT_ITEM only: answer 409 instead of overwriting an existing item.
   * @default false
   */
  readonly createOnly?: boolean;
  /**
   * GET_ITEM only: a strongly consistent read.
   * @default false
   */
  readonly consistentRead?: boolean;
}

const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_-]{0,254}$/;

interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
  readonly parameter: string;
}

/**
 * The response of GetItem as plain JSON: strings, numbers, booleans, nulls, string and number sets
 * as arrays, binary as base64; nested maps and lists keep DynamoDB's typed JSON (`{"M":{...}}`),
 * which Velocity cannot unwrap recursively.
 */
function itemTemplate(itemPath: string): string {
  const value = [
    '#if($v.containsKey("S"))', jsonString('$v.S'),
    '#elseif($v.containsKey("N"))', '$v.N',
    '#elseif($v.containsKey("BOOL"))', '$v.BOOL',
    '#elseif($v.containsKey("NULL"))', 'null',
    '#elseif($v.containsKey("B"))', jsonString('$v.B'),
    '#elseif($v.containsKey("SS"))', `[#foreach($s in $v.SS)${jsonString('$s')}#if($foreach.hasNext),#end#end]`,
    '#elseif($v.containsKey("NS"))', '[#foreach($n in $v.NS)$n#if($foreach.hasNext),#end#end]',
    '#elseif($name.matches("[A-Za-z0-9_-]+"))', `$input.json("${itemPath}['$name']")`,
    '#{else}', 'null', '#{end}',
  ].join('');
  return `{#foreach($name in $item.keySet())#set($v = $item.get($name))"${escaped('$name')}":${value}#if($foreach.hasNext),#end#end}`;
}

/**
 * A route → one DynamoDB item, its key taken from the path. Bodies of PUT_ITEM are validated by a
 * model before the call (a flat object with attribute-name keys), so the template only ever sees
 * scalars it can type from their JSON text.
 * @internal
 */
export class DynamoDbIntegrationKind implements IntegrationKind {
  constructor(private readonly table: dynamodb.ITable, private readonly options: DynamoDbIntegrationOptions) {}

  public bind(context: IntegrationBindContext): BoundIntegration {
    const { table } = this;
    const options = this.options ?? {} as DynamoDbIntegrationOptions;
    const prop = `route '${context.routeKey}' integration`;
    if (!table || typeof table.tableArn !== 'string') {
      throw propError(context.api, prop, table, 'has no table', 'Pass a dynamodb.ITable: Integration.dynamoDb(table, { action }).');
    }
    const action = options.action;
    if (!Object.values(DynamoDbAction).includes(action)) {
      throw propError(context.api, `${prop} action`, action, 'is not a DynamoDbAction',
        'Use DynamoDbAction.GET_ITEM, PUT_ITEM or DELETE_ITEM.');
    }
    if (options.createOnly !== undefined && action !== DynamoDbAction.PUT_ITEM) {
      throw propError(context.api, `${prop} createOnly`, options.createOnly, `applies to PUT_ITEM, not ${action}`, 'Drop it.');
    }
    if (options.consistentRead !== undefined && action !== DynamoDbAction.GET_ITEM) {
      throw propError(context.api, `${prop} consistentRead`, options.consistentRead, `applies to GET_ITEM, not ${action}`, 'Drop it.');
    }
    const keys = this.keyAttributes(context, prop);
    const timeout = timeoutMillis(context, `${prop} timeout`, options.timeout);
    const dynamoAction = action === DynamoDbAction.GET_ITEM ? 'GetItem' : action === DynamoDbAction.PUT_ITEM ? 'PutItem' : 'DeleteItem';
    const role = credentialsFor(context, table, 'table', options, [{
      key: `dynamodb:${dynamoAction} ${table.node.path}`,
      grant: grantee => {
        table.grant(grantee, `dynamodb:${dynamoAction}`);
        if (action === DynamoDbAction.GET_ITEM) { table.encryptionKey?.grantDecrypt(grantee); } else { table.encryptionKey?.grantEncryptDecrypt(grantee); }
      },
    }]);

    const keyJson = keys.map(k => `"${k.name}":{"${k.type}":${jsonString(`$input.params().path.get('${k.parameter}')`)}}`).join(',');
    let requestTemplate = options.requestTemplate;
    let requestBody: Record<string, any> | undefined;
    if (requestTemplate === undefined) {
      if (action === DynamoDbAction.GET_ITEM) {
        requestTemplate = `{"TableName":"${table.tableName}","Key":{${keyJson}},"ConsistentRead":${options.consistentRead ?? false}}`;
      } else if (action === DynamoDbAction.DELETE_ITEM) {
        requestTemplate = `{"TableName":"${table.tableName}","Key":{${keyJson}},"ReturnValues":"ALL_OLD"}`;
      } else {
        const skip = keys.map(k => `$name != "${k.name}"`).join(' && ');
        requestTemplate = [
          '#set($body = $input.path(\'$\'))',
          `{"TableName":"${table.tableName}","Item":{${keyJson}`,
          `#foreach($name in $body.keySet())#if(${skip})#set($path = "$['\${name}']")#set($json = $input.json($path))`,
          `,"${escaped('$name')}":#if($json.startsWith('"')){"S":$json}#elseif($json == "true" || $json == "false"){"BOOL":$json}`
          + '#elseif($json == "null"){"NULL":true}#else{"N":"$json"}#end#end#end}',
          options.createOnly ? `,"ConditionExpression":"attribute_not_exists(#k)","ExpressionAttributeNames":{"#k":"${keys[0].name}"}}` : '}',
        ].join('\n');
        requestBody = registerRequestModel(context.api, 'DynamoDbFlatItem', {
          type: 'object',
          description: 'A flat item: attribute names as keys, strings, numbers, booleans or nulls as values.',
          patternProperties: { '^[A-Za-z_][A-Za-z0-9_-]{0,254}$': { type: ['string', 'number', 'boolean', 'null'] } },
          additionalProperties: false,
        });
      }
    } else {
      checkPathParametersUsed(context, parametersUsedBy(requestTemplate, context.parsed.parameters), `${prop} requestTemplate`,
        'Read it in the template ($input.params().path.get(\'name\')), or drop it from the path.');
    }
    const success = action === DynamoDbAction.GET_ITEM
      ? ['#set($item = $input.path(\'$.Item\'))', '#if("$!item" == "")', setStatus(404), errorJson('NotFound', 'No item has this key.'),
        '#else', itemTemplate('$.Item'), '#end'].join('\n')
      : action === DynamoDbAction.DELETE_ITEM
        ? ['#set($old = $input.path(\'$.Attributes\'))', '#if("$!old" == "")', setStatus(404), errorJson('NotFound', 'No item has this key.'), '#end'].join('\n')
        : NO_BODY;
    const template = requestTemplate;
    return {
      render: render => renderAwsService(context, {
        service: 'dynamodb',
        target: `action/${dynamoAction}`,
        region: regionOf(context, table),
        httpMethod: 'POST',
        role,
        requestTemplate: template,
        timeoutMillis: timeout,
        requestBody,
        success: { statusCode: action === DynamoDbAction.GET_ITEM ? 200 : 204, template: this.options.responseTemplate ?? success },
        extraStatuses: action === DynamoDbAction.PUT_ITEM ? [] : [404],
        clientErrors: [
          { codes: ['ConditionalCheckFailedException'], status: 409, code: 'Conflict', message: 'An item with this key exists already.' },
          { codes: ['ValidationException'], messageContains: 'Item size', status: 413, code: 'PayloadTooLarge', message: 'The item is larger than DynamoDB accepts (400 KB).' },
          { codes: ['ValidationException', 'SerializationException'], status: 400, code: 'BadRequest', message: 'DynamoDB does not accept this key or item.' },
        ],
      }, render),
    };
  }

  /** The table's key attributes and the path parameter each is read from. */
  private keyAttributes(context: IntegrationBindContext, prop: string): KeyAttribute[] {
    const { table } = this;
    const given = this.options.keyParameters;
    const schema = table instanceof dynamodb.Table ? table.schemaV2() : undefined;
    const typeOf = (t: dynamodb.AttributeType | undefined): KeyAttribute['type'] =>
      (t === dynamodb.AttributeType.NUMBER ? 'N' : t === dynamodb.AttributeType.BINARY ? 'B' : 'S');
    const schemaKeys: dynamodb.Attribute[] | undefined = schema ? [...schema.partitionKeys, ...schema.sortKeys] : undefined;
    const parameters = context.parsed.parameters;
    let keys: KeyAttribute[];
    if (given !== undefined) {
      keys = Object.entries(given).map(([name, parameter]) => ({
        name, parameter, type: typeOf(schemaKeys?.find(k => k.name === name)?.type),
      }));
      if (schemaKeys) {
        const names = schemaKeys.map(k => k.name);
        if (keys.length !== names.length || keys.some(k => !names.includes(k.name))) {
          throw propError(context.api, `${prop} keyParameters`, given, `does not name exactly the table's key attributes (${names.join(', ')})`,
            `Map each key attribute to a path parameter, e.g. { ${names.map(n => `${n}: '${n}'`).join(', ')} }.`);
        }
      }
    } else if (!schemaKeys) {
      throw propError(context.api, `${prop} keyParameters`, undefined, 'is required for a table whose key schema the library cannot read (an imported table)',
        `Map each key attribute to a path parameter, e.g. { id: '${parameters[0] ?? 'id'}' } (keys are read as strings).`);
    } else if (schemaKeys.length === 1 && parameters.length === 1) {
      keys = [{ name: schemaKeys[0].name, type: typeOf(schemaKeys[0].type), parameter: parameters[0] }];
    } else {
      keys = schemaKeys.map(k => ({ name: k.name, type: typeOf(k.type), parameter: k.name }));
    }
    for (const key of keys) {
      if (!ATTRIBUTE.test(key.name)) {
        throw propError(context.api, `${prop} keyParameters`, key.name, 'is not an attribute name this integration supports', 'Use letters, digits, _ and -.');
      }
      if (!parameters.includes(key.parameter)) {
        throw propError(context.api, `${prop} keyParameters`, key.parameter,
          `is the path parameter for key attribute '${key.name}', but route '${context.routeKey}' has no such parameter`,
          `Add {${key.parameter}} to the path, or map '${key.name}' to one of: ${parameters.join(', ') || '(none: the route needs a path parameter for the key)'}.`);
      }
    }
    checkPathParametersUsed(context, keys.map(k => k.parameter), prop, 'Map it to a key attribute with keyParameters, or drop it from the path.');
    return keys;
  }
}
