/**
 * The JSON Schema subset API Gateway accepts for REST API models, checked at synth.
 *
 * API Gateway models are JSON Schema draft 4 ("Data models for REST APIs"), minus what its OpenAPI
 * import refuses ("Amazon API Gateway important notes for REST APIs"): `discriminator`, `example`,
 * `readOnly`, `exclusiveMinimum`, numbers formatted int32/int64/decimal, model names that are not
 * alphanumeric, method response schemas that are neither objects nor arrays, and `$ref`s that leave the
 * document. Everything else that is not draft 4 (boolean schemas, `const`, `if`, numeric
 * `exclusiveMaximum`, `nullable`, ...) is invalid draft 4: the import fails on it, or worse, ignores
 * it and validates less than the author meant. Both kinds fail synth here, each error naming the JSON
 * pointer and the fix.
 *
 * Own code rather than a meta-schema validator (ajv with the draft-04 meta-schema): the meta-schema
 * accepts unknown keywords and says nothing of API Gateway's exceptions, which are most of the errors
 * worth catching, and a validator would be a runtime dependency of every consumer app.
 *
 * @internal
 */

/** One problem found in a schema. */
export interface SchemaProblem {
  /** JSON pointer into the schema, '' for its root. */
  readonly pointer: string;
  readonly problem: string;
  readonly fix: string;
}

export interface SchemaCheckOptions {
  /**
   * Names of the API's named schemas, which `#/components/schemas/<name>` may reference; unchecked
   * when undefined (a schema declared later may be referenced).
   */
  readonly schemaNames?: ReadonlySet<string>;
  /** A method response schema: its root must be an object or array. */
  readonly response?: boolean;
}

const TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];
export const DRAFT4 = 'http://json-schema.org/draft-04/schema#';
export const REF_PREFIX = '#/components/schemas/';
/** API Gateway model names: "Model names can only contain alphanumeric characters". */
export const MODEL_NAME = /^[A-Za-z0-9]{1,128}$/;

/** Keywords of draft 4 that API Gateway refuses, and what to write instead. */
const REFUSED: Record<string, string> = {
  discriminator: 'API Gateway supports no discriminator: drop it (anyOf of the variants validates the same bodies).',
  example: 'API Gateway does not support example in models: put it in description.',
  examples: 'examples is not draft 4 and API Gateway refuses example: put it in description.',
  readOnly: 'API Gateway does not support readOnly: drop it, and leave the property out of the request schema.',
  writeOnly: 'writeOnly is not draft 4: drop it, and leave the property out of the response schema.',
  nullable: 'nullable is OpenAPI, not draft 4: write type: [\'string\', \'null\'].',
  const: 'const is not draft 4: write enum: [value].',
  contains: 'contains is not draft 4: drop it (draft 4 cannot require one matching item).',
  propertyNames: 'propertyNames is not draft 4: use patternProperties with additionalProperties: false.',
  if: 'if/then/else is not draft 4: write anyOf of the cases.',
  then: 'if/then/else is not draft 4: write anyOf of the cases.',
  else: 'if/then/else is not draft 4: write anyOf of the cases.',
  $id: '$id is draft 6+: write id, or drop it.',
  $comment: '$comment is not draft 4: put it in description.',
  $defs: '$defs is not draft 4: declare the schema by name (ServerlessApi schemas / addSchema) and $ref it.',
  deprecated: 'deprecated is not draft 4 and API Gateway drops it: say it in description.',
  xml: 'xml is OpenAPI, not JSON Schema: drop it.',
  externalDocs: 'externalDocs is OpenAPI, not JSON Schema: put the link in description.',
  contentMediaType: 'contentMediaType is not draft 4: drop it.',
  contentEncoding: 'contentEncoding is not draft 4: drop it.',
  dependentRequired: 'dependentRequired is not draft 4: write dependencies: { a: [\'b\'] }.',
  dependentSchemas: 'dependentSchemas is not draft 4: write dependencies: { a: { ...schema } }.',
  unevaluatedProperties: 'unevaluatedProperties is not draft 4: use additionalProperties.',
  unevaluatedItems: 'unevaluatedItems is not draft 4: use additionalItems.',
  exclusiveMinimum: 'API Gateway does not support exclusiveMinimum: use minimum (e.g. minimum: 1 for integers > 0).',
};

