/**
 * 9. sizes: the byte figures the README and the code comments quote, measured (cheap: no synth of an
 * app, two esbuild bundles and two small stacks).
 *
 * - The typed client's runtime: openapi-fetch with the generated auth middleware (the template
 *   scripts/client-templates/auth.ts, copied verbatim into every generated client; the SigV4 signer,
 *   loaded only by IAM routes, left out), and the whole generated client of examples/contract-first
 *   (createApiClient, middleware, openapi-fetch), each bundled and minified by esbuild.
 * - The gateway responses every ServerlessApi declares: their part of the OpenAPI body (compact JSON),
 *   without and with CORS, and the share of the two defaults (DEFAULT_4XX/5XX) alone.
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { build } from 'esbuild';
import { RouteAuthorization, RouteHandler, ServerlessApi } from '../lib';

const ROOT = path.join(__dirname, '..');

export interface SizesResult {
  /** openapi-fetch + the auth middleware, minified. */
  readonly clientRuntimeBytes: number;
  /** examples/contract-first's generated client (createApiClient + middleware + openapi-fetch), minified. */
  readonly exampleClientBytes: number;
  /** The gateway responses' part of the OpenAPI body, compact JSON. */
  readonly gatewayResponsesBytes: number;
  readonly gatewayResponsesWithCorsBytes: number;
  /** DEFAULT_4XX and DEFAULT_5XX alone (what declaring only the defaults costs). */
  readonly defaultResponsesBytes: number;
}

async function minifiedBytes(contents: string, resolveDir: string): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'ts' },
    bundle: true, minify: true, write: false, format: 'esm', platform: 'neutral',
    external: ['@smithy/signature-v4', 'crypto'], logLevel: 'silent',
  });
  return result.outputFiles[0].contents.length;
}

function gatewayResponses(cors: boolean): Record<string, unknown> {
  const stack = new Stack(new App(), 'Sizes');
  const api = new ServerlessApi(stack, 'Api', cors ? { cors: { allowOrigins: ['https://app.example.com'] } } : {});
  api.addRoute({
    method: 'GET', path: '/items', authorization: RouteAuthorization.none(),
    handler: RouteHandler.fromCode(lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{}" });')),
  });
  const restApi = Object.values<any>(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0];
  return restApi.Properties.Body['x-amazon-apigateway-gateway-responses'];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export async function runSizesBench(say: (line?: string) => void): Promise<SizesResult> {
  const clientRuntimeBytes = await minifiedBytes(
    'export { default } from "openapi-fetch"; export { authMiddleware } from "./auth";', path.join(ROOT, 'scripts', 'client-templates'));
  const exampleClientBytes = await minifiedBytes('export * from "./client";', path.join(ROOT, 'examples', 'contract-first', 'generated'));
  const plain = gatewayResponses(false);
  const withCors = gatewayResponses(true);
  const result: SizesResult = {
    clientRuntimeBytes,
    exampleClientBytes,
    gatewayResponsesBytes: JSON.stringify(plain).length,
    gatewayResponsesWithCorsBytes: JSON.stringify(withCors).length,
    defaultResponsesBytes: JSON.stringify({ DEFAULT_4XX: plain.DEFAULT_4XX, DEFAULT_5XX: plain.DEFAULT_5XX }).length,
  };
  say('9. Sizes (esbuild minified bundles; compact JSON of the OpenAPI body):');
  say(`   typed client runtime: openapi-fetch + auth middleware ${kb(result.clientRuntimeBytes)} (SigV4 signer excluded); `
    + `examples/contract-first's whole generated client ${kb(result.exampleClientBytes)}`);
  say(`   gateway responses per API: ${kb(result.gatewayResponsesBytes)} of the body, ${kb(result.gatewayResponsesWithCorsBytes)} with CORS headers `
    + `(${Object.keys(plain).length} types; DEFAULT_4XX/5XX alone ${kb(result.defaultResponsesBytes)})`);
  say();
  return result;
}
