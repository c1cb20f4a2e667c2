/**
 * The OpenAPI 3.0 document for clients of an API: what the deployed body declares (paths,
 * operationIds, parameters, schemas, security), without what only API Gateway reads (every
 * `x-amazon-apigateway-*` extension, integration URIs and role ARNs, the resource policy), with the
 * URLs clients call as `servers`. A pure function of the deployed definition.
 *
 * @internal
 */
import { OPENAPI_ANY_METHOD, OPENAPI_METHODS } from '../core/method-keys';

/** Security scheme names the library writes into the body (lib/auth/api-security.ts). */
const SIGV4_SCHEME = 'sigv4';
const COGNITO_SCHEME = 'CognitoUserPool';
const OPERATION_KEYS = new Set([...OPENAPI_METHODS, OPENAPI_ANY_METHOD]);

export interface ClientDocumentOptions {
  /** `servers` of the document: the stage URL and the custom domain URLs. */
  readonly servers: Array<Record<string, any>>;
  /** The region, for the SigV4 scheme's description. */
  readonly region?: string;
  /** Drop OPTIONS operations (CORS preflights answered by API Gateway, not for clients). */
  readonly dropPreflights: boolean;
}

/** Deep copy without every key starting with 'x-amazon-apigateway-'. */
function withoutAwsExtensions(value: unknown): any {
  if (Array.isArray(value)) { return value.map(withoutAwsExtensions); }
  if (typeof value !== 'object' || value === null) { return value; }
  return Object.fromEntries(Object.entries(value)
    .filter(([k]) => !k.startsWith('x-amazon-apigateway-'))
    .map(([k, v]) => [k, withoutAwsExtensions(v)]));
}

/** The client document of a deployed definition (already resolved: no CloudFormation tokens). */
export function clientDocument(definition: Record<string, any>, options: ClientDocumentOptions): Record<string, any> {
  const schemes: Record<string, any> = definition.components?.securitySchemes ?? {};
  const paths: Record<string, any> = {};
  for (const [path, item] of Object.entries<Record<string, any>>(definition.paths ?? {})) {
    // '{proxy+}' is API Gateway's greedy parameter; in OpenAPI it is the parameter 'proxy'.
    const clientPath = path.replace(/\{([^}]+)\+\}/g, '{$1}');
    const operations: Record<string, any> = {};
    const entries = Object.entries<Record<string, any>>(item ?? {}).filter(([key]) => OPERATION_KEYS.has(key));
    for (const [key, operation] of entries) {
      if (options.dropPreflights && key === 'options') { continue; }
      const clean = clientOperation(operation, schemes);
      if (key === OPENAPI_ANY_METHOD) {
        // ANY serves every method the path does not declare on its own.
        for (const method of OPENAPI_METHODS.filter(m => m !== 'options' && !(m in item))) {
          operations[method] = { ...clean, operationId: `${clean.operationId}${method[0].toUpperCase()}${method.slice(1)}` };
        }
      } else {
        operations[key] = clean;
      }
    }
    if (Object.keys(operations).length > 0) {
      paths[clientPath] = operations;
    }
  }
  const components: Record<string, any> = {};
  if (definition.components?.schemas && Object.keys(definition.components.schemas).length > 0) {
    components.schemas = Object.fromEntries(Object.entries(withoutAwsExtensions(definition.components.schemas)).map(([k, v]) => [k, oas30Schema(v)]));
  }
  const securitySchemes: Record<string, any> = {};
  for (const [name, scheme] of Object.entries<any>(schemes)) {
    securitySchemes[name] = clientScheme(name, scheme, options.region);
  }
  if (Object.keys(securitySchemes).length > 0) {
    components.securitySchemes = securitySchemes;
  }
  return {
    openapi: '3.0.3',
    info: { ...withoutAwsExtensions(definition.info) },
    servers: options.servers,
    paths,
    ...(Object.keys(components).length > 0 ? { components } : {}),
  };
}

/** Keywords of draft 4 that an OpenAPI 3.0 Schema Object does not allow (validation only: dropped). */
const NOT_OAS30 = new Set(['$schema', 'id', 'definitions', 'dependencies', 'patternProperties', 'additionalItems']);
const SUBSCHEMA_KEYS = new Set(['items', 'additionalProperties', 'not']);
const SUBSCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);

/**
 * A draft-4 schema (API Gateway's models) as an OpenAPI 3.0 Schema Object: `type` arrays become
 * `nullable` or `anyOf`, and the keywords 3.0 does not have are dropped (they constrain validation,
 * which API Gateway does; the document describes).
 */
