/**
 * The part of API Gateway's Velocity (VTL) mapping templates the local server needs for gateway
 * responses, mock integrations (CORS preflights) and HTTP integrations: references (`$context.x`,
 * `${x}`, `$!x`, `$a.b("c")`, `$a['b']`), `#set`, `#if`/`#elseif`/`#else`/`#end`, `#foreach`,
 * comments, and the `$input`, `$util`, `$context` (with `responseOverride`) and `$stageVariables`
 * variables. A reference to nothing renders as an empty string.
 */

/** What a template sees of the request. */
export interface TemplateInput {
  readonly context: Record<string, any>;
  readonly stageVariables: { [name: string]: string };
  readonly headers: { [name: string]: string };
  readonly query: { [name: string]: string };
  readonly pathParameters: { [name: string]: string };
  readonly body: string;
}

/** The rendered body and what the template overrode (`$context.responseOverride`). */
export interface TemplateOutput {
  readonly body: string;
  readonly statusOverride?: number;
  readonly headerOverrides: { [name: string]: string };
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'ref'; expr: Expr; quiet: boolean }
  | { kind: 'set'; target: Expr; value: Expr }
  | { kind: 'if'; branches: Array<{ cond?: Expr; body: Node[] }> }
  | { kind: 'foreach'; name: string; list: Expr; body: Node[] };

type Expr =
  | { kind: 'lit'; value: unknown }
  | { kind: 'str'; parts: Node[] }
  | { kind: 'var'; name: string }
  | { kind: 'prop'; target: Expr; name: string }
  | { kind: 'index'; target: Expr; index: Expr }
  | { kind: 'call'; target: Expr; name: string; args: Expr[] }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'range'; from: Expr; to: Expr }
  | { kind: 'map'; entries: Array<[Expr, Expr]> }
  | { kind: 'unary'; op: string; arg: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr };

const cache = new Map<string, Node[]>();

/** Renders `template` for a request. Throws on a template it cannot parse. */
export function renderTemplate(template: string, input: TemplateInput): TemplateOutput {
  if (!template.includes('$') && !template.includes('#')) {
    return { body: template, headerOverrides: {} }; // static text: nothing to evaluate
  }
  let nodes = cache.get(template);
  if (!nodes) {
    nodes = new Parser(template).parseBlock([]).nodes;
    if (cache.size > 500) { cache.clear(); }
    cache.set(template, nodes);
  }
  const override = { status: undefined as unknown, header: {} as Record<string, unknown> };
  const context = { ...input.context, responseOverride: override };
  const scope = new Map<string, unknown>([
    ['context', context],
    ['stageVariables', input.stageVariables],
    ['input', new InputVariable(input)],
    ['util', UTIL],
  ]);
  const body = renderNodes(nodes, scope);
  const headerOverrides: Record<string, string> = {};
  for (const [k, v] of Object.entries(override.header)) { headerOverrides[k] = String(v); }
  const status = override.status === undefined || override.status === '' ? undefined : Number(override.status);
  return { body, statusOverride: Number.isFinite(status) ? status : undefined, headerOverrides };
}

class InputVariable {
  constructor(private readonly input: TemplateInput) {}
  public get body(): string { return this.input.body; }
  public params(name?: string): unknown {
    const all = { path: this.input.pathParameters, querystring: this.input.query, header: this.input.headers };
    if (name === undefined) { return all; }
    return this.input.pathParameters[name] ?? this.input.query[name]
      ?? Object.entries(this.input.headers).find(([k]) => k.toLowerCase() === String(name).toLowerCase())?.[1] ?? '';
  }
  public json(path: string): string {
    const value = jsonPath(this.parsed(), path);
    return value === undefined ? '' : JSON.stringify(value);
  }
  public path(path: string): unknown {
    return jsonPath(this.parsed(), path);
  }
  private parsed(): unknown {
    try {
      return this.input.body === '' ? {} : JSON.parse(this.input.body);
    } catch {
      return this.input.body;
    }
  }
}

/** A template value as text: null and undefined are empty, objects are JSON. */
function text(s: unknown): string {
  if (s === undefined || s === null) { return ''; }
  if (typeof s === 'string') { return s; }
  return typeof s === 'number' || typeof s === 'boolean' ? String(s) : JSON.stringify(s);
}

