/**
 * `$input` of API Gateway mapping templates: the body (`$input.body`, `$input.json(path)`,
 * `$input.path(path)`) and the request parameters (`$input.params()`, `$input.params(name)`).
 */
import { VtlError } from './java';

/**
 * The request parameters as API Gateway hands them to templates: one value per name (the last one
 * when a query parameter repeats), header names as the client sent them.
 */
export interface InputParams {
  readonly path: Record<string, string>;
  readonly querystring: Record<string, string>;
  readonly header: Record<string, string>;
}

/** The body could not be read as JSON: API Gateway answers 400 before any template output is used. */
export class InvalidJsonBodyError extends VtlError {
  constructor(detail: string) {
    super(`Could not parse request body into json: ${detail}`);
    this.name = 'InvalidJsonBodyError';
  }
}

type Step = { readonly key: string } | { readonly index: number };

/**
 * Parses the definite JSONPath expressions mapping templates use: `$`, `$.a.b`, `$['a']`, `$.a[0]`,
 * `$["a b"]`. Wildcards, filters and recursive descent are rejected: a template of this library
 * never uses them, and a local server must not pretend to support what it does not.
 *
 * Written here rather than taken from a JSONPath package: those return arrays of matches (Jayway,
 * which API Gateway runs, returns the value of a definite path) and accept far more syntax than is
 * needed. 40 lines are easier to keep exact than a dependency to wrap.
 */
export function parseJsonPath(expression: string): Step[] {
  const expr = String(expression).trim();
  if (!expr.startsWith('$')) {
    throw new VtlError(`JSONPath '${expr}' must start with '$'`);
  }
  const steps: Step[] = [];
  let i = 1;
  while (i < expr.length) {
    if (expr[i] === '.') {
      const match = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(expr.slice(i + 1));
      if (!match) { throw new VtlError(`JSONPath '${expr}': expected a name after '.' at ${i}`); }
      steps.push({ key: match[0] });
      i += 1 + match[0].length;
    } else if (expr[i] === '[') {
      const rest = expr.slice(i);
      const quoted = /^\[\s*(['"])((?:\\.|(?!\1).)*)\1\s*\]/.exec(rest);
      const index = /^\[\s*(\d+)\s*\]/.exec(rest);
      if (quoted) {
        steps.push({ key: quoted[2].replace(/\\(.)/g, '$1') });
        i += quoted[0].length;
      } else if (index) {
        steps.push({ index: Number(index[1]) });
        i += index[0].length;
      } else {
        throw new VtlError(`JSONPath '${expr}': only ['name'] and [index] are supported at ${i}`);
      }
    } else {
      throw new VtlError(`JSONPath '${expr}': unexpected '${expr[i]}' at ${i}`);
    }
  }
  return steps;
}

/** The value at a definite JSONPath, or undefined when any step is missing. */
export function evaluateJsonPath(root: unknown, expression: string): unknown {
  let value = root;
  for (const step of parseJsonPath(expression)) {
    if ('index' in step) {
      value = Array.isArray(value) ? value[step.index] : undefined;
    } else {
      value = typeof value === 'object' && value !== null && !Array.isArray(value)
        && Object.prototype.hasOwnProperty.call(value, step.key) ? (value as Record<string, unknown>)[step.key] : undefined;
    }
    if (value === undefined) { return undefined; }
  }
  return value;
}

/**
 * The `$input` object of one template rendering. `body` is the raw payload text; for a request
 * template the request body, for a response template the integration's response.
 */
export class InputVariable {
  public readonly body: string;
  private parsed?: { value: unknown };

  constructor(body: string, private readonly parameters: InputParams) {
    this.body = body;
  }

  /** The JSON at `path`, as JSON text; an empty payload is `{}` (what API Gateway passes for GET). */
  public json(path: string): string {
    const value = evaluateJsonPath(this.root(), path);
    return value === undefined ? '' : JSON.stringify(value);
  }

  /** The value at `path`, as an object templates can walk (maps, lists, strings, numbers). */
  public path(path: string): unknown {
    return evaluateJsonPath(this.root(), path);
  }

  /**
   * `params()`: every parameter, `{ path, querystring, header }`. `params(name)`: the value of one,
   * looked up in path, then query string, then headers ('' when none has it).
   */
  public params(name?: string): unknown {
    if (name === undefined) {
      return { path: { ...this.parameters.path }, querystring: { ...this.parameters.querystring }, header: { ...this.parameters.header } };
    }
    for (const source of [this.parameters.path, this.parameters.querystring, this.parameters.header]) {
      if (Object.prototype.hasOwnProperty.call(source, name)) { return source[name]; }
    }
    return '';
  }

  private root(): unknown {
    if (!this.parsed) {
      if (this.body.trim() === '') {
        this.parsed = { value: {} };
      } else {
        try {
          this.parsed = { value: JSON.parse(this.body) };
        } catch (e) {
          throw new InvalidJsonBodyError((e as Error).message);
        }
      }
    }
    return this.parsed.value;
  }
}
