/**
 * The Java semantics API Gateway's Velocity engine gives values in mapping templates, for velocityjs
 * (which would otherwise call JavaScript methods of the same names with different meanings: JS
 * `replaceAll` takes a literal string where Java's takes a regex, JS `length` is a property where
 * Java's is a method, JS `replace` replaces once where Java's replaces every occurrence).
 *
 * Templates call these methods on three kinds of values: strings, JSON objects (Java maps) and JSON
 * arrays (Java lists). Every method call on one of them is answered here, so that no template can
 * reach a JavaScript method of the value (and velocityjs never attaches its `eval` helper to data).
 */

/** A method call velocityjs asks its custom handlers about. */
interface MethodCall {
  readonly property: string;
  readonly params: unknown[];
  readonly context: unknown;
}

/** Velocity's custom method handler shape (velocityjs `customMethodHandlers`). */
export interface VelocityMethodHandler {
  readonly uid: string;
  match(call: MethodCall): boolean;
  resolve(call: MethodCall): unknown;
}

/** Thrown for a template that calls a method API Gateway's engine would not have. */
export class VtlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VtlError';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Translates a Java regex to a JavaScript one (the subset templates use: both dialects agree on it). */
export function javaRegex(pattern: string, flags = ''): RegExp {
  if (/\(\?<[=!]|\\[AZzQEGp]|\(\?[imsux-]+\)|[*+?}]\+/.test(pattern)) {
    throw new VtlError(`Java regex '${pattern}' uses syntax this engine does not translate (\\A, \\Z, \\Q..\\E, inline flags, possessive quantifiers).`);
  }
  return new RegExp(pattern, flags);
}

/** Java's `Matcher.appendReplacement` rules: `$n` is a group, `\x` is a literal x. */
function javaReplacement(replacement: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      i++;
      if (i >= replacement.length) { throw new VtlError('character to be escaped is missing (a replacement ends with \\)'); }
      out += replacement[i];
    } else if (c === '$') {
      const digits = /^\d+/.exec(replacement.slice(i + 1));
      if (!digits) { throw new VtlError(`Illegal group reference in replacement '${replacement}'`); }
      out += match[Number(digits[0])] ?? '';
      i += digits[0].length;
    } else {
      out += c;
    }
  }
  return out;
}

function stringMethod(s: string, name: string, params: unknown[]): unknown {
  const p = params;
  const str = (i: number): string => formatJava(p[i] ?? 'null');
  switch (name) {
    case 'length': return s.length;
    case 'isEmpty': return s.length === 0;
    // eslint-disable-next-line no-control-regex -- Java's trim() strips every character up to U+0020
    case 'toString': case 'trim': return name === 'trim' ? s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '') : s;
    case 'toLowerCase': return s.toLowerCase();
    case 'toUpperCase': return s.toUpperCase();
    case 'equals': return typeof p[0] === 'string' && p[0] === s;
    case 'equalsIgnoreCase': return typeof p[0] === 'string' && p[0].toLowerCase() === s.toLowerCase();
    case 'contains': return s.includes(str(0));
    case 'startsWith': return s.startsWith(str(0));
    case 'endsWith': return s.endsWith(str(0));
    case 'indexOf': return s.indexOf(str(0));
    case 'lastIndexOf': return s.lastIndexOf(str(0));
    case 'charAt': return s.charAt(Number(p[0]));
    case 'concat': return s + str(0);
    case 'substring': {
      const begin = Number(p[0]);
      const end = p.length > 1 ? Number(p[1]) : s.length;
      if (begin < 0 || end > s.length || begin > end) {
        throw new VtlError(`String index out of range: substring(${begin}, ${end}) of a string of length ${s.length}`);
      }
      return s.substring(begin, end);
    }
    case 'replace': return s.split(str(0)).join(str(1));
    case 'replaceAll': case 'replaceFirst': {
      const re = javaRegex(str(0), 'g');
      const replacement = str(1);
      let out = '';
      let last = 0;
      for (let m = re.exec(s); m; m = re.exec(s)) {
        out += s.slice(last, m.index) + javaReplacement(replacement, m);
        last = m.index + m[0].length;
        if (m[0].length === 0) { re.lastIndex++; }
        if (name === 'replaceFirst') { break; }
      }
      return out + s.slice(last);
    }
    case 'matches': return javaRegex(`^(?:${str(0)})$`).test(s);
    case 'split': {
      const parts = s.split(javaRegex(str(0)));
      while (parts.length > 1 && parts[parts.length - 1] === '') { parts.pop(); } // Java drops trailing empty strings
      return parts;
    }
    default:
      throw new VtlError(`String has no method ${name}() in API Gateway's Velocity engine as emulated here`);
  }
}

