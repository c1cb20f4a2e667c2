/**
 * The user's item schema of a CRUD resource, enforced by the create and update handlers too: API
 * Gateway validates requests that come through it, the handlers validate every body they store
 * (a test invoke, another integration, a direct call). ajv compiles the schema once per container.
 *
 * The schema arrives as JSON in ITEM_SCHEMA (written at synth by CrudResource: JSON Schema draft 4,
 * references inlined). ajv speaks draft 7; the only draft-4 keyword whose meaning changed and that the
 * synth-time check lets through is the boolean `exclusiveMaximum`, rewritten here. Formats are not
 * checked (API Gateway checks them on requests it validates).
 */
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { ItemValidationError } from './item-validation';

/** A body that does not match the item schema: a 400 BadRequest, like every unstorable body. */
export class ItemSchemaError extends ItemValidationError {
  constructor(message: string) {
    super(message);
    this.name = 'ItemSchemaError';
  }
}

/** Keywords whose value maps names (data, not keywords) to subschemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);
/** Keywords whose value is data, never a schema. */
const DATA = new Set(['enum', 'default', 'required']);

/** Draft 4 → what ajv (draft 7) reads the same way. */
export function toDraft7(schema: unknown): unknown {
  if (Array.isArray(schema)) { return schema.map(toDraft7); }
  if (typeof schema !== 'object' || schema === null) { return schema; }
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s)) {
    if (key === '$schema' || key === 'id' || key === 'exclusiveMaximum') { continue; }
    if (DATA.has(key)) {
      out[key] = value;
    } else if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, Array.isArray(sub) ? sub : toDraft7(sub)]));
    } else {
      out[key] = toDraft7(value);
    }
  }
  if (s.exclusiveMaximum === true && typeof s.maximum === 'number') {
    out.exclusiveMaximum = s.maximum;
    delete out.maximum;
  }
  return out;
}

/** A validator of items, or undefined when ITEM_SCHEMA is empty. Throws at cold start on a bad schema. */
export function compileItemSchema(json: string | undefined): ((item: Record<string, unknown>) => void) | undefined {
  if (json === undefined || json.trim() === '') { return undefined; }
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  const validate: ValidateFunction = ajv.compile(toDraft7(JSON.parse(json)) as object);
  return item => {
    if (!validate(item)) {
      const error = validate.errors?.[0];
      const where = error?.instancePath ? error.instancePath : '(the item)';
      throw new ItemSchemaError(`Item does not match the schema: ${where} ${error?.message ?? 'is invalid'}`);
    }
  };
}
