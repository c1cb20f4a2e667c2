import * as fs from 'fs';
import * as path from 'path';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { MODEL_NAME, REF_PREFIX } from './schema-check';

/** Keys of aws-cdk-lib's `JsonSchema` struct that are spelled differently in JSON Schema. */
const CDK_KEYS: Record<string, string> = { schema: '$schema', ref: '$ref' };
/** Keywords whose value maps names to subschemas (the names are data, not keywords). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);
/** Keywords whose value is a subschema or an array of subschemas. */
const SUBSCHEMAS = new Set(['items', 'additionalItems', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf', 'contains', 'propertyNames']);

/**
 * A JSON Schema (draft 4, as API Gateway models are) for a request body or a response: written inline,
 * read from a `.json` file, or a reference to a schema the API declares by name (`schemas` of
 * `ServerlessApi`, `addSchema()`), so that one shape is written once and used by many routes.
 *
 * Every schema is checked at synth against what API Gateway accepts; an unsupported keyword or an
 * invalid schema fails synth naming the route, the JSON pointer and the fix.
 *
 * @example
 * const item = RouteSchema.fromObject({
 *   type: apigateway.JsonSchemaType.OBJECT,
 *   required: ['name'],
 *   properties: { name: { type: apigateway.JsonSchemaType.STRING, minLength: 1 } },
 * });
 * api.addSchema('Item', item);
 * api.addRoute({ method: 'POST', path: '/items', handler, requestSchema: RouteSchema.ref('Item') });
 */
export class RouteSchema {
  /**
   * A schema written with aws-cdk-lib's `apigateway.JsonSchema` struct (`schema` and `ref` stand for
   * `$schema` and `$ref`). Reference a named schema with `ref: '#/components/schemas/<Name>'`.
   */
  public static fromObject(schema: apigateway.JsonSchema): RouteSchema {
    return new RouteSchema(() => fromCdkSchema(schema), 'an inline schema');
  }

  /** A schema written as JSON text, keywords as JSON Schema spells them (`$ref`, `$schema`). */
  public static fromJson(json: string): RouteSchema {
    return new RouteSchema(() => JSON.parse(json), 'a JSON schema');
  }

  /**
   * A schema read from a `.json` file at synth (relative paths from the current directory, where
   * `cdk synth` runs).
   */
  public static fromFile(file: string): RouteSchema {
    return new RouteSchema(() => JSON.parse(fs.readFileSync(path.resolve(file), 'utf8')), `the file ${file}`);
  }

  /** The schema the API declares under `name` (`#/components/schemas/<name>` in the document). */
  public static ref(name: string): RouteSchema {
    const schema = new RouteSchema(() => ({ $ref: `${REF_PREFIX}${name}` }), `a reference to '${name}'`);
    schema._refName = name;
    return schema;
  }

  /** The named schema this references, for `RouteSchema.ref()`. @internal */
  public _refName?: string;
  private loaded?: { value?: unknown; error?: string };

  private constructor(private readonly load: () => unknown, private readonly source: string) {}

  /**
   * The schema as JSON Schema, or a propError naming `prop` when it cannot be read (a missing file,
   * JSON that does not parse). @internal
   */
  public _json(scope: IConstruct, prop: string): any {
    if (this._refName !== undefined && !MODEL_NAME.test(this._refName)) {
      throw propError(scope, prop, this._refName, 'is not a valid schema name',
        'API Gateway model names are 1-128 letters and digits, e.g. \'Item\'.');
    }
    if (!this.loaded) {
      try {
        this.loaded = { value: this.load() };
      } catch (e) {
        this.loaded = { error: (e as Error).message };
      }
    }
    if (this.loaded.error !== undefined) {
      throw propError(scope, prop, this.source, `cannot be read as JSON (${this.loaded.error})`,
        'Give a JSON file holding one JSON Schema object (draft 4).');
    }
    return JSON.parse(JSON.stringify(this.loaded.value ?? null));
  }
}

/** aws-cdk-lib's JsonSchema struct as JSON Schema: `schema` → `$schema`, `ref` → `$ref`, at every depth. */
function fromCdkSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) { return schema.map(fromCdkSchema); }
  if (typeof schema !== 'object' || schema === null) { return schema; }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (value === undefined) { continue; }
    const name = CDK_KEYS[key] ?? key;
    if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      out[name] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v : fromCdkSchema(v)]));
    } else if (SUBSCHEMAS.has(key)) {
      out[name] = fromCdkSchema(value);
    } else {
      out[name] = value;
    }
  }
  return out;
}
