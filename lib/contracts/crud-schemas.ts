import { IConstruct } from 'constructs';
import type { ServerlessApi } from '../api/serverless-api';
import { propError } from '../core/errors';
import { pascal } from '../core/names';
import { ApiContracts, ERROR_SCHEMA, ERROR_SCHEMA_NAME } from './api-contracts';
import { RouteContractOptions } from './route-contract';
import { RouteSchema } from './route-schema';
import { checkSchema, REF_PREFIX } from './schema-check';

/** Attributes the CRUD handlers write themselves (lib/runtime/crud/config.ts). */
const TIMESTAMPS = ['createdAt', 'updatedAt'];
const MANAGED = [...TIMESTAMPS, 'deletedAt'];
/** Lambda's 4 KB for all environment variables of a function, minus what the CRUD functions set. */
const MAX_ITEM_SCHEMA_CHARS = 3000;

export interface CrudSchemaInput {
  readonly api: ServerlessApi;
  readonly scope: IConstruct;
  readonly resourceName: string;
  readonly partitionKey: string;
  readonly versionAttribute: string;
  readonly itemSchema?: RouteSchema;
}

export interface CrudContracts {
  readonly create: RouteContractOptions;
  readonly list: RouteContractOptions;
  readonly get: RouteContractOptions;
  readonly update: RouteContractOptions;
  readonly delete: RouteContractOptions;
  /** The user's item schema for the handlers (ITEM_SCHEMA), references inlined; undefined without one. */
  readonly runtimeSchema?: string;
}

/** 'items' → 'Item', 'categories' → 'Category', 'news' → 'News'. */
function singular(name: string): string {
  const p = pascal(name) || 'Crud';
  if (/ies$/.test(p) && p.length > 4) { return `${p.slice(0, -3)}y`; }
  if (/[^su]s$/.test(p) && p.length > 3) { return p.slice(0, -1); }
  return p;
}

/** `schema` with every `#/components/schemas/<name>` replaced by the named schema (acyclic by then). */
function inlineReferences(schema: any, named: ReadonlyMap<string, any>, scope: IConstruct, seen: string[] = []): any {
  if (Array.isArray(schema)) { return schema.map(s => inlineReferences(s, named, scope, seen)); }
  if (typeof schema !== 'object' || schema === null) { return schema; }
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith(REF_PREFIX)) {
    const name = schema.$ref.slice(REF_PREFIX.length);
    if (!named.has(name)) {
      throw propError(scope, 'itemSchema', schema.$ref, 'references a schema the API does not declare (yet)',
        `Declare '${name}' (ServerlessApi schemas or addSchema) before adding the CRUD resource.`);
    }
    if (seen.includes(name)) {
      throw propError(scope, 'itemSchema', schema.$ref, `references itself through ${[...seen, name].join(' -> ')}`, 'Replace one reference by an inline schema.');
    }
    return inlineReferences(named.get(name), named, scope, [...seen, name]);
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'enum' || k === 'default' ? v : inlineReferences(v, named, scope, seen)]));
}

/**
 * The schemas of a CRUD resource, declared as named schemas of its API: `<Item>` (the stored item with
 * its key, version and timestamps), `<Item>CreateRequest`, `<Item>UpdateRequest` (the version last
 * read, required), `<Item>Page` (a list page) and the shared `Error`; each extended by the user's
 * item schema when given. Returns each route's contract.
 * @internal
 */
