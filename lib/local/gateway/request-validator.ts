import Ajv04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import { GatewayError, GatewayErrors } from './gateway-responses';

/** What the operation declares for validation. */
export interface ValidationRules {
  readonly validateParameters: boolean;
  readonly validateBody: boolean;
  /** Required query string parameters and headers, as declared (in order). */
  readonly requiredQuery: string[];
  readonly requiredHeaders: string[];
  /** Body schemas by media type. */
  readonly bodySchemas: { [mediaType: string]: Record<string, unknown> };
}

/**
 * Reads an operation's validation rules from the OpenAPI 3 or Swagger 2 body: the request validator
 * of the operation (or the API default) among `x-amazon-apigateway-request-validators`, the required
 * `query`/`header` parameters, and the body's schema (model) per media type.
 */
export function validationRules(body: Record<string, any>, pathItem: Record<string, any>, operation: Record<string, any>): ValidationRules | undefined {
  const validatorName = operation['x-amazon-apigateway-request-validator'] ?? body['x-amazon-apigateway-request-validator'];
  const validator = validatorName ? body['x-amazon-apigateway-request-validators']?.[validatorName] : undefined;
  if (!validator || (!validator.validateRequestParameters && !validator.validateRequestBody)) { return undefined; }
  const parameters: any[] = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map(p => resolveRef(body, p));
  const bodySchemas: Record<string, Record<string, unknown>> = {};
  const requestBody = resolveRef(body, operation.requestBody);
  for (const [mediaType, content] of Object.entries<any>(requestBody?.content ?? {})) {
    if (content?.schema) { bodySchemas[mediaType === '$default' ? mediaType : mediaType.toLowerCase()] = content.schema; }
  }
  const swaggerBody = parameters.find(p => p?.in === 'body' && p.schema);
  if (swaggerBody) {
    for (const mediaType of operation.consumes ?? body.consumes ?? ['application/json']) {
      bodySchemas[String(mediaType).toLowerCase()] = swaggerBody.schema;
    }
  }
  const rules: ValidationRules = {
    validateParameters: Boolean(validator.validateRequestParameters),
    validateBody: Boolean(validator.validateRequestBody),
    requiredQuery: parameters.filter(p => p?.in === 'query' && p.required).map(p => String(p.name)),
    requiredHeaders: parameters.filter(p => p?.in === 'header' && p.required).map(p => String(p.name)),
    bodySchemas,
  };
  const nothing = rules.requiredQuery.length === 0 && rules.requiredHeaders.length === 0 && Object.keys(bodySchemas).length === 0;
  return nothing ? undefined : rules;
}

/**
 * API Gateway's request validation: required parameters first (400 "Missing required request
 * parameters: [q]"), then the body against its model, a JSON Schema draft 4 (400 "Invalid request
 * body"). Schemas are compiled once, by Ajv with draft 4 (ajv-draft-04); `format` is not validated,
 * as API Gateway's validator ignores it.
 */
export class RequestValidator {
  private readonly ajv = new Ajv04({ allErrors: true, strict: false, validateFormats: false });
  private readonly compiled = new Map<Record<string, unknown>, ValidateFunction>();

  constructor(private readonly apiBody: Record<string, any>) {}

  public validate(rules: ValidationRules, request: { query: Record<string, string>; headers: Record<string, string>; contentType: string; body: Buffer }): GatewayError | undefined {
    if (rules.validateParameters) {
      // "included and not blank" (AWS: Request validation for REST APIs in API Gateway).
      const headerValues = new Map(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
      const missing = [
        ...rules.requiredQuery.filter(q => (request.query[q] ?? '').trim() === ''),
        ...rules.requiredHeaders.filter(h => (headerValues.get(h.toLowerCase()) ?? '').trim() === ''),
      ];
      if (missing.length > 0) {
        return GatewayErrors.badRequestParameters(missing);
      }
    }
    if (rules.validateBody) {
      const mediaType = request.contentType.split(';')[0].trim().toLowerCase() || 'application/json';
      // "If no matching content type is found, request validation is not performed"; $default matches any.
      const schema = rules.bodySchemas[mediaType] ?? rules.bodySchemas.$default;
      if (schema) {
        let value: unknown;
        try {
          value = JSON.parse(request.body.toString('utf8'));
        } catch {
          return GatewayErrors.badRequestBody('[Invalid JSON in request body]');
        }
        const validate = this.compile(schema);
        if (!validate(value)) {
          return GatewayErrors.badRequestBody(`[${(validate.errors ?? []).map(describeError).join(', ')}]`);
        }
      }
    }
    return undefined;
  }

  private compile(schema: Record<string, unknown>): ValidateFunction {
    let fn = this.compiled.get(schema);
    if (!fn) {
      // Local $refs ('#/components/schemas/Item', '#/definitions/Item') resolve against the API's body.
      const root = { ...schema, components: this.apiBody.components, definitions: this.apiBody.definitions };
      fn = this.ajv.compile(stripNullable(root));
      this.compiled.set(schema, fn);
    }
    return fn;
  }
}

function describeError(e: { instancePath: string; keyword: string; message?: string; params: Record<string, any> }): string {
  if (e.keyword === 'required') {
    return `object has missing required properties (["${e.params.missingProperty}"])`;
  }
  const where = e.instancePath ? `instance ${e.instancePath}` : 'instance';
  return `${where} ${e.message ?? 'is invalid'}`;
}

function resolveRef(body: Record<string, any>, value: any): any {
  if (!value || typeof value !== 'object' || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/')) { return value; }
  let target: any = body;
  for (const part of value.$ref.slice(2).split('/')) { target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')]; }
  return target ?? value;
}

/** OpenAPI 3's `nullable: true` means the type also admits null (draft 4 has no keyword for it). */
function stripNullable(schema: any): any {
  if (Array.isArray(schema)) { return schema.map(stripNullable); }
  if (!schema || typeof schema !== 'object') { return schema; }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'nullable') { continue; }
    out[k] = stripNullable(v);
  }
  if (schema.nullable === true && typeof schema.type === 'string') {
    out.type = [schema.type, 'null'];
  }
  return out;
}
