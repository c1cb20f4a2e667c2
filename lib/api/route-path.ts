import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/** The HTTP methods a route may declare. `ANY` matches every method. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;

/**
 * `('get', '/items')` → `'GET /items'`: the one key by which the library names a route (errors,
 * lookups, throttles, grants). @internal
 */
export function routeKey(method: string, path: string): string {
  return `${String(method).toUpperCase()} ${path}`;
}


/** A parsed, validated route path. @internal */
export interface ParsedPath {
  /** The path as declared, e.g. `/items/{id}`. */
  readonly path: string;
  /** Path parameter names in order, e.g. `['id']`; a greedy `{proxy+}` is listed as `proxy`. */
  readonly parameters: string[];
  /** The path with every parameter replaced by `*`, for execute-api ARNs. */
  readonly arnPath: string;
}

const SEGMENT = /^[A-Za-z0-9._~:@!$&'()*+,;=-]+$/;
const PARAMETER = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

/**
 * Validates a route path and returns its parameters. Throws naming the route, the value and the fix.
 * @internal
 */
export function parsePath(scope: IConstruct, route: string, path: string): ParsedPath {
  const prop = `route '${route}' path`;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw propError(scope, prop, path, 'must start with \'/\'', `Write it as '/${String(path ?? '').replace(/^\/*/, '')}'.`);
  }
  if (path !== '/' && path.endsWith('/')) {
    throw propError(scope, prop, path, 'must not end with \'/\'', `Write it as '${path.replace(/\/+$/, '')}'.`);
  }
  if (path === '/') {
    return { path, parameters: [], arnPath: '/' };
  }
  const segments = path.slice(1).split('/');
  checkExpressStyle(scope, prop, path, segments);
  const parameters: string[] = [];
  segments.forEach((segment, index) => {
    if (segment === '') {
      throw propError(scope, prop, path, 'has an empty segment (\'//\')', 'Remove the doubled slash.');
    }
    if (segment.includes('{') || segment.includes('}')) {
      const match = PARAMETER.exec(segment);
      if (!match) {
        throw propError(scope, prop, path, `has a malformed path parameter '${segment}'`,
          'A parameter is a whole segment like \'{id}\' (letters, digits, underscore), or \'{proxy+}\' as the last segment.');
      }
      const [, name, greedy] = match;
      if (greedy && index !== segments.length - 1) {
        throw propError(scope, prop, path, `has the greedy parameter '${segment}' before its last segment`,
          'A greedy parameter like \'{proxy+}\' must be the last segment.');
      }
      if (parameters.includes(name)) {
        throw propError(scope, prop, path, `declares the path parameter '${name}' twice`, 'Give each path parameter a distinct name.');
      }
      parameters.push(name);
      return;
    }
    if (!SEGMENT.test(segment)) {
      throw propError(scope, prop, path, `has the segment '${segment}' with characters API Gateway does not allow`,
        'Use letters, digits and - . _ ~ in path segments.');
    }
  });
  const arnPath = '/' + segments.map(s => (s.startsWith('{') ? '*' : s)).join('/');
  return { path, parameters, arnPath };
}

/** `:id`, `:id?`, `:id(\\d+)`: Express (and Koa, Fastify, Hono) route parameters. */
const EXPRESS_PARAMETER = /^:([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * API Gateway takes `/todos/:id` as a literal segment ':id' and `/files/*` as a literal '*': the route
 * would deploy and answer 404 (or 403) for every real id. Both are what users of Express-style
 * routers write first, so they fail here with the path API Gateway needs.
 */
function checkExpressStyle(scope: IConstruct, prop: string, path: string, segments: string[]): void {
  const express = segments.find(s => EXPRESS_PARAMETER.test(s));
  const wildcard = segments.find(s => s === '*' || s === '**');
  if (!express && !wildcard) {
    return;
  }
  const fixed = '/' + segments.map((s, i) => {
    const match = EXPRESS_PARAMETER.exec(s);
    if (match) { return `{${match[1]}}`; }
    if ((s === '*' || s === '**') && i === segments.length - 1) { return '{proxy+}'; }
    return s;
  }).join('/');
  if (express) {
    throw propError(scope, prop, path, `has the Express-style parameter '${express}', which API Gateway takes as a literal segment`,
      `Write path parameters in braces: '${fixed}'.`);
  }
  throw propError(scope, prop, path, `has the wildcard segment '${wildcard}', which API Gateway does not match as a wildcard`,
    segments[segments.length - 1] === wildcard
      ? `Use a greedy parameter as the last segment: '${fixed}' (the handler reads event.pathParameters.proxy).`
      : 'Use a greedy parameter like \'{proxy+}\' as the last segment.');
}

/**
 * Two paths that API Gateway would treat as the same resource: the same segments, with parameters
 * compared by position only (`/items/{id}` and `/items/{itemId}` collide; API Gateway allows one
 * parameter name per position). Returns the normalized shape. @internal
 */
export function pathShape(path: string): string {
  return path.split('/').map(s => (s.startsWith('{') ? (s.endsWith('+}') ? '{+}' : '{}') : s)).join('/');
}