export function crudContracts(input: CrudSchemaInput): CrudContracts {
  const { api, scope, partitionKey: pk, versionAttribute: version } = input;
  const contracts = ApiContracts.of(api);
  let user: any = { type: 'object' };
  if (input.itemSchema !== undefined) {
    if (!(input.itemSchema instanceof RouteSchema)) {
      throw propError(scope, 'itemSchema', input.itemSchema, 'is not a RouteSchema', 'Use RouteSchema.fromObject({...}), .fromFile(\'item.json\') or .ref(\'Name\').');
    }
    const json = input.itemSchema._json(scope, 'itemSchema');
    const problems = checkSchema(json, {});
    if (problems.length > 0) {
      throw propError(scope, `itemSchema at '${problems[0].pointer || '/'}'`, input.itemSchema._refName ?? 'a schema', problems[0].problem, problems[0].fix);
    }
    user = inlineReferences(json, contracts.namedSchemas, scope);
    if (user.type !== 'object') {
      throw propError(scope, 'itemSchema', user.type, 'is not an object schema (type: \'object\')', 'Describe the item as { type: \'object\', properties: {...} }.');
    }
    const clash = Object.keys(user.properties ?? {}).find(p => p === version || MANAGED.includes(p));
    if (clash !== undefined) {
      throw propError(scope, `itemSchema properties['${clash}']`, clash, 'is an attribute the handlers manage',
        `Drop it from the schema: the library adds ${version}, ${TIMESTAMPS.join(' and ')} itself.`);
    }
    if (user.properties?.[pk] !== undefined && user.properties[pk].type !== 'string') {
      throw propError(scope, `itemSchema properties['${pk}']`, user.properties[pk].type, 'is the partition key, which is a string',
        `Declare it as { type: 'string' }, or leave it out (the library declares it).`);
    }
  }
  const key = { type: 'string', minLength: 1, maxLength: 1024 };
  const versionSchema = { type: 'integer', minimum: 1 };
  const timestamp = { type: 'string', format: 'date-time' };
  const required = (extra: string[]): string[] | undefined => {
    const all = [...new Set([...(user.required ?? []), ...extra])];
    return all.length > 0 ? all : undefined;
  };
  const shape = (properties: Record<string, any>, extra: string[]): any => {
    const r = required(extra);
    return { ...user, properties: { ...user.properties, ...properties }, ...(r ? { required: r } : {}) };
  };
  const name = singular(input.resourceName);
  const schemas: Record<string, any> = {
    [name]: shape({ [pk]: key, [version]: versionSchema, createdAt: timestamp, updatedAt: timestamp }, [pk, version]),
    [`${name}CreateRequest`]: shape({ [pk]: key }, []),
    [`${name}UpdateRequest`]: shape({ [pk]: key, [version]: versionSchema, createdAt: timestamp, updatedAt: timestamp }, [version]),
    [`${name}Page`]: {
      type: 'object',
      required: ['items'],
      properties: { items: { type: 'array', items: { $ref: `${REF_PREFIX}${name}` } }, nextToken: { type: 'string' } },
    },
    [ERROR_SCHEMA_NAME]: ERROR_SCHEMA,
  };
  for (const [schemaName, schema] of Object.entries(schemas)) {
    contracts.addSchema(schemaName, RouteSchema.fromJson(JSON.stringify(schema)), `itemSchema (as ${schemaName})`);
  }
  const ref = (n: string) => RouteSchema.ref(n);
  const error = ref(ERROR_SCHEMA_NAME);
  let runtimeSchema: string | undefined;
  if (input.itemSchema !== undefined) {
    runtimeSchema = JSON.stringify({ ...user, properties: { [pk]: key, ...user.properties } });
    if (runtimeSchema.length > MAX_ITEM_SCHEMA_CHARS) {
      throw propError(scope, 'itemSchema', `${runtimeSchema.length} characters`, `is too large for the handlers' environment (at most ${MAX_ITEM_SCHEMA_CHARS} characters as JSON, references inlined)`,
        'Lambda allows 4 KB of environment variables: shorten descriptions, or validate the remainder in your own handlers.');
    }
  }
  return {
    create: { requestSchema: ref(`${name}CreateRequest`), responseSchemas: { 201: ref(name), 400: error, 409: error } },
    list: { queryParameters: { limit: false, nextToken: false }, responseSchemas: { 200: ref(`${name}Page`), 400: error } },
    get: { responseSchemas: { 200: ref(name), 404: error } },
    update: { requestSchema: ref(`${name}UpdateRequest`), responseSchemas: { 200: ref(name), 400: error, 404: error, 409: error } },
    delete: { responseSchemas: { 404: error, 409: error } },
    runtimeSchema,
  };
}
