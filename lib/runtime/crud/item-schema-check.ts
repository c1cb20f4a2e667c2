/**
 * The user's item schema (ITEM_SCHEMA, set by CrudResource `itemSchema`), compiled at cold start.
 * Only create and update import this module: ajv is most of their bundle (about 125 KB minified),
 * and get, list and delete stay without it.
 */
import { compileItemSchema } from '../item-schema';
import { config, CREATED_AT_ATTRIBUTE, UPDATED_AT_ATTRIBUTE } from './config';
import type { Item } from './items';

const itemSchema = compileItemSchema(process.env.ITEM_SCHEMA);

/**
 * Checks a body against the user's item schema, if any: the body without the attributes the server
 * manages (version and timestamps), which the schema does not describe. Throws a 400 otherwise.
 */
export function assertMatchesItemSchema(body: Item): void {
  if (!itemSchema) { return; }
  const { [config.versionAttribute]: _v, [CREATED_AT_ATTRIBUTE]: _c, [UPDATED_AT_ATTRIBUTE]: _u, ...data } = body;
  itemSchema(data);
}
