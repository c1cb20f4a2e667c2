import * as fs from 'fs';
import * as path from 'path';
import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { parse as parseYaml } from 'yaml';
import type { ApiRoute, RouteProps, ServerlessApi } from '../api/serverless-api';
import { OPERATION_ID } from '../api/operation-ids';
import { RouteAuthorization } from '../auth/route-authorization';
import { propError } from '../core/errors';
import { OPENAPI_ANY_METHOD, OPENAPI_METHODS } from '../core/method-keys';
import { pascal } from '../core/names';
import { Integration } from '../integrations/integration';
import type { BoundIntegration, IntegrationKind } from '../integrations/integration-binding';
import { PARAMETER_SCHEMAS } from './api-contracts';
import { RouteSchema } from './route-schema';
import { REF_PREFIX } from './schema-check';

/**
 * An OpenAPI 3.0 or Swagger 2.0 document (JSON or YAML) to build routes from, with
 * `ServerlessApi.importOpenApi()`.
 */
export class OpenApiDocument {
  /** A document read from a `.json`, `.yaml` or `.yml` file at synth (relative to the current directory). */
  public static fromFile(file: string): OpenApiDocument {
    return new OpenApiDocument(() => parseDocument(fs.readFileSync(path.resolve(file), 'utf8')), `the file ${file}`);
  }

  /** A document given as JSON or YAML text. */
  public static fromString(text: string): OpenApiDocument {
    return new OpenApiDocument(() => parseDocument(text), 'the document text');
  }

  private constructor(private readonly load: () => any, private readonly source: string) {}

  /** The parsed document, or a propError naming the source. @internal */
  public _load(scope: IConstruct): any {
    let doc: any;
    try {
      doc = this.load();
    } catch (e) {
      throw propError(scope, 'importOpenApi document', this.source, `cannot be read (${(e as Error).message})`, 'Give an OpenAPI 3.0 or Swagger 2.0 document in JSON or YAML.');
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      throw propError(scope, 'importOpenApi document', this.source, 'is not an OpenAPI document (an object)', 'Give an OpenAPI 3.0 or Swagger 2.0 document in JSON or YAML.');
    }
    return doc;
  }
}

/** Options of `ServerlessApi.importOpenApi()`. */
export interface OpenApiImportOptions {
  /**
   * What serves each operation, by its `operationId`: `{ listPets: Integration.lambda(handler) }`.
   * Every operation must be bound, except those carrying their own `x-amazon-apigateway-integration`
   * (kept as written); a binding naming no operation of the document is an error.
   */
  readonly integrations: { [operationId: string]: Integration };
  /**
   * The authorization each security scheme of the document stands for, by scheme name:
   * `{ petstore_auth: RouteAuthorization.cognito(['api/pets.write']) }`. Without an entry, an apiKey
   * scheme in the header `x-api-key` becomes the route's API key requirement and API Gateway's own
   * schemes (`x-amazon-apigateway-authtype` awsSigv4, cognito_user_pools) map to IAM and Cognito;
   * any other scheme is an error naming it.
   * @default - the mapping above
   */
  readonly authorizations?: { [securityScheme: string]: RouteAuthorization };
}

function parseDocument(text: string): any {
  const trimmed = text.trimStart();
  return trimmed.startsWith('{') ? JSON.parse(text) : parseYaml(text);
}

/** Documentation keywords API Gateway refuses in models: dropped from imported schemas, with a warning. */
const DOC_ONLY = new Set(['example', 'examples', 'xml', 'externalDocs', 'readOnly', 'writeOnly', 'deprecated', 'discriminator']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);
const DATA = new Set(['enum', 'default', 'required', 'example', 'examples']);

/** A route whose integration is the document's own `x-amazon-apigateway-integration`, kept as written. */
class DocumentIntegrationKind implements IntegrationKind {
  constructor(private readonly integration: Record<string, any>, private readonly responses: Record<string, any>) {}
  public bind(): BoundIntegration {
    return { render: () => ({ integration: this.integration, responses: this.responses }) };
  }
}

interface ImportContext {
  readonly api: ServerlessApi;
  readonly doc: any;
  readonly swagger2: boolean;
  readonly dropped: Set<string>;
  readonly warnings: string[];
}

