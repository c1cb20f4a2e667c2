/**
 * The AWS SDK v3 clients behind the entry points `serverless-api-constructs/client` and
 * `serverless-api-constructs/runtime/websocket`.
 *
 * They are not in the package's dependencies: the Lambda Node.js runtime provides them (bundlers leave
 * them out), and the package is built by jsii, which accepts only jsii modules in `dependencies` and
 * `peerDependencies` (a non-jsii one would have to be bundled, i.e. a second AWS SDK copied into every
 * app). Outside Lambda (tests, scripts, type checking) the user installs them; an entry point that
 * misses one says so, naming the packages and the command, instead of Node's bare "Cannot find module"
 * from deep inside the package.
 *
 * Imports nothing (the runtime side of the library carries no aws-cdk-lib).
 */

/** The lowest AWS SDK v3 version the entry points are built and tested with. */
export const AWS_SDK_FLOOR = '3.1162.0';

/** The AWS SDK packages `serverless-api-constructs/client` loads. */
export const CLIENT_PEERS: readonly string[] = ['@aws-sdk/client-lambda'];

/** The AWS SDK packages `serverless-api-constructs/runtime/websocket` loads. */
export const WEBSOCKET_RUNTIME_PEERS: readonly string[] = [
  '@aws-sdk/client-apigatewaymanagementapi', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb',
];

/**
 * Throws, naming every missing package and the install command, when a package of `packages` cannot
 * be resolved from this module. Anything but "not found" is left to the real import to report, and so
 * is a bundle without `require.resolve` (an ES module bundle, where the runtime provides the SDK):
 * `resolve` is then null.
 */
export function requirePeers(entryPoint: string, packages: readonly string[], resolve: ((id: string) => string) | null = defaultResolve()): void {
  if (!resolve) { return; }
  const missing = packages.filter(name => {
    try {
      resolve(name);
      return false;
    } catch (e) {
      return (e as { code?: unknown }).code === 'MODULE_NOT_FOUND';
    }
  });
  if (missing.length === 0) { return; }
  const install = missing.map(name => `${name}@^${AWS_SDK_FLOOR}`).join(' ');
  throw new Error(`${entryPoint} needs ${missing.join(', ')}, not installed. The Lambda Node.js runtime provides `
    + `${missing.length === 1 ? 'it' : 'them'}; elsewhere (tests, scripts, type checking) install ${missing.length === 1 ? 'it' : 'them'}: npm install ${install}`);
}

function defaultResolve(): ((id: string) => string) | null {
  return typeof require === 'function' && typeof require.resolve === 'function' ? (id: string) => require.resolve(id) : null;
}