const UTIL = {
  escapeJavaScript: (s: unknown) => JSON.stringify(text(s)).slice(1, -1).replace(/'/g, '\\\''),
  urlEncode: (s: unknown) => encodeURIComponent(text(s)),
  urlDecode: (s: unknown) => decodeURIComponent(text(s)),
  base64Encode: (s: unknown) => Buffer.from(text(s)).toString('base64'),
  base64Decode: (s: unknown) => Buffer.from(text(s), 'base64').toString('utf8'),
  parseJson: (s: unknown) => JSON.parse(text(s)),
};

/** `$`, `$.a.b`, `$.a[0]`, `$['a']`: the JSONPath subset `$input.json`/`$input.path` take. */
function jsonPath(root: unknown, path: string): unknown {
  let value: any = root;
  const parts = String(path).replace(/^\$/, '').match(/\.[^.[\]]+|\[[^\]]*\]/g) ?? [];
  for (const part of parts) {
    const key = part.startsWith('.') ? part.slice(1) : part.slice(1, -1).replace(/^['"]|['"]$/g, '');
    if (value === null || value === undefined) { return undefined; }
    value = value[key];
  }
  return value;
}

function renderNodes(nodes: Node[], scope: Map<string, unknown>): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text': out += node.text; break;
      case 'ref': {
        const value = evaluate(node.expr, scope);
        out += value === undefined || value === null ? '' : stringify(value);
        break;
      }
      case 'set': assign(node.target, evaluate(node.value, scope), scope); break;
      case 'if': {
        const branch = node.branches.find(b => b.cond === undefined || truthy(evaluate(b.cond, scope)));
        if (branch) { out += renderNodes(branch.body, scope); }
        break;
      }
      case 'foreach': {
        const value = evaluate(node.list, scope);
        const items = Array.isArray(value) ? value : value instanceof Set ? [...value] : value && typeof value === 'object' ? Object.values(value) : [];
        items.forEach((item, i) => {
          scope.set(node.name, item);
          scope.set('velocityCount', i + 1);
          scope.set('foreach', { hasNext: i < items.length - 1, count: i + 1, index: i });
          out += renderNodes(node.body, scope);
        });
        break;
      }
    }
  }
  return out;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') { return value; }
  if (Array.isArray(value)) { return `[${value.map(stringify).join(', ')}]`; }
  if (value && typeof value === 'object' && !(value instanceof InputVariable)) {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${stringify(v)}`).join(', ')}}`;
  }
  return String(value);
}

function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

function assign(target: Expr, value: unknown, scope: Map<string, unknown>): void {
  if (target.kind === 'var') { scope.set(target.name, value); return; }
  if (target.kind === 'prop' || target.kind === 'index') {
    const owner = evaluate(target.target, scope);
    const key = target.kind === 'prop' ? target.name : String(evaluate(target.index, scope));
    if (owner && typeof owner === 'object') { owner[key] = value; }
  }
}

function evaluate(expr: Expr, scope: Map<string, unknown>): any {
  switch (expr.kind) {
    case 'lit': return expr.value;
    case 'str': return renderNodes(expr.parts, scope);
    case 'var': return scope.get(expr.name);
    case 'prop': {
      const target = evaluate(expr.target, scope);
      if (target === undefined || target === null) { return undefined; }
      if (expr.name === 'size' && (Array.isArray(target) || typeof target === 'string')) { return target.length; }
      if (target instanceof Map) { return target.get(expr.name); }
      return (target)[expr.name];
    }
    case 'index': {
      const target = evaluate(expr.target, scope);
      return target === undefined || target === null ? undefined : (target)[evaluate(expr.index, scope)];
    }
    case 'call': return call(evaluate(expr.target, scope), expr.name, expr.args.map(a => evaluate(a, scope)));
    case 'list': return expr.items.map(i => evaluate(i, scope));
    case 'range': {
      const from = Number(evaluate(expr.from, scope));
      const to = Number(evaluate(expr.to, scope));
      const out: number[] = [];
      for (let i = from; from <= to ? i <= to : i >= to; i += from <= to ? 1 : -1) { out.push(i); }
      return out;
    }
    case 'map': return Object.fromEntries(expr.entries.map(([k, v]) => [String(evaluate(k, scope)), evaluate(v, scope)]));
    case 'unary': return !truthy(evaluate(expr.arg, scope));
    case 'binary': {
      if (expr.op === '&&') { return truthy(evaluate(expr.left, scope)) && truthy(evaluate(expr.right, scope)); }
      if (expr.op === '||') { return truthy(evaluate(expr.left, scope)) || truthy(evaluate(expr.right, scope)); }
      const l = evaluate(expr.left, scope);
      const r = evaluate(expr.right, scope);
      switch (expr.op) {
        case '==': return l == r || String(l) === String(r);  
        case '!=': return !(l == r || String(l) === String(r));  
        case '<': return Number(l) < Number(r);
        case '>': return Number(l) > Number(r);
        case '<=': return Number(l) <= Number(r);
        case '>=': return Number(l) >= Number(r);
        case '+': return typeof l === 'number' && typeof r === 'number' ? l + r : `${l ?? ''}${r ?? ''}`;
        case '-': return Number(l) - Number(r);
        case '*': return Number(l) * Number(r);
        case '/': return Math.trunc(Number(l) / Number(r));
        case '%': return Number(l) % Number(r);
      }
      return undefined;
    }
  }
}