/** Resolves a local `$ref` (to parameters, request bodies, responses): '#/a/b' → doc.a.b. */
function deref(ctx: ImportContext, value: any, where: string): any {
  let current = value;
  for (let i = 0; i < 10 && current && typeof current.$ref === 'string'; i++) {
    const ref: string = current.$ref;
    if (!ref.startsWith('#/')) {
      throw propError(ctx.api, 'importOpenApi', ref, `is an external reference (${where}), which API Gateway cannot import`, 'Inline it, or bundle the document first (e.g. redocly bundle).');
    }
    current = ref.slice(2).split('/').map(s => s.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((o: any, k) => o?.[k], ctx.doc);
    if (current === undefined) {
      throw propError(ctx.api, 'importOpenApi', ref, `does not resolve (${where})`, 'Fix the reference.');
    }
  }
  return current;
}

/** A schema as API Gateway accepts it: Swagger refs moved to components, documentation-only keywords dropped. */
function importSchema(ctx: ImportContext, schema: any): any {
  if (Array.isArray(schema)) { return schema.map(s => importSchema(ctx, s)); }
  if (typeof schema !== 'object' || schema === null) { return schema; }
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DOC_ONLY.has(key) || key.startsWith('x-')) {
      ctx.dropped.add(key);
      continue;
    }
    if (key === 'nullable') {
      ctx.dropped.add(key);
      continue;
    }
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace(/^#\/definitions\//, REF_PREFIX);
    } else if (DATA.has(key)) {
      out[key] = value;
    } else if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, importSchema(ctx, v)]));
    } else {
      out[key] = importSchema(ctx, value);
    }
  }
  if (schema.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
  }
  if ((out.type === 'integer' || out.type === 'number') && ['int32', 'int64', 'float', 'double', 'decimal'].includes(out.format)) {
    ctx.dropped.add(`format: ${String(out.format)}`);
    delete out.format;
  }
  return out;
}

/** The JSON schema of a media type map (OpenAPI 3 `content`), if it has application/json (or any type). */
function jsonSchemaOf(content: any): any {
  if (!content || typeof content !== 'object') { return undefined; }
  const key = Object.keys(content).find(k => /^application\/(.+\+)?json/.test(k)) ?? Object.keys(content).find(k => k === '*/*');
  return key !== undefined ? content[key]?.schema : undefined;
}