function mapMethod(map: Record<string, unknown>, name: string, params: unknown[]): unknown {
  switch (name) {
    case 'get': return Object.prototype.hasOwnProperty.call(map, String(params[0])) ? map[String(params[0])] : undefined;
    case 'containsKey': return Object.prototype.hasOwnProperty.call(map, String(params[0]));
    case 'keySet': return Object.keys(map);
    case 'values': return Object.values(map);
    case 'entrySet': return Object.keys(map).map(key => ({ key, value: map[key] }));
    case 'size': return Object.keys(map).length;
    case 'isEmpty': return Object.keys(map).length === 0;
    case 'put': { const old = map[String(params[0])]; map[String(params[0])] = params[1]; return old; }
    case 'toString': return formatJava(map);
    default:
      throw new VtlError(`Map has no method ${name}() in API Gateway's Velocity engine as emulated here`);
  }
}

function listMethod(list: unknown[], name: string, params: unknown[]): unknown {
  switch (name) {
    case 'get': {
      const i = Number(params[0]);
      if (!Number.isInteger(i) || i < 0 || i >= list.length) { throw new VtlError(`Index ${formatJava(params[0])} out of bounds for length ${list.length}`); }
      return list[i];
    }
    case 'size': return list.length;
    case 'isEmpty': return list.length === 0;
    case 'contains': return list.includes(params[0]);
    case 'add': list.push(params[0]); return true;
    case 'toString': return formatJava(list);
    default:
      throw new VtlError(`List has no method ${name}() in API Gateway's Velocity engine as emulated here`);
  }
}

function numberMethod(n: number, name: string): unknown {
  switch (name) {
    case 'toString': return formatJava(n);
    case 'intValue': case 'longValue': return Math.trunc(n);
    case 'doubleValue': return n;
    default:
      throw new VtlError(`Number has no method ${name}() in API Gateway's Velocity engine as emulated here`);
  }
}

/** How Java's `toString` would print a value (maps `{a=1, b=x}`, lists `[1, x]`). */
export function formatJava(value: unknown): string {
  if (value === undefined || value === null) { return ''; }
  if (Array.isArray(value)) { return `[${value.map(formatJava).join(', ')}]`; }
  if (isPlainObject(value)) { return `{${Object.entries(value).map(([k, v]) => `${k}=${formatJava(v)}`).join(', ')}}`; }
  return typeof value === 'object' ? JSON.stringify(value) : `${value as string | number | boolean}`;
}

/**
 * The velocityjs handler answering every method call on strings, numbers, booleans, JSON objects and
 * arrays with Java semantics. Objects that are library services (`$util`, `$input`) are not data and
 * pass through.
 */
export function javaMethodHandler(services: ReadonlySet<object>): VelocityMethodHandler {
  return {
    uid: 'api-gateway-java-semantics',
    match: ({ context }) => {
      if (typeof context === 'string' || typeof context === 'number' || typeof context === 'boolean') { return true; }
      return typeof context === 'object' && context !== null && !services.has(context);
    },
    resolve: ({ context, property, params }) => {
      if (typeof context === 'string') { return stringMethod(context, property, params); }
      if (typeof context === 'number') { return numberMethod(context, property); }
      if (typeof context === 'boolean') {
        if (property === 'toString') { return String(context); }
        if (property === 'booleanValue') { return context; }
        throw new VtlError(`Boolean has no method ${property}()`);
      }
      if (Array.isArray(context)) { return listMethod(context, property, params); }
      return mapMethod(context as Record<string, unknown>, property, params);
    },
  };
}
