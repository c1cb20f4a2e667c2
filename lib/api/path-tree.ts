/**
 * The API's resource tree as API Gateway builds it from the routes' paths: one node per distinct path
 * prefix (API Gateway calls them resources; `/items/{id}` is two of them under the root `/`).
 *
 * It answers, in time proportional to a path's length (not to the number of routes), the two questions
 * `addRoute` asks at every call: does a new path name a parameter where a sibling route names another
 * (API Gateway allows one parameter per position under the same parent, `{id}` and `{proxy+}`
 * included), and how many resources the API has (API Gateway's "Resources per API" quota).
 *
 * @internal
 */
export class PathTree {
  /** API Gateway's default "Resources per API" quota (adjustable per API). */
  public static readonly DEFAULT_RESOURCES_QUOTA = 300;

  private readonly root = new PathNode(undefined);
  private nodes = 1; // the root resource '/'

  /** How many resources (path nodes) API Gateway creates for the paths added so far, root included. */
  public get size(): number {
    return this.nodes;
  }

  /**
   * The first route whose parameter at the same position under the same parent has another name than
   * `path`'s, if any: `{ position, ours, theirs, route }`. Does not change the tree.
   */
  public parameterConflict(path: string): ParameterConflict | undefined {
    let node: PathNode | undefined = this.root;
    for (const segment of segmentsOf(path)) {
      if (isParameter(segment) && node.parameter && node.parameter.segment !== segment) {
        return { ours: segment, theirs: node.parameter.segment, route: node.parameter.node.firstRoute! };
      }
      node = node.child(segment);
      if (!node) { return undefined; }
    }
    return undefined;
  }

  /** Adds a route's path (already checked with `parameterConflict`), remembering the route that first used each node. */
  public add(path: string, route: string): void {
    let node = this.root;
    for (const segment of segmentsOf(path)) {
      let next = node.child(segment);
      if (!next) {
        next = new PathNode(route);
        node.attach(segment, next);
        this.nodes++;
      }
      node = next;
    }
  }
}

/** Two parameter names at one position under one parent. @internal */
export interface ParameterConflict {
  /** The new path's segment, e.g. `{itemId}`. */
  readonly ours: string;
  /** The segment already there, e.g. `{id}`. */
  readonly theirs: string;
  /** The first route that used the segment already there. */
  readonly route: string;
}

class PathNode {
  private readonly literals = new Map<string, PathNode>();
  public parameter?: { readonly segment: string; readonly node: PathNode };

  constructor(public readonly firstRoute: string | undefined) {}

  public child(segment: string): PathNode | undefined {
    if (isParameter(segment)) {
      return this.parameter?.segment === segment ? this.parameter.node : undefined;
    }
    return this.literals.get(segment);
  }

  public attach(segment: string, node: PathNode): void {
    if (isParameter(segment)) {
      this.parameter = { segment, node };
    } else {
      this.literals.set(segment, node);
    }
  }
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function isParameter(segment: string): boolean {
  return segment.startsWith('{');
}

/**
 * The warning for an API above API Gateway's default "Resources per API" quota, or undefined. The
 * quota is adjustable but per API: a deploy of a new API over it fails until it is raised.
 * @internal
 */
export function resourcesQuotaWarning(apiPath: string, resources: number): string | undefined {
  if (resources <= PathTree.DEFAULT_RESOURCES_QUOTA) { return undefined; }
  return `${apiPath}: the API has ${resources} API Gateway resources (one per distinct path prefix, the root '/' included), `
    + `over API Gateway's default quota 'Resources per API' of ${PathTree.DEFAULT_RESOURCES_QUOTA}: `
    + 'creating or updating it fails with LimitExceededException until the quota is raised. '
    + 'Raise it for this API in Service Quotas (Amazon API Gateway > Resources per API) or through AWS Support, '
    + 'or split the routes into several ServerlessApis behind one ApiDomain, one base path per first path segment.';
}