/** A RouteSchema for an imported schema: by name when it is a reference to a component. */
function routeSchema(ctx: ImportContext, schema: any): RouteSchema {
  if (schema && typeof schema.$ref === 'string' && Object.keys(schema).length === 1) {
    const ref = schema.$ref.replace(/^#\/definitions\//, REF_PREFIX);
    if (ref.startsWith(REF_PREFIX)) { return RouteSchema.ref(ref.slice(REF_PREFIX.length)); }
  }
  return RouteSchema.fromJson(JSON.stringify(importSchema(ctx, schema)));
}

/** Whether a schema (following component references) is an object or array, as method responses must be. */
function isStructured(ctx: ImportContext, schema: any, depth = 0): boolean {
  if (!schema || depth > 10) { return false; }
  if (typeof schema.$ref === 'string') {
    return isStructured(ctx, deref(ctx, { $ref: schema.$ref }, 'a response'), depth + 1);
  }
  if (schema.type === 'object' || schema.type === 'array' || schema.properties || schema.items) { return true; }
  return ['allOf', 'anyOf', 'oneOf'].some(k => Array.isArray(schema[k]) && schema[k].every((s: any) => isStructured(ctx, s, depth + 1)));
}

/**
 * Adds the routes of an OpenAPI 3.0 / Swagger 2.0 document to `api`: its named schemas become the
 * API's schemas, each operation a route (path and query/header parameters, JSON request body and
 * response schemas, security mapped to authorizations) served by the integration bound to its
 * operationId. What the library cannot represent fails, naming it.
 * @internal
 */
export function importOpenApi(api: ServerlessApi, document: OpenApiDocument, options: OpenApiImportOptions): ApiRoute[] {
  if (!(document instanceof OpenApiDocument)) {
    throw propError(api, 'importOpenApi document', document, 'is not an OpenApiDocument', 'Use OpenApiDocument.fromFile(\'openapi.yaml\') or .fromString(text).');
  }
  const doc = document._load(api);
  const version = String(doc.openapi ?? doc.swagger ?? '');
  const swagger2 = version === '2.0';
  if (!swagger2 && !/^3\.0\.\d+$/.test(version)) {
    throw propError(api, 'importOpenApi document', `openapi: ${version || '(missing)'}`, 'is not a version API Gateway imports for REST APIs',
      'Give an OpenAPI 3.0.x or Swagger 2.0 document (convert 3.1 documents to 3.0 first).');
  }
  const ctx: ImportContext = { api, doc, swagger2, dropped: new Set(), warnings: [] };
  const integrations = options?.integrations ?? {};
  const authorizations = options?.authorizations ?? {};
  const schemes: Record<string, any> = (swagger2 ? doc.securityDefinitions : doc.components?.securitySchemes) ?? {};

  for (const [name, schema] of Object.entries<any>((swagger2 ? doc.definitions : doc.components?.schemas) ?? {})) {
    api.addSchema(name, RouteSchema.fromJson(JSON.stringify(importSchema(ctx, schema))));
  }

  const unbound: string[] = [];
  const problems: string[] = [];
  const seenIds = new Set<string>();
  const routes: RouteProps[] = [];
  for (const [routePath, item] of Object.entries<any>(doc.paths ?? {})) {
    const shared: any[] = item?.parameters ?? [];
    for (const key of [...OPENAPI_METHODS, OPENAPI_ANY_METHOD]) {
      const operation = item?.[key];
      if (!operation) { continue; }
      const method = key === OPENAPI_ANY_METHOD ? 'ANY' : key.toUpperCase();
      const where = `${method} ${routePath}`;
      const operationId: unknown = operation.operationId;
      if (typeof operationId !== 'string' || operationId === '') {
        problems.push(`operation ${where} has no operationId (add one to bind an integration to it)`);
        continue;
      }
      seenIds.add(operationId);
      const integration = integrations[operationId] ?? documentIntegration(operation);
      if (!integration) {
        unbound.push(operationId);
        continue;
      }
      const parameters = [...shared, ...(operation.parameters ?? [])].map(p => deref(ctx, p, where));
      const queryParameters: Record<string, boolean> = {};
      const headerParameters: Record<string, boolean> = {};
      const parameterSchemas: Record<string, any> = {};
      let requestSchema: RouteSchema | undefined;
      let formBody = false;
      for (const p of parameters) {
        if (p.in === 'query' || p.in === 'header') {
          (p.in === 'query' ? queryParameters : headerParameters)[p.name] = p.required === true;
          // Swagger 2 gives the type on the parameter, OpenAPI 3 in its schema.
          parameterSchemas[`${p.in}:${p.name}`] = swagger2 ? { type: p.type, items: p.items, enum: p.enum } : p.schema;
        }
        else if (p.in === 'body') { requestSchema = p.schema ? routeSchema(ctx, p.schema) : undefined; }
        else if (p.in === 'formData') { formBody = true; }
        else if (p.in === 'cookie') { problems.push(`operation ${operationId} (${where}) reads the cookie parameter '${p.name}', which API Gateway cannot declare or validate`); }
      }
      if (operation.requestBody) {
        const body = deref(ctx, operation.requestBody, where);
        const schema = jsonSchemaOf(body.content);
        if (schema) { requestSchema = routeSchema(ctx, schema); } else { formBody = true; }
      }
      if (formBody) {
        ctx.warnings.push(`${operationId}: its request body is not JSON (form data), so API Gateway does not validate it`);
      }
      const responseSchemas: Record<string, RouteSchema> = {};
      for (const [status, raw] of Object.entries<any>(operation.responses ?? {})) {
        const response = deref(ctx, raw, where);
        const schema = swagger2 ? response?.schema : jsonSchemaOf(response?.content);
        if (!schema) { continue; }
        if (!/^[1-5][0-9][0-9]$/.test(status)) {
          ctx.warnings.push(`${operationId}: the '${status}' response is not kept (API Gateway method responses have status codes)`);
        } else if (!isStructured(ctx, schema)) {
          ctx.warnings.push(`${operationId}: the ${status} response schema is not kept (API Gateway requires method response schemas to be objects or arrays)`);
        } else {
          responseSchemas[status] = routeSchema(ctx, schema);
        }
      }
      const security = routeSecurity(ctx, operation.security ?? doc.security, schemes, authorizations, `${operationId} (${where})`, problems);
      const route: RouteProps = {
        method,
        path: routePath,
        integration,
        operationId: OPERATION_ID.test(operationId) ? operationId : pascal(operationId),
        ...(requestSchema && !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method) ? { requestSchema } : {}),
        ...(Object.keys(queryParameters).length > 0 ? { queryParameters } : {}),
        ...(Object.keys(headerParameters).length > 0 ? { headerParameters } : {}),
        ...(Object.keys(responseSchemas).length > 0 ? { responseSchemas } : {}),
        ...security,
      };
      PARAMETER_SCHEMAS.set(route, parameterSchemas);
      routes.push(route);
    }
  }
  const unknown = Object.keys(integrations).filter(id => !seenIds.has(id)).sort();
  if (unknown.length > 0) {
    problems.push(`integrations binds ${unknown.map(u => `'${u}'`).join(', ')}, which no operation of the document has as operationId (operationIds: ${[...seenIds].sort().join(', ')})`);
  }
  if (unbound.length > 0) {
    problems.push(`operations ${unbound.map(u => `'${u}'`).join(', ')} have no integration (bind each in integrations: { ${unbound[0]}: Integration.lambda(handler) })`);
  }
  if (problems.length > 0) {
    throw new Error(`${api.node.path}: importOpenApi cannot build this document: ${problems.join('; ')}.`);
  }
  if (ctx.dropped.size > 0) {
    ctx.warnings.unshift(`schema keywords API Gateway models do not support were dropped: ${[...ctx.dropped].sort().join(', ')}`);
  }
  for (const warning of ctx.warnings) {
    Annotations.of(api).addWarningV2('serverless-api-constructs:importOpenApi', `importOpenApi: ${warning}`);
  }
  keepDocumentExtensions(api, doc);
  return routes.map(r => api.addRoute(r));
}

