/**
 * What a parsed JSON body must satisfy to be stored as a DynamoDB item and read back unchanged.
 * Everything here runs before any write.
 */
import { isWellFormed } from './strings';

/** Thrown for a body that cannot be stored; http.ts turns it into 400 BadRequest. */
export class ItemValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ItemValidationError';
  }
}

/**
 * Attribute names refused at every depth, on create and update.
 *
 * Why refuse rather than store them: they cannot round-trip through the AWS SDK's DynamoDB
 * marshaller (`@aws-sdk/util-dynamodb`), which every reader of the table uses. It copies maps with
 * `out[key] = value`, so `__proto__` becomes the prototype of the copy and disappears (dropped on
 * write, or an item read back as `{}`); it recognises plain objects by `value.constructor.name`, so an
 * object with its own `constructor` key fails to marshal (a 500) or, with `{"constructor":{"name":"Set"}}`,
 * is taken for a Set. `prototype` completes the `constructor.prototype` pair that prototype-pollution
 * payloads use against clients that deep-merge what they read. A 400 naming the path is the only
 * answer that never stores something other than what was sent.
 */
export const FORBIDDEN_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** DynamoDB limits that JSON values must respect to be storable. */
const MIN_POSITIVE_NUMBER = 1e-130;
const MAX_KEY_CHARS = 1024;
const MAX_PARTITION_KEY_BYTES = 2048;
/** How much of an attribute path an error message quotes. */
const MAX_PATH_IN_MESSAGE = 200;

function describePath(path: string): string {
  const shown = path.length > MAX_PATH_IN_MESSAGE ? `${path.slice(0, MAX_PATH_IN_MESSAGE)}…` : path;
  // JSON.stringify escapes control characters and lone surrogates, so the message stays printable.
  return JSON.stringify(shown);
}

/**
 * Validates that a parsed JSON object can be stored by the document client and read back unchanged:
 * no forbidden attribute name ({@link FORBIDDEN_ATTRIBUTE_NAMES}) and no lone UTF-16 surrogate in a
 * name or a string at any depth, non-empty top-level names, nesting within `maxDepth` (the top-level
 * object is depth 1; DynamoDB allows 32), numbers finite, within the safe-integer range (the SDK refuses
 * larger ones) and not below 1e-130 in magnitude. Throws {@link ItemValidationError} otherwise.
 */
export function assertStorableItem(item: Record<string, unknown>, maxDepth = 32): void {
  const fail = (message: string): never => {
    throw new ItemValidationError(message);
  };
  const checkName = (name: string, path: string): void => {
    if (FORBIDDEN_ATTRIBUTE_NAMES.has(name)) {
      fail(`Attribute name "${name}" is not allowed (at ${describePath(path)})`);
    }
    if (!isWellFormed(name)) {
      fail(`Attribute name at ${describePath(path)} is not valid Unicode (lone surrogate)`);
    }
  };
  const visit = (value: unknown, depth: number, path: string): void => {
    if (typeof value === 'string') {
      if (!isWellFormed(value)) {
        fail(`String at ${describePath(path)} is not valid Unicode (lone surrogate)`);
      }
      return;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        fail(`Number at ${describePath(path)} is out of range`);
      }
      const abs = Math.abs(value);
      if (abs > Number.MAX_SAFE_INTEGER) {
        fail(`Number at ${describePath(path)} is out of range (magnitude must not exceed ${Number.MAX_SAFE_INTEGER})`);
      }
      if (abs !== 0 && abs < MIN_POSITIVE_NUMBER) {
        fail(`Number at ${describePath(path)} is too small (magnitude must be at least 1e-130 or 0)`);
      }
      return;
    }
    if (value === null || typeof value !== 'object') {
      return;
    }
    if (depth > maxDepth) {
      fail(`Item nesting exceeds the maximum depth of ${maxDepth}`);
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        visit(value[i], depth + 1, `${path}[${i}]`);
      }
      return;
    }
    for (const name of Object.keys(value)) {
      const childPath = `${path}.${name}`;
      checkName(name, childPath);
      visit((value as Record<string, unknown>)[name], depth + 1, childPath);
    }
  };
  for (const name of Object.keys(item)) {
    if (name === '') {
      fail('Attribute names must not be empty');
    }
    checkName(name, name);
    visit(item[name], 2, name);
  }
}

/**
 * A key value: a non-empty, well-formed string (no lone surrogate) of ≤ 1024 characters and ≤ 2048
 * UTF-8 bytes (DynamoDB's partition key limit). It becomes a DynamoDB key and part of a URL.
 */
export function isValidKeyValue(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_KEY_CHARS &&
    isWellFormed(value) &&
    Buffer.byteLength(value, 'utf8') <= MAX_PARTITION_KEY_BYTES
  );
}

export function keyValueRule(name: string): string {
  return `"${name}" must be a non-empty string of valid Unicode of at most ${MAX_KEY_CHARS} characters`;
}