export function oas30Schema(schema: any): any {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) { return schema; }
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries<any>(schema)) {
    if (NOT_OAS30.has(key)) { continue; }
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, oas30Schema(v)]));
    } else if (SUBSCHEMA_KEYS.has(key)) {
      out[key] = typeof value === 'boolean' ? value : oas30Schema(value);
    } else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map(oas30Schema);
    } else {
      out[key] = value;
    }
  }
  if (Array.isArray(out.type)) {
    const types: string[] = out.type.filter((t: string) => t !== 'null');
    const nullable = types.length < out.type.length;
    delete out.type;
    if (types.length === 1) {
      out.type = types[0];
    } else if (types.length > 1) {
      out.anyOf = types.map(t => ({ type: t }));
    }
    if (nullable) { out.nullable = true; }
  }
  return out;
}

/** Every inline schema of an operation (parameters, request body, responses) as an OpenAPI 3.0 Schema Object. */
function oas30Content(content: any): any {
  if (!content || typeof content !== 'object') { return content; }
  return Object.fromEntries(Object.entries<any>(content).map(([type, media]) => [type, media?.schema ? { ...media, schema: oas30Schema(media.schema) } : media]));
}

function clientOperation(operation: Record<string, any>, schemes: Record<string, any>): Record<string, any> {
  const clean = withoutAwsExtensions(operation);
  if (clean.requestBody?.content) { clean.requestBody.content = oas30Content(clean.requestBody.content); }
  for (const response of Object.values<any>(clean.responses ?? {})) {
    if (response?.content) { response.content = oas30Content(response.content); }
  }
  clean.parameters = (clean.parameters ?? []).map((p: Record<string, any>) => ({ ...p, name: p.in === 'path' ? String(p.name).replace(/\+$/, '') : p.name }));
  if (clean.parameters.length === 0) { delete clean.parameters; }
  if (!clean.responses || Object.keys(clean.responses).length === 0) {
    clean.responses = { default: { description: 'The response of the integration (undeclared)' } };
  }
  for (const response of Object.values<Record<string, any>>(clean.responses)) {
    response.description ??= 'Response';
    // Method response headers map to `true`/`false` in API Gateway; clients need header objects.
    if (response.headers) {
      response.headers = Object.fromEntries(Object.keys(response.headers).map(h => [h, { schema: { type: 'string' } }]));
    }
  }
  if (Array.isArray(clean.security)) {
    const scopes: string[] = [];
    clean.security = clean.security.map((requirement: Record<string, string[]>) => Object.fromEntries(Object.entries(requirement).map(([name, s]) => {
      // Scopes belong to oauth2/openIdConnect schemes only; the Cognito scheme is an http bearer.
      if (schemes[name] && name === COGNITO_SCHEME) { scopes.push(...(s ?? [])); }
      return [name, []];
    })));
    if (scopes.length > 0) {
      clean['x-required-scopes'] = scopes;
      clean.description = [clean.description, `Requires a Cognito access token with the scopes: ${scopes.join(', ')}.`].filter(Boolean).join('\n\n');
    }
  }
  return clean;
}

function clientScheme(name: string, scheme: Record<string, any>, region?: string): Record<string, any> {
  const authType = scheme['x-amazon-apigateway-authtype'];
  if (name === SIGV4_SCHEME || authType === 'awsSigv4') {
    return {
      'type': 'apiKey',
      'in': 'header',
      'name': 'Authorization',
      'description': 'AWS Signature Version 4 (IAM): sign each request for the service execute-api with credentials allowed execute-api:Invoke.',
      'x-sigv4': { service: 'execute-api', ...(region ? { region } : {}) },
    };
  }
  if (name === COGNITO_SCHEME || authType === 'cognito_user_pools') {
    return {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'A Cognito user pool token in the Authorization header: the ID token, or an access token for routes that require scopes.',
    };
  }
  const clean = withoutAwsExtensions(scheme);
  if (clean.type === 'apiKey' && clean.name === 'x-api-key') {
    clean.description ??= 'An API key of one of the API\'s usage plans.';
  } else if (authType === 'custom') {
    clean.description ??= `Checked by the Lambda authorizer '${name}'.`;
  }
  return clean;
}

/** Replaces what CloudFormation resolves at deploy time (`{ Ref }`, `{ Fn::... }`) by a readable placeholder. */
export function withoutTokens(value: unknown): any {
  if (Array.isArray(value)) { return value.map(withoutTokens); }
  if (typeof value !== 'object' || value === null) { return value; }
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    return '(resolved at deploy)';
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutTokens(v)]));
}
