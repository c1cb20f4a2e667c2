/**
 * The packages the local server runs on. They are development dependencies of this package, not
 * runtime dependencies: the construct library (a jsii module) may only depend on jsii modules or
 * bundle its dependencies, and bundling these would add ~20 MB (DynamoDB's LevelDB prebuilds) to
 * every consumer's install. A consumer who wants the local server installs them next to it; this
 * check names the command when one is missing, before anything else fails on it.
 */
export const LOCAL_SERVER_ENGINES: { [name: string]: string } = {
  // DynamoDB's API over LevelDB, in-process (no Java, no Docker).
  'dynalite': '4.0.0',
  // AWS's own verifier of Cognito JWTs.
  'aws-jwt-verify': '5.2.1',
  // The signer the AWS SDK uses, to recompute SigV4 signatures.
  '@smithy/signature-v4': '5.7.5',
  // JSON Schema draft 4 validation of request models.
  'ajv': '8.20.0',
  'ajv-draft-04': '1.0.0',
  // Apache Velocity for mapping templates (lib/runtime/vtl, shared with the integrations' tests).
  'velocityjs': '2.1.7',
};

/** Throws, naming the npm command to run, when a package the local server needs cannot be resolved. */
export function assertEngines(resolve: (name: string) => string = require.resolve): void {
  const missing = Object.keys(LOCAL_SERVER_ENGINES).filter(name => {
    try {
      resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new Error(`The local server needs ${missing.join(', ')}. Install them next to serverless-api-constructs: `
      + `npm install --save-dev ${missing.map(name => `${name}@${LOCAL_SERVER_ENGINES[name]}`).join(' ')}`);
  }
}
