import type { ServerlessApi } from '../api/serverless-api';
import { propError } from '../core/errors';
import { DEFAULT_MESSAGE, ERROR_TEMPLATE } from '../operations/gateway-responses';
import { pascalRouteId } from '../core/names';
import { exportOnSynth } from './openapi-document';
import { RouteContractOptions } from './route-contract';
import { RouteSchema } from './route-schema';
import { checkSchema, findCycle, MODEL_NAME, REF_PREFIX, referencedNames, SchemaProblem } from './schema-check';

/** A route's contract, resolved to JSON Schema. */
interface RouteContract {
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly request?: { readonly schema: any; readonly name?: string };
  readonly query: Record<string, boolean>;
  readonly headers: Record<string, boolean>;
  readonly responses: Record<string, { readonly schema: any; readonly name?: string }>;
  /** Schemas of query and header parameters, keyed 'query:name' / 'header:name' (imported documents). */
  readonly parameterSchemas: Record<string, any>;
}

/**
 * Schemas of a route's query and header parameters, keyed 'query:<name>' / 'header:<name>', given
 * along with its RouteProps object (the OpenAPI import keeps the document's parameter types this way;
 * the public props declare presence only, which is all API Gateway validates).
 * @internal
 */
export const PARAMETER_SCHEMAS = new WeakMap<object, Record<string, any>>();

/** The parts of a parameter schema API Gateway keeps ("name, in, required, type, description"): the type, and its enum. */
function parameterSchema(schema: any): Record<string, any> {
  const type = ['string', 'integer', 'number', 'boolean', 'array'].includes(schema?.type) ? schema.type : 'string';
  return {
    type,
    ...(type === 'array' ? { items: { type: ['string', 'integer', 'number', 'boolean'].includes(schema?.items?.type) ? schema.items.type : 'string' } } : {}),
    ...(Array.isArray(schema?.enum) && schema.enum.every((v: unknown) => ['string', 'number', 'boolean'].includes(typeof v)) ? { enum: schema.enum } : {}),
  };
}

const PARAMETER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
const STATUS = /^[1-5][0-9][0-9]$/;
const CONTRACTS = new WeakMap<ServerlessApi, ApiContracts>();

/** The error shape of the library's handlers and gateway responses, as a schema. @internal */
export const ERROR_SCHEMA_NAME = 'Error';
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        requestId: { type: 'string' },
      },
    },
  },
};

/**
 * A request body failing its model, answered in the library's JSON error shape with the validator's
 * own message. A gateway response template is simple substitution (no VTL, no $util):
 * `validationErrorString` is the detailed message, JSON-escaped inside the string
 * ("[object has missing required properties ([\"name\"])]"). A missing parameter needs nothing
 * here: its message ("Missing required request parameters: [q]") is `messageString`, which the
 * library's default template already answers.
 */
const VALIDATION_BODY_TEMPLATE = '{"error":{"code":"BAD_REQUEST_BODY","message":"$context.error.validationErrorString","requestId":"$context.requestId"}}';

/**
 * The contracts of one API's routes and its named schemas: checks them, and writes them into the
 * OpenAPI body (`components.schemas`, each operation's `requestBody`, `parameters`, `responses`) and
 * the validation gateway responses. Created on first use. @internal
 */
export class ApiContracts {
  public static of(api: ServerlessApi): ApiContracts {
    let contracts = CONTRACTS.get(api);
    if (!contracts) {
      contracts = new ApiContracts(api);
      CONTRACTS.set(api, contracts);
    }
    return contracts;
  }

  /** The contracts of `api`, if it has any. */
  public static find(api: ServerlessApi): ApiContracts | undefined {
    return CONTRACTS.get(api);
  }

  private readonly schemas = new Map<string, any>();
  private readonly routes = new Map<string, RouteContract>();

  private constructor(private readonly api: ServerlessApi) {
    api._extendDefinition(definition => this.render(definition));
    api.node.addValidation({ validate: () => this.validateReferences() });
    exportOnSynth(api);
  }

  /** The named schemas, `components.schemas` of the document. */
  public get namedSchemas(): ReadonlyMap<string, any> {
    return this.schemas;
  }

