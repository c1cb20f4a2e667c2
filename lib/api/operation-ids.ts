import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { shortHash } from '../core/names';

/** OpenAPI operation keys and the HTTP method each stands for. */
const OPERATION_KEYS: Record<string, string> = {
  'get': 'GET', 'put': 'PUT', 'post': 'POST', 'delete': 'DELETE', 'options': 'OPTIONS',
  'head': 'HEAD', 'patch': 'PATCH', 'x-amazon-apigateway-any-method': 'ANY',
};

/** What an operationId given by hand must look like (a name SDK generators can use as a method). */
export const OPERATION_ID = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

/**
 * Makes every operationId of the definition unique, whatever the order routes were declared in.
 *
 * Derived ids (`GetItemsById`) are readable but not injective: `/a-b` and `/a/b` both give `GetAB`,
 * `/items/by-id` and `/items/{id}` both `GetItemsById`. An id derived by more than one operation, or
 * equal to an id given by hand, gets a suffix hashed from the operation's own method and path
 * (`GetAB_1F3A9C20`): each operation's id depends only on itself and on whether its derived id is
 * shared, never on declaration order. Ids given by hand (`explicit`, keyed 'METHOD /path') are kept;
 * one equal to a suffixed id (given by hand as `GetAB_1F3A9C20`) fails, naming both routes.
 *
 * @internal
 */
export function uniqueOperationIds(scope: IConstruct, definition: Record<string, any>, explicit: ReadonlySet<string>): void {
  const operations: Array<{ key: string; operation: Record<string, any> }> = [];
  for (const [path, item] of Object.entries<any>(definition.paths ?? {})) {
    for (const [name, operation] of Object.entries<any>(item ?? {})) {
      const method = OPERATION_KEYS[name];
      if (method && typeof operation?.operationId === 'string') {
        operations.push({ key: `${method} ${path}`, operation });
      }
    }
  }
  const given = new Set(operations.filter(o => explicit.has(o.key)).map(o => o.operation.operationId));
  const derivedCount = new Map<string, number>();
  for (const { key, operation } of operations) {
    if (!explicit.has(key)) {
      derivedCount.set(operation.operationId, (derivedCount.get(operation.operationId) ?? 0) + 1);
    }
  }
  for (const { key, operation } of operations) {
    const id: string = operation.operationId;
    if (!explicit.has(key) && (derivedCount.get(id)! > 1 || given.has(id))) {
      operation.operationId = `${id}_${shortHash(key)}`;
    }
  }
  const seen = new Map<string, string>();
  for (const { key, operation } of operations) {
    const other = seen.get(operation.operationId);
    if (other !== undefined) {
      throw propError(scope, `route '${key}' operationId`, operation.operationId, `is also the operationId of route '${other}'`,
        `Give route '${explicit.has(key) ? other : key}' an operationId of its own.`);
    }
    seen.set(operation.operationId, key);
  }
}