/** An operation's own API Gateway integration, kept when no integration is bound to it. */
function documentIntegration(operation: any): Integration | undefined {
  const integration = operation['x-amazon-apigateway-integration'];
  if (!integration || typeof integration !== 'object') { return undefined; }
  const responses = Object.fromEntries(Object.keys(operation.responses ?? {}).filter(s => /^[1-5][0-9][0-9]$/.test(s))
    .map(s => [s, { description: operation.responses[s]?.description ?? `${s} response` }]));
  return Integration._of('OPENAPI', new DocumentIntegrationKind(integration, responses));
}

/** The route's authorization and API key requirement from its security requirements. */
function routeSecurity(ctx: ImportContext, security: any, schemes: Record<string, any>, authorizations: Record<string, RouteAuthorization>,
  where: string, problems: string[]): { authorization?: RouteAuthorization; apiKeyRequired?: boolean } {
  if (security === undefined) { return {}; }
  if (!Array.isArray(security) || security.length === 0 || security.every(r => Object.keys(r ?? {}).length === 0)) {
    return { authorization: RouteAuthorization.none() };
  }
  if (security.length > 1) {
    ctx.warnings.push(`${where}: only the first of its ${security.length} alternative security requirements is kept (a method has one authorizer)`);
  }
  let authorization: RouteAuthorization | undefined;
  let apiKeyRequired = false;
  for (const [name, scopes] of Object.entries<string[]>(security[0])) {
    const scheme = schemes[name];
    if (authorizations[name]) {
      authorization = authorizations[name];
    } else if (scheme?.type === 'apiKey' && scheme.in === 'header' && String(scheme.name).toLowerCase() === 'x-api-key') {
      apiKeyRequired = true;
    } else if (scheme?.['x-amazon-apigateway-authtype'] === 'awsSigv4') {
      authorization = RouteAuthorization.iam();
    } else if (scheme?.['x-amazon-apigateway-authtype'] === 'cognito_user_pools') {
      authorization = RouteAuthorization.cognito(scopes ?? []);
    } else {
      problems.push(`operation ${where} requires the security scheme '${name}' (${scheme ? `${scheme.type}${scheme.name ? ` ${scheme.name}` : ''}` : 'undeclared'}), which has no authorization (map it: authorizations: { ${name}: RouteAuthorization.cognito([...]) or .lambda(authorizer) })`);
    }
  }
  return { authorization: authorization ?? (apiKeyRequired ? RouteAuthorization.none() : undefined), ...(apiKeyRequired ? { apiKeyRequired } : {}) };
}

/**
 * The document's API-level AWS extensions: its gateway responses replace the library's of their types
 * (an `addGatewayResponse` of the same type still wins, and CORS headers are added to them); the other
 * extensions are kept where the library does not set them itself (binary media types, ...).
 */
function keepDocumentExtensions(api: ServerlessApi, doc: any): void {
  const GATEWAY_RESPONSES = 'x-amazon-apigateway-gateway-responses';
  if (typeof doc[GATEWAY_RESPONSES] === 'object' && doc[GATEWAY_RESPONSES] !== null) {
    api._addDocumentGatewayResponses(doc[GATEWAY_RESPONSES]);
  }
  const extensions = Object.entries<any>(doc).filter(([k]) => k.startsWith('x-amazon-apigateway-') && k !== GATEWAY_RESPONSES);
  if (extensions.length === 0) { return; }
  api._extendDefinition(definition => {
    for (const [key, value] of extensions) {
      if (definition[key] === undefined) {
        definition[key] = value;
      }
    }
  });
}
