/**
 * The resource tree of a REST API, matched as API Gateway matches it: the resource is chosen from
 * the path alone (a literal segment before a `{parameter}`, a parameter before a greedy `{proxy+}`),
 * then the method on that resource (the exact method before ANY). A path that matches no resource, or
 * a resource without the method, is API Gateway's 403 "Missing Authentication Token".
 */
export class RouteTable<T> {
  private readonly root = new ResourceNode<T>();

  /** Adds `value` for `method` ('GET', 'ANY', ...) on `path` ('/items/{id}', '/files/{proxy+}'). */
  public add(method: string, path: string, value: T): void {
    let node = this.root;
    for (const segment of splitPath(path)) {
      const parameter = /^\{([^}+]+)(\+?)\}$/.exec(segment);
      if (!parameter) {
        node = getOrCreate(node.literals, segment);
      } else if (parameter[2] === '+') {
        node.greedy ??= { name: parameter[1], node: new ResourceNode<T>() };
        node = node.greedy.node;
      } else {
        node.parameter ??= { name: parameter[1], node: new ResourceNode<T>() };
        node = node.parameter.node;
      }
    }
    node.methods.set(method.toUpperCase(), value);
  }

  /**
   * The route serving `method` on `path` (the request path below the API's base path), with the path
   * parameters (URL-decoded). `undefined` when no resource matches the path or the resource lacks
   * the method.
   */
  public match(method: string, path: string): { value: T; pathParameters: { [name: string]: string } } | undefined {
    const segments = splitPath(path);
    const found = matchNode(this.root, segments, 0, {});
    if (!found) { return undefined; }
    const value = found.node.methods.get(method.toUpperCase()) ?? found.node.methods.get('ANY');
    return value === undefined ? undefined : { value, pathParameters: found.parameters };
  }

  /** The methods declared on the resource `path` matches (for CORS and diagnostics). */
  public methodsAt(path: string): string[] {
    const found = matchNode(this.root, splitPath(path), 0, {});
    return found ? [...found.node.methods.keys()] : [];
  }
}

class ResourceNode<T> {
  public readonly literals = new Map<string, ResourceNode<T>>();
  public parameter?: { name: string; node: ResourceNode<T> };
  public greedy?: { name: string; node: ResourceNode<T> };
  public readonly methods = new Map<string, T>();
}

function matchNode<T>(node: ResourceNode<T>, segments: string[], index: number, parameters: Record<string, string>):
{ node: ResourceNode<T>; parameters: Record<string, string> } | undefined {
  if (index === segments.length) {
    return { node, parameters };
  }
  const segment = segments[index];
  const literal = node.literals.get(segment) ?? node.literals.get(decode(segment));
  if (literal) {
    const found = matchNode(literal, segments, index + 1, parameters);
    if (found) { return found; }
  }
  if (node.parameter) {
    const found = matchNode(node.parameter.node, segments, index + 1, { ...parameters, [node.parameter.name]: decode(segment) });
    if (found) { return found; }
  }
  if (node.greedy) {
    return { node: node.greedy.node, parameters: { ...parameters, [node.greedy.name]: segments.slice(index).map(decode).join('/') } };
  }
  return undefined;
}

/** '/items/{id}/' → ['items', '{id}']: empty segments (a trailing or doubled slash) are ignored. */
export function splitPath(path: string): string[] {
  return path.split('/').filter(s => s !== '');
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function getOrCreate<K, V>(map: Map<K, ResourceNode<V>>, key: K): ResourceNode<V> {
  let node = map.get(key);
  if (!node) {
    node = new ResourceNode<V>();
    map.set(key, node);
  }
  return node;
}