const KNOWN = new Set([
  '$schema', 'id', '$ref', 'title', 'description', 'default', 'type', 'enum', 'format',
  'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum',
  'maxLength', 'minLength', 'pattern',
  'items', 'additionalItems', 'maxItems', 'minItems', 'uniqueItems',
  'properties', 'patternProperties', 'additionalProperties', 'required', 'maxProperties', 'minProperties', 'dependencies',
  'allOf', 'anyOf', 'oneOf', 'not', 'definitions',
]);

/** '/properties/a~1b' for the segments ['properties', 'a/b'] (RFC 6901). */
export function pointer(segments: ReadonlyArray<string | number>): string {
  return segments.map(s => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function uniqueJson(values: unknown[]): boolean {
  return new Set(values.map(v => JSON.stringify(v))).size === values.length;
}

/** Every problem of `schema` against API Gateway's draft-4 subset (empty: the schema is accepted). */
export function checkSchema(schema: unknown, options: SchemaCheckOptions): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const add = (at: ReadonlyArray<string | number>, problem: string, fix: string) => problems.push({ pointer: pointer(at), problem, fix });

  const visit = (node: unknown, at: Array<string | number>): void => {
    if (typeof node === 'boolean') {
      add(at, `is the boolean schema ${node}`, `Draft 4 has no boolean schemas: write ${node ? '{}' : '{ not: {} }'}.`);
      return;
    }
    if (!isObject(node)) {
      add(at, 'is not a schema object', 'Give a JSON object, e.g. { type: \'string\' }.');
      return;
    }
    for (const key of Object.keys(node)) {
      if (REFUSED[key] !== undefined) {
        add([...at, key], 'is not supported by API Gateway models (JSON Schema draft 4)', REFUSED[key]);
      } else if (!KNOWN.has(key)) {
        add([...at, key], 'is not a JSON Schema draft 4 keyword', 'Drop it, or say it in description (API Gateway refuses unknown keywords).');
      }
    }
    const v = node;
    if (v.$schema !== undefined && v.$schema !== DRAFT4 && v.$schema !== DRAFT4.slice(0, -1)) {
      add([...at, '$schema'], `names ${JSON.stringify(v.$schema)}`, `API Gateway models are draft 4: write '${DRAFT4}' or drop $schema.`);
    }
    if (v.$ref !== undefined) {
      if (typeof v.$ref !== 'string') {
        add([...at, '$ref'], 'is not a string', `Write '${REF_PREFIX}<Name>'.`);
      } else if (v.$ref.startsWith(REF_PREFIX)) {
        const name = v.$ref.slice(REF_PREFIX.length);
        if (options.schemaNames && !options.schemaNames.has(name)) {
          add([...at, '$ref'], `names the schema '${name}', which the API does not declare`,
            `Declare it (ServerlessApi schemas: { ${name}: RouteSchema... } or api.addSchema('${name}', ...)), or fix the name; declared: ${[...options.schemaNames].join(', ') || '(none)'}.`);
        }
      } else if (!v.$ref.startsWith('#/definitions/')) {
        add([...at, '$ref'], `points outside the document (${v.$ref})`,
          `API Gateway resolves only references into the API's models: declare the schema by name and write '${REF_PREFIX}<Name>'.`);
      }
    }
    if (v.id !== undefined && typeof v.id !== 'string') {
      add([...at, 'id'], 'is not a string', 'Give a URI string, or drop id.');
    }
    for (const key of ['title', 'description', 'format'] as const) {
      if (v[key] !== undefined && typeof v[key] !== 'string') {
        add([...at, key], 'is not a string', `Give ${key} as a string.`);
      }
    }
    if (v.type !== undefined) {
      const types = Array.isArray(v.type) ? v.type : [v.type];
      if (Array.isArray(v.type) && (v.type.length === 0 || !uniqueJson(v.type))) {
        add([...at, 'type'], 'is an empty array or repeats a type', 'List each type once, e.g. [\'string\', \'null\'].');
      }
      for (const t of types) {
        if (typeof t !== 'string' || !TYPES.includes(t)) {
          add([...at, 'type'], `names the type ${JSON.stringify(t)}`, `Use ${TYPES.join(', ')}.`);
        }
      }
    }
    if (typeof v.format === 'string') {
      const numeric = v.type === 'number' || v.type === 'integer';
      if (numeric && ['int32', 'int64'].includes(v.format)) {
        add([...at, 'format'], `is ${v.format}, which API Gateway does not support on numbers`, 'Drop format and use type: \'integer\' with minimum/maximum.');
      }
      if (v.format === 'decimal') {
        add([...at, 'format'], 'is decimal, which API Gateway does not support', 'Drop format; use type: \'number\' (and multipleOf: 0.01 for cents).');
      }
    }
    if (v.enum !== undefined && (!Array.isArray(v.enum) || v.enum.length === 0 || !uniqueJson(v.enum))) {
      add([...at, 'enum'], 'is not a non-empty array of distinct values', 'List the allowed values once each, e.g. [\'open\', \'closed\'].');
    }
    for (const key of ['maximum', 'minimum'] as const) {
      if (v[key] !== undefined && (typeof v[key] !== 'number' || !Number.isFinite(v[key]))) {
        add([...at, key], 'is not a number', `Give ${key} as a number, e.g. ${key}: 0.`);
      }
    }
    if (v.multipleOf !== undefined && !(typeof v.multipleOf === 'number' && v.multipleOf > 0)) {
      add([...at, 'multipleOf'], 'is not a number above 0', 'Give a positive number, e.g. multipleOf: 0.01.');
    }
    if (v.exclusiveMaximum !== undefined) {
      if (typeof v.exclusiveMaximum !== 'boolean') {
        add([...at, 'exclusiveMaximum'], 'is not a boolean (draft 4)', `Draft 4 writes maximum: ${JSON.stringify(v.exclusiveMaximum)}, exclusiveMaximum: true.`);
      } else if (v.maximum === undefined) {
        add([...at, 'exclusiveMaximum'], 'is set without maximum', 'Draft 4 requires maximum with exclusiveMaximum: add maximum, or drop exclusiveMaximum.');
      }
    }
    for (const key of ['maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties'] as const) {
      if (v[key] !== undefined && !isNonNegativeInteger(v[key])) {
        add([...at, key], 'is not an integer >= 0', `Give ${key} as a whole number, e.g. ${key}: 1.`);
      }
    }
    for (const [min, max] of [['minLength', 'maxLength'], ['minItems', 'maxItems'], ['minProperties', 'maxProperties'], ['minimum', 'maximum']] as const) {
      if (typeof v[min] === 'number' && typeof v[max] === 'number' && (v[min]) > (v[max])) {
        add([...at, min], `(${String(v[min])}) is above ${max} (${String(v[max])}): no value can match`, `Lower ${min} or raise ${max}.`);
      }
    }
    if (v.uniqueItems !== undefined && typeof v.uniqueItems !== 'boolean') {
      add([...at, 'uniqueItems'], 'is not a boolean', 'Write uniqueItems: true or drop it.');
    }
    if (v.pattern !== undefined) {
      if (typeof v.pattern !== 'string') {
        add([...at, 'pattern'], 'is not a string', 'Give a regular expression as a string.');
      } else {
        try {
          new RegExp(v.pattern, 'u');
        } catch (e) {
          add([...at, 'pattern'], `is not a valid regular expression (${(e as Error).message})`, 'Fix the expression (ECMA 262 syntax).');
        }
      }
    }
    if (v.required !== undefined) {
      if (!Array.isArray(v.required) || v.required.length === 0 || v.required.some(r => typeof r !== 'string') || !uniqueJson(v.required)) {
        add([...at, 'required'], 'is not a non-empty array of distinct property names (draft 4)', 'List each required property once, or drop required when none is.');
      } else if (v.additionalProperties === false && isObject(v.properties) && v.patternProperties === undefined) {
        const properties = v.properties;
        for (const name of v.required as string[]) {
          if (!(name in properties)) {
            add([...at, 'required'], `requires '${name}', which properties does not declare while additionalProperties is false: no value can match`,
              `Declare '${name}' in properties, or drop it from required.`);
          }
        }
      }
    }
    const schemaMap = (key: string): void => {
      const map = v[key];
      if (map === undefined) { return; }
      if (!isObject(map)) {
        add([...at, key], 'is not an object of schemas', `Write ${key}: { name: { ...schema } }.`);
        return;
      }
      for (const [name, sub] of Object.entries(map)) {
        if (key === 'patternProperties') {
          try {
            new RegExp(name, 'u');
          } catch (e) {
            add([...at, key, name], `is not a valid regular expression (${(e as Error).message})`, 'Fix the expression (ECMA 262 syntax).');
          }
        }
        visit(sub, [...at, key, name]);
      }
    };
    schemaMap('properties');
    schemaMap('patternProperties');
    schemaMap('definitions');
    for (const key of ['additionalProperties', 'additionalItems'] as const) {
      if (v[key] !== undefined && typeof v[key] !== 'boolean') {
        visit(v[key], [...at, key]);
      }
    }
    if (v.items !== undefined) {
      if (Array.isArray(v.items)) {
        v.items.forEach((sub, i) => visit(sub, [...at, 'items', i]));
      } else {
        visit(v.items, [...at, 'items']);
      }
    }
    if (v.not !== undefined) {
      visit(v.not, [...at, 'not']);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      if (v[key] === undefined) { continue; }
      if (!Array.isArray(v[key]) || (v[key] as unknown[]).length === 0) {
        add([...at, key], 'is not a non-empty array of schemas', `Write ${key}: [{ ...schema }, ...].`);
        continue;
      }
      (v[key] as unknown[]).forEach((sub, i) => visit(sub, [...at, key, i]));
    }
    if (v.dependencies !== undefined) {
      if (!isObject(v.dependencies)) {
        add([...at, 'dependencies'], 'is not an object', 'Write dependencies: { a: [\'b\'] } or { a: { ...schema } }.');
      } else {
        for (const [name, dep] of Object.entries(v.dependencies)) {
          if (Array.isArray(dep)) {
            if (dep.length === 0 || dep.some(d => typeof d !== 'string') || !uniqueJson(dep)) {
              add([...at, 'dependencies', name], 'is not a non-empty array of distinct property names', 'List the properties it needs, once each.');
            }
          } else {
            visit(dep, [...at, 'dependencies', name]);
          }
        }
      }
    }
  };

  visit(schema, []);
  if (options.response && isObject(schema) && schema.$ref === undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some(t => t === 'object' || t === 'array')) {
      problems.push({
        pointer: '',
        problem: `is of type ${JSON.stringify(schema.type ?? 'any')}, but API Gateway requires method response schemas to be objects or arrays`,
        fix: 'Wrap the value in an object, e.g. { type: \'object\', properties: { value: ... } }.',
      });
    }
  }
  return problems;
}

/** The names of the schemas `schema` references by `#/components/schemas/<name>`, at any depth. */
export function referencedNames(schema: unknown): string[] {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (isObject(node)) {
      if (typeof node.$ref === 'string' && node.$ref.startsWith(REF_PREFIX)) {
        names.add(node.$ref.slice(REF_PREFIX.length));
      }
      Object.values(node).forEach(walk);
    }
  };
  walk(schema);
  return [...names];
}

/**
 * A cycle among named schemas ('A -> B -> A'), or undefined. API Gateway's import does not resolve
 * circular model references.
 */
export function findCycle(schemas: ReadonlyMap<string, unknown>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') { return undefined; }
    if (state.get(name) === 'visiting') { return [...stack.slice(stack.indexOf(name)), name]; }
    state.set(name, 'visiting');
    stack.push(name);
    for (const next of referencedNames(schemas.get(name))) {
      if (schemas.has(next)) {
        const cycle = visit(next);
        if (cycle) { return cycle; }
      }
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of [...schemas.keys()].sort()) {
    const cycle = visit(name);
    if (cycle) { return cycle; }
  }
  return undefined;
}
