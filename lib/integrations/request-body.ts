import type { ServerlessApi } from '../api/serverless-api';

const MODELS = new WeakMap<ServerlessApi, Map<string, Record<string, any>>>();

/**
 * Declares a JSON schema model of the API (`components.schemas.<name>`) and returns the operation
 * `requestBody` that makes API Gateway validate `application/json` bodies against it. The API's
 * request validator (`all`) then answers 400 in the library's error shape before the integration
 * runs: a body that is not JSON, or not of this shape, never reaches a mapping template.
 * @internal
 */
export function registerRequestModel(api: ServerlessApi, name: string, schema: Record<string, any>): Record<string, any> {
  let models = MODELS.get(api);
  if (!models) {
    const created = new Map<string, Record<string, any>>();
    models = created;
    MODELS.set(api, created);
    api._extendDefinition(definition => {
      definition.components = { ...definition.components };
      definition.components.schemas = { ...definition.components.schemas, ...Object.fromEntries([...created.entries()].sort(([a], [b]) => a.localeCompare(b))) };
    });
  }
  models.set(name, schema);
  return { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } };
}

/** The model of bodies that must be one JSON object (workflow inputs, event details). @internal */
export function registerJsonObjectBody(api: ServerlessApi): Record<string, any> {
  return registerRequestModel(api, 'JsonObject', { type: 'object', description: 'Any JSON object.' });
}
