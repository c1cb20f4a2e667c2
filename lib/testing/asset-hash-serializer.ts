import * as fs from 'fs';
import * as path from 'path';

/** What replaces every asset hash in a snapshot. */
export const ASSET_HASH_MARKER = '[ASSET HASH]';

/** What replaces the folder this library is installed in (where its prebuilt handler bundles live). */
export const LIBRARY_PATH_MARKER = '[serverless-api-constructs]';

/**
 * A jest snapshot serializer (`expect.addSnapshotSerializer(assetHashSerializer)`). Typed loosely on
 * purpose, so this package does not depend on jest's types: jest's `SnapshotSerializer` accepts it.
 */
export interface AssetHashSerializer {
  /** Whether the value is a string holding something to mask. */
  test(value: unknown): boolean;
  /** Prints the masked string the way jest prints any string. */
  serialize(value: any, config: any, indentation: string, depth: number, refs: any, printer: (value: any, config: any, indentation: string, depth: number, refs: any) => string): string;
}

// CDK's asset hashes are SHA-256 in lowercase hex: S3 keys ('<hash>.zip', '<hash>.json' of nested
// stacks), staged asset paths ('asset.<hash>'), Fn::Sub and Fn::Join strings that embed them, and
// the asset metadata of resources.
const ASSET_HASH = /[0-9a-f]{64}/g;

/**
 * The folder this library is installed in: asset paths of its prebuilt handler bundles start there
 * when asset staging is off or bundling is skipped, and it differs between checkouts and machines.
 */
const LIBRARY_ROOT: string | undefined = findLibraryRoot(__dirname);

function findLibraryRoot(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (manifest.name === 'serverless-api-constructs') {
        return dir;
      }
    } catch {
      // no package.json here: keep walking up
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

function needsMasking(text: string): boolean {
  ASSET_HASH.lastIndex = 0;
  return ASSET_HASH.test(text) || (LIBRARY_ROOT !== undefined && text.includes(LIBRARY_ROOT));
}

function maskText(text: string): string {
  const masked = text.replace(ASSET_HASH, ASSET_HASH_MARKER);
  return LIBRARY_ROOT === undefined ? masked : masked.split(LIBRARY_ROOT).join(LIBRARY_PATH_MARKER);
}

/**
 * A deep copy of `value` (templates, assemblies' JSON) with every 64-hex asset hash replaced by
 * `[ASSET HASH]` and the library's install folder by `[serverless-api-constructs]`, in values and
 * keys alike, so a snapshot changes when a template does and not when a handler's bytes do.
 */
export function maskAssetHashes<T>(value: T): T {
  if (typeof value === 'string') {
    return maskText(value) as unknown as T;
  }
  if (Array.isArray(value)) {
    return value.map(maskAssetHashes) as unknown as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskText(k), maskAssetHashes(v)])) as T;
  }
  return value;
}

/**
 * A jest snapshot serializer that prints every string with its asset hashes masked (see
 * `maskAssetHashes`), object keys included:
 *
 * ```ts
 * import { assetHashSerializer, stageTemplates } from 'serverless-api-constructs/testing';
 * expect.addSnapshotSerializer(assetHashSerializer);
 * expect(stageTemplates(prodStage)).toMatchSnapshot();
 * ```
 */
export const assetHashSerializer: AssetHashSerializer = {
  test: (value: unknown): boolean => typeof value === 'string' && needsMasking(value),
  serialize: (value, config, indentation, depth, refs, printer) => printer(maskText(value), config, indentation, depth, refs),
};
