/**
 * Item helpers shared by the CRUD handlers: reads, tombstones, body limits and the Location header.
 *
 * Versions never repeat for an id. DELETE does not remove the item: it replaces it with a tombstone
 * `{ <pk>, <version>: last + 1, deletedAt }` (no user data), and a create over a tombstone continues
 * from its version. So a client still holding version N of a deleted item gets 409 on PUT even after
 * the id was re-created, instead of overwriting the new item (the lost update optimistic locking exists
 * to prevent). Tombstones are never returned by get or list, and PUT/DELETE on one answer 404.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { BodyOptions } from '../http';
import { headerSafePath } from '../strings';
import { config, ddb, DELETED_AT_ATTRIBUTE } from './config';

export type Item = Record<string, unknown>;

/** Conditional writes that lose a race are retried this many times (each after a fresh read). */
export const MAX_WRITE_ATTEMPTS = 5;

/** A strongly consistent read of one item (tombstones included). */
export async function readItem(id: string): Promise<Item | undefined> {
  const result = await ddb.send(
    new GetCommand({
      TableName: config.tableName,
      Key: { [config.partitionKey]: id },
      ConsistentRead: true,
    }),
  );
  return result.Item;
}

export function isTombstone(item: Item): boolean {
  return Object.prototype.hasOwnProperty.call(item, DELETED_AT_ATTRIBUTE);
}

/** The version after `item`'s: its version + 1, or 1 for an item written without a numeric version. */
export function nextVersion(item: Item): number {
  const v = item[config.versionAttribute];
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v + 1 : 1;
}

/**
 * `#v = :v` when the item holds a version, `attribute_not_exists(#v)` otherwise, so that a conditional
 * write only succeeds against exactly the incarnation that was read.
 */
export function versionCondition(item: Item): { expression: string; values: Record<string, unknown> } {
  if (!Object.prototype.hasOwnProperty.call(item, config.versionAttribute)) {
    return { expression: 'attribute_not_exists(#v)', values: {} };
  }
  return { expression: '#v = :v', values: { ':v': item[config.versionAttribute] } };
}

export function bodyOptions(): BodyOptions {
  return {
    maxBodyBytes: config.maxBodyBytes,
    maxDepth: config.maxBodyDepth,
    maxAttributes: config.maxBodyAttributes,
  };
}

/** `<collection path>/<encoded id>`; never throws (the id is validated, the path is made header-safe). */
export function itemLocation(event: APIGatewayProxyEvent, id: string): string {
  let path = typeof event.path === 'string' ? event.path : '';
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) {
    end -= 1; // drop trailing slashes (a loop: /\/+$/ backtracks quadratically on long runs of '/')
  }
  path = path.slice(0, end);
  return `${headerSafePath(path)}/${encodeURIComponent(id)}`;
}