/** Java-style methods VTL templates call on values. */
function call(target: any, name: string, args: any[]): any {
  if (target === undefined || target === null) { return undefined; }
  if (typeof target[name] === 'function' && !(typeof target === 'string' || Array.isArray(target))) {
    return target[name](...args);
  }
  if (typeof target === 'string') {
    switch (name) {
      case 'length': return target.length;
      case 'toLowerCase': return target.toLowerCase();
      case 'toUpperCase': return target.toUpperCase();
      case 'trim': return target.trim();
      case 'contains': return target.includes(String(args[0]));
      case 'startsWith': return target.startsWith(String(args[0]));
      case 'endsWith': return target.endsWith(String(args[0]));
      case 'equals': return target === String(args[0]);
      case 'equalsIgnoreCase': return target.toLowerCase() === String(args[0]).toLowerCase();
      case 'isEmpty': return target.length === 0;
      case 'indexOf': return target.indexOf(String(args[0]));
      case 'substring': return target.substring(Number(args[0]), args[1] === undefined ? undefined : Number(args[1]));
      case 'replace': return target.split(String(args[0])).join(String(args[1]));
      case 'replaceAll': return target.replace(new RegExp(String(args[0]), 'g'), String(args[1]));
      case 'split': return target.split(new RegExp(String(args[0])));
      case 'matches': return new RegExp(`^(?:${String(args[0])})$`).test(target);
      case 'toString': return target;
    }
    return undefined;
  }
  if (Array.isArray(target)) {
    switch (name) {
      case 'size': return target.length;
      case 'get': return target[Number(args[0])];
      case 'contains': return target.includes(args[0]);
      case 'isEmpty': return target.length === 0;
      case 'add': target.push(args[0]); return true;
    }
    return undefined;
  }
  if (typeof target === 'object') {
    switch (name) {
      case 'get': return target[String(args[0])];
      case 'put': target[String(args[0])] = args[1]; return undefined;
      case 'keySet': return Object.keys(target);
      case 'entrySet': return Object.entries(target).map(([key, value]) => ({ key, value }));
      case 'values': return Object.values(target);
      case 'containsKey': return String(args[0]) in target;
      case 'size': return Object.keys(target).length;
      case 'isEmpty': return Object.keys(target).length === 0;
    }
  }
  return undefined;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  /** Parses nodes until one of `terminators` (directive names) or the end. */
  public parseBlock(terminators: string[]): { nodes: Node[]; ended?: string; cond?: Expr } {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => { if (text) { nodes.push({ kind: 'text', text }); text = ''; } };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '#' && this.src.startsWith('##', this.pos)) {
        const end = this.src.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.src.length : end + 1;
        continue;
      }
      if (c === '#' && this.src.startsWith('#*', this.pos)) {
        const end = this.src.indexOf('*#', this.pos + 2);
        this.pos = end < 0 ? this.src.length : end + 2;
        continue;
      }
      if (c === '#') {
        const directive = /^#\{?(set|if|elseif|else|end|foreach)\}?/.exec(this.src.slice(this.pos));
        if (directive) {
          const name = directive[1];
          if (terminators.includes(name)) {
            flush();
            this.pos += directive[0].length;
            if (name === 'elseif') {
              return { nodes, ended: name, cond: this.parenExpr() };
            }
            return { nodes, ended: name };
          }
          flush();
          this.pos += directive[0].length;
          nodes.push(this.directive(name));
          continue;
        }
      }
      if (c === '$') {
        const ref = this.tryReference();
        if (ref) { flush(); nodes.push(ref); continue; }
      }
      if (c === '\\' && (this.src[this.pos + 1] === '$' || this.src[this.pos + 1] === '#')) {
        text += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      text += c;
      this.pos++;
    }
    flush();
    if (terminators.length > 0 && terminators.includes('end')) {
      throw new Error('Mapping template: #end missing');
    }
    return { nodes };
  }

  private directive(name: string): Node {
    switch (name) {
      case 'set': {
        this.skipSpaces();
        this.expect('(');
        this.skipSpaces();
        const target = this.reference();
        this.skipSpaces();
        this.expect('=');
        const value = this.expr();
        this.skipSpaces();
        this.expect(')');
        this.skipLineAfterDirective();
        return { kind: 'set', target, value };
      }
      case 'if': {
        const branches: Array<{ cond?: Expr; body: Node[] }> = [];
        let cond: Expr | undefined = this.parenExpr();
        for (;;) {
          const block = this.parseBlock(['elseif', 'else', 'end']);
          branches.push({ cond, body: block.nodes });
          if (block.ended === 'end') { break; }
          if (block.ended === 'else') {
            const rest = this.parseBlock(['end']);
            branches.push({ body: rest.nodes });
            break;
          }
          cond = block.cond;
        }
        return { kind: 'if', branches };
      }
      case 'foreach': {
        this.skipSpaces();
        this.expect('(');
        this.skipSpaces();
        this.expect('$');
        const name = this.identifier();
        this.skipSpaces();
        if (!this.src.startsWith('in', this.pos)) { throw new Error('Mapping template: #foreach needs "in"'); }
        this.pos += 2;
        const list = this.expr();
        this.skipSpaces();
        this.expect(')');
        const block = this.parseBlock(['end']);
        return { kind: 'foreach', name, list, body: block.nodes };
      }
      default:
        throw new Error(`Mapping template: unexpected #${name}`);
    }
  }

  /** Velocity drops the newline right after a #set line. */
  private skipLineAfterDirective(): void {
    const m = /^[ \t]*\r?\n/.exec(this.src.slice(this.pos));
    if (m) { this.pos += m[0].length; }
  }

  private parenExpr(): Expr {
    this.skipSpaces();
    this.expect('(');
    const e = this.expr();
    this.skipSpaces();
    this.expect(')');
    return e;
  }

  private tryReference(): Node | undefined {
    const start = this.pos;
    try {
      const quiet = this.src[this.pos + 1] === '!';
      const expr = this.reference();
      return { kind: 'ref', expr, quiet };
    } catch {
      this.pos = start;
      return undefined;
    }
  }

  private reference(): Expr {
    this.expect('$');
    if (this.src[this.pos] === '!') { this.pos++; }
    const braced = this.src[this.pos] === '{';
    if (braced) { this.pos++; }
    let expr: Expr = { kind: 'var', name: this.identifier() };
    for (;;) {
      if (this.src[this.pos] === '.' && /[A-Za-z_]/.test(this.src[this.pos + 1] ?? '')) {
        this.pos++;
        const name = this.identifier();
        if (this.src[this.pos] === '(') {
          this.pos++;
          const args: Expr[] = [];
          this.skipSpaces();
          while (this.src[this.pos] !== ')') {
            args.push(this.expr());
            this.skipSpaces();
            if (this.src[this.pos] === ',') { this.pos++; }
            this.skipSpaces();
            if (this.pos >= this.src.length) { throw new Error('Mapping template: unclosed call'); }
          }
          this.pos++;
          expr = { kind: 'call', target: expr, name, args };
        } else {
          expr = { kind: 'prop', target: expr, name };
        }
      } else if (this.src[this.pos] === '[') {
        this.pos++;
        const index = this.expr();
        this.skipSpaces();
        this.expect(']');
        expr = { kind: 'index', target: expr, index };
      } else {
        break;
      }
    }
    if (braced) { this.expect('}'); }
    return expr;
  }

  private identifier(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos));
    if (!m) { throw new Error('Mapping template: identifier expected'); }
    let name = m[0];
    // A trailing '-' belongs to the text, not the name ("$a-" is $a followed by "-").
    while (name.endsWith('-')) { name = name.slice(0, -1); }
    this.pos += name.length;
    return name;
  }

  private expr(): Expr { return this.or(); }

  private or(): Expr {
    let left = this.and();
    for (;;) {
      this.skipSpaces();
      if (this.src.startsWith('||', this.pos)) { this.pos += 2; left = { kind: 'binary', op: '||', left, right: this.and() }; } else if (/^or\b/.test(this.src.slice(this.pos))) { this.pos += 2; left = { kind: 'binary', op: '||', left, right: this.and() }; } else { return left; }
    }
  }

  private and(): Expr {
    let left = this.not();
    for (;;) {
      this.skipSpaces();
      if (this.src.startsWith('&&', this.pos)) { this.pos += 2; left = { kind: 'binary', op: '&&', left, right: this.not() }; } else if (/^and\b/.test(this.src.slice(this.pos))) { this.pos += 3; left = { kind: 'binary', op: '&&', left, right: this.not() }; } else { return left; }
    }
  }

  private not(): Expr {
    this.skipSpaces();
    if (this.src[this.pos] === '!' && this.src[this.pos + 1] !== '=') { this.pos++; return { kind: 'unary', op: '!', arg: this.not() }; }
    return this.compare();
  }

  private compare(): Expr {
    const left = this.additive();
    this.skipSpaces();
    const m = /^(==|!=|<=|>=|<|>|eq\b|ne\b)/.exec(this.src.slice(this.pos));
    if (!m) { return left; }
    this.pos += m[0].length;
    const op = m[0] === 'eq' ? '==' : m[0] === 'ne' ? '!=' : m[0];
    return { kind: 'binary', op, left, right: this.additive() };
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      this.skipSpaces();
      const c = this.src[this.pos];
      if ((c === '+' || c === '-') && this.src[this.pos + 1] !== '>') { this.pos++; left = { kind: 'binary', op: c, left, right: this.multiplicative() }; } else { return left; }
    }
  }

  private multiplicative(): Expr {
    let left = this.primary();
    for (;;) {
      this.skipSpaces();
      const c = this.src[this.pos];
      if (c === '*' || c === '/' || c === '%') { this.pos++; left = { kind: 'binary', op: c, left, right: this.primary() }; } else { return left; }
    }
  }

  private primary(): Expr {
    this.skipSpaces();
    const c = this.src[this.pos];
    if (c === '"') {
      const end = this.closingQuote('"');
      const inner = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
      return { kind: 'str', parts: new Parser(inner).parseBlock([]).nodes };
    }
    if (c === '\'') {
      const end = this.closingQuote('\'');
      const value = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
      return { kind: 'lit', value };
    }
    if (c === '$') { return this.reference(); }
    if (c === '(') {
      this.pos++;
      const e = this.expr();
      this.skipSpaces();
      this.expect(')');
      return e;
    }
    if (c === '[') {
      this.pos++;
      this.skipSpaces();
      const items: Expr[] = [];
      while (this.src[this.pos] !== ']') {
        const item = this.expr();
        this.skipSpaces();
        if (this.src.startsWith('..', this.pos)) {
          this.pos += 2;
          const to = this.expr();
          this.skipSpaces();
          this.expect(']');
          return { kind: 'range', from: item, to };
        }
        items.push(item);
        if (this.src[this.pos] === ',') { this.pos++; }
        this.skipSpaces();
        if (this.pos >= this.src.length) { throw new Error('Mapping template: unclosed list'); }
      }
      this.pos++;
      return { kind: 'list', items };
    }
    if (c === '{') {
      this.pos++;
      this.skipSpaces();
      const entries: Array<[Expr, Expr]> = [];
      while (this.src[this.pos] !== '}') {
        const key = this.expr();
        this.skipSpaces();
        this.expect(':');
        const value = this.expr();
        entries.push([key, value]);
        this.skipSpaces();
        if (this.src[this.pos] === ',') { this.pos++; }
        this.skipSpaces();
        if (this.pos >= this.src.length) { throw new Error('Mapping template: unclosed map'); }
      }
      this.pos++;
      return { kind: 'map', entries };
    }
    const m = /^(-?\d+(\.\d+)?|true\b|false\b|null\b)/.exec(this.src.slice(this.pos));
    if (m) {
      this.pos += m[0].length;
      const value = m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : Number(m[0]);
      return { kind: 'lit', value };
    }
    throw new Error(`Mapping template: unexpected '${c ?? 'end'}' at ${this.pos}`);
  }

  private closingQuote(quote: string): number {
    let i = this.pos + 1;
    while (i < this.src.length && this.src[i] !== quote) {
      if (this.src[i] === '\\') { i++; }
      i++;
    }
    if (i >= this.src.length) { throw new Error('Mapping template: unclosed string'); }
    return i;
  }

  private skipSpaces(): void {
    while (/\s/.test(this.src[this.pos] ?? '')) { this.pos++; }
  }

  private expect(c: string): void {
    if (this.src[this.pos] !== c) { throw new Error(`Mapping template: '${c}' expected at ${this.pos}`); }
    this.pos++;
  }
}