  /** Declares a named schema (a model); the same name twice is an error unless the schemas are equal. */
  public addSchema(name: string, schema: RouteSchema, prop = `schemas['${name}']`): void {
    if (typeof name !== 'string' || !MODEL_NAME.test(name)) {
      throw propError(this.api, prop, name, 'is not a valid schema name', 'API Gateway model names are 1-128 letters and digits, e.g. \'Item\'.');
    }
    if (!(schema instanceof RouteSchema)) {
      throw propError(this.api, prop, schema, 'is not a RouteSchema', 'Use RouteSchema.fromObject({...}), .fromFile(\'item.json\') or .ref(\'Name\').');
    }
    const json = schema._json(this.api, prop);
    this.throwProblems(prop, checkSchema(json, {}));
    const existing = this.schemas.get(name);
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(json)) {
      throw propError(this.api, prop, name, 'is already declared with another schema', 'Give each schema its own name.');
    }
    this.schemas.set(name, json);
  }

  /** Records a route's contract, checking each schema (references are checked at synth). */
  public addRoute(key: string, method: string, path: string, options: RouteContractOptions): void {
    const subject = `route '${key}'`;
    const resolve = (schema: unknown, prop: string, response: boolean): { schema: any; name?: string } => {
      if (!(schema instanceof RouteSchema)) {
        throw propError(this.api, prop, schema, 'is not a RouteSchema', 'Use RouteSchema.fromObject({...}), .fromFile(\'item.json\') or .ref(\'Name\').');
      }
      const json = schema._json(this.api, prop);
      this.throwProblems(prop, checkSchema(json, { response: response && schema._refName === undefined }));
      return { schema: json, name: schema._refName };
    };
    const request = options.requestSchema !== undefined ? resolve(options.requestSchema, `${subject} requestSchema`, false) : undefined;
    if (request && ['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method)) {
      throw propError(this.api, `${subject} requestSchema`, 'a schema', `is set on a ${method} route, whose requests carry no body`,
        'Declare query or header parameters instead, or use POST, PUT or PATCH.');
    }
    const responses: Record<string, { schema: any; name?: string }> = {};
    for (const [status, schema] of Object.entries(options.responseSchemas ?? {})) {
      if (!STATUS.test(status)) {
        throw propError(this.api, `${subject} responseSchemas`, status, 'is not an HTTP status code', 'Key responses by status, e.g. { \'200\': RouteSchema.ref(\'Item\') }.');
      }
      responses[status] = resolve(schema, `${subject} responseSchemas['${status}']`, true);
    }
    const names = (map: { [name: string]: boolean } | undefined, prop: string): Record<string, boolean> => {
      for (const [name, required] of Object.entries(map ?? {})) {
        if (!PARAMETER_NAME.test(name) || typeof required !== 'boolean') {
          throw propError(this.api, `${subject} ${prop}['${name}']`, required, 'is not a parameter name mapped to true (required) or false (optional)',
            `Write ${prop}: { ${PARAMETER_NAME.test(name) ? name : 'limit'}: true }.`);
        }
      }
      return { ...map };
    };
    const query = names(options.queryParameters, 'queryParameters');
    const headers = names(options.headerParameters, 'headerParameters');
    if (!request && Object.keys(responses).length === 0 && Object.keys(query).length === 0 && Object.keys(headers).length === 0) {
      return;
    }
    const parameterSchemas = Object.fromEntries(Object.entries(PARAMETER_SCHEMAS.get(options) ?? {}).map(([k, v]) => [k, parameterSchema(v)]));
    this.routes.set(key, { key, method, path, request, query, headers, responses, parameterSchemas });
  }

  /** Whether any route makes API Gateway validate something. */
  private get validates(): boolean {
    return [...this.routes.values()].some(r => r.request || Object.values(r.query).some(Boolean) || Object.values(r.headers).some(Boolean));
  }

  private throwProblems(prop: string, problems: SchemaProblem[]): void {
    if (problems.length === 0) { return; }
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1, 4).map(p => p.pointer || '/').join(', ')}${problems.length > 4 ? ', ...' : ''})` : '';
    throw new Error(`${this.api.node.path}: ${prop} at '${first.pointer || '/'}' ${first.problem}${more}. ${first.fix}`);
  }

  /** Every `$ref` names a declared schema, and no named schemas reference each other in a cycle. */
  private validateReferences(): string[] {
    const errors: string[] = [];
    const names = new Set(this.schemas.keys());
    const check = (prop: string, schema: any): void => {
      for (const name of referencedNames(schema)) {
        if (!names.has(name)) {
          errors.push(`${this.api.node.path}: ${prop} references the schema '${name}', which the API does not declare. `
            + `Declare it (ServerlessApi schemas or addSchema('${name}', ...)), or fix the name; declared: ${[...names].sort().join(', ') || '(none)'}.`);
        }
      }
    };
    for (const [name, schema] of this.schemas) {
      check(`schemas['${name}']`, schema);
    }
    for (const route of this.routes.values()) {
      if (route.request) { check(`route '${route.key}' requestSchema`, route.request.schema); }
      for (const [status, response] of Object.entries(route.responses)) {
        check(`route '${route.key}' responseSchemas['${status}']`, response.schema);
      }
    }
    const cycle = findCycle(this.schemas);
    if (cycle) {
      errors.push(`${this.api.node.path}: schemas reference each other in a cycle (${cycle.join(' -> ')}). `
        + 'API Gateway cannot import circular models: replace one reference by an inline schema, e.g. { type: \'object\' }.');
    }
    return errors;
  }

  /** Writes the schemas, the operations' parts and the validation responses into the body. */
  private render(definition: Record<string, any>): void {
    const schemas: Record<string, any> = {};
    for (const name of [...this.schemas.keys()].sort()) {
      schemas[name] = this.schemas.get(name);
    }
    const inlineName = (base: string): string => {
      let name = base;
      for (let n = 2; name in schemas || this.schemas.has(name); n++) {
        name = `${base}${n}`;
      }
      return name;
    };
    const refTo = (entry: { schema: any; name?: string }, base: string): Record<string, string> => {
      if (entry.name !== undefined) {
        return { $ref: `${REF_PREFIX}${entry.name}` };
      }
      const name = inlineName(base);
      schemas[name] = entry.schema;
      return { $ref: `${REF_PREFIX}${name}` };
    };
    for (const route of [...this.routes.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      const operationKey = route.method === 'ANY' ? 'x-amazon-apigateway-any-method' : route.method.toLowerCase();
      const operation = definition.paths?.[route.path]?.[operationKey];
      if (!operation) { continue; }
      const base = pascalRouteId(route.method, route.path);
      if (route.request) {
        operation.requestBody = { required: true, content: { 'application/json': { schema: refTo(route.request, `${base}Request`) } } };
      }
      const parameters: Array<Record<string, any>> = [...(operation.parameters ?? [])];
      for (const [where, map] of [['query', route.query], ['header', route.headers]] as const) {
        for (const name of Object.keys(map).sort()) {
          if (!parameters.some(p => p.in === where && p.name === name)) {
            parameters.push({ name, in: where, required: map[name], schema: route.parameterSchemas[`${where}:${name}`] ?? { type: 'string' } });
          }
        }
      }
      if (parameters.length > 0) {
        operation.parameters = parameters;
      }
      const responses: Record<string, any> = { ...operation.responses };
      for (const status of Object.keys(route.responses).sort()) {
        responses[status] = {
          description: `${status} response`,
          ...responses[status],
          content: { 'application/json': { schema: refTo(route.responses[status], `${base}Response${status}`) } },
        };
      }
      operation.responses = responses;
    }
    if (Object.keys(schemas).length > 0) {
      definition.components = { ...definition.components, schemas: { ...definition.components?.schemas, ...schemas } };
    }
    if (this.validates) {
      // The API writes every gateway response type (lib/operations/gateway-responses.ts). Its
      // BAD_REQUEST_BODY, unless overridden, keeps its status and headers (CORS) and answers the
      // validator's detail as its message.
      const body = definition['x-amazon-apigateway-gateway-responses']?.BAD_REQUEST_BODY;
      if (body?.responseTemplates?.['application/json'] === ERROR_TEMPLATE(DEFAULT_MESSAGE)) {
        body.responseTemplates = { 'application/json': VALIDATION_BODY_TEMPLATE };
      }
    }
  }
}
