import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CodeHandlerOptions, RouteHandler } from '../api/route-handler';

/**
 * Where the library's prebuilt handler bundles live: `<package>/dist/handlers`, written by
 * scripts/bundle-handlers.mjs. The same path from lib/core (sources, in this repository) and from
 * dist/core (the compiled package).
 */
export const LIBRARY_HANDLERS_DIR = path.join(__dirname, '..', '..', 'dist', 'handlers');

/**
 * A handler of the library itself (`lib/runtime/<feature>/<name>.ts`, e.g. 'crud/create'), deployed
 * from the bundle built when the package is built: minified CommonJS for the Node.js runtime the
 * library's functions use, AWS SDK v3 left to the runtime, with a source map. A consumer app needs
 * neither esbuild nor Docker for it, and its asset hash depends only on the bundle's bytes, not on
 * where the app's checkout lives.
 *
 * @param name `<feature>/<name>` of a file in lib/runtime that exports `handler`
 * @internal
 */
export function libraryHandler(name: string, options: CodeHandlerOptions = {}): RouteHandler {
  const directory = path.join(LIBRARY_HANDLERS_DIR, ...name.split('/'));
  if (!fs.existsSync(path.join(directory, 'index.js'))) {
    throw new Error(`serverless-api-constructs: the bundle of the library handler '${name}' is missing (${directory}). ` +
      'In a checkout of the library, run `npm run build` (or `node scripts/bundle-handlers.mjs`); an installed package ships it prebuilt, so reinstall it.');
  }
  return RouteHandler.fromCode(lambda.Code.fromAsset(directory), {
    ...options,
    handler: 'index.handler',
    // The bundle ships its source map: stack traces name the library's source lines.
    environment: { NODE_OPTIONS: '--enable-source-maps', ...options.environment },
  });
}
