import { execFileSync } from 'child_process';
import { createHash, createHmac } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { SignatureV4 } from '@smithy/signature-v4';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { build } from 'esbuild';
import { RouteAuthorization, RouteSchema, ServerlessApi } from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const { OBJECT, STRING, INTEGER } = apigateway.JsonSchemaType;

/** Synthesizes an API and generates its client with `npm run client` into a temporary folder. */
function generateClient(): string {
  const app = testApp();
  const api = new ServerlessApi(testStack(app), 'Api', {
    stageName: 'prod',
    cognito: {},
    schemas: {
      Item: RouteSchema.fromObject({ type: OBJECT, required: ['id', 'name'], properties: { id: { type: STRING }, name: { type: STRING }, qty: { type: INTEGER } } }),
      NewItem: RouteSchema.fromObject({ type: OBJECT, required: ['name'], additionalProperties: false, properties: { name: { type: STRING }, qty: { type: INTEGER } } }),
    },
  });
  api.addRoute({ method: 'POST', path: '/items', handler: inlineHandler(), requestSchema: RouteSchema.ref('NewItem'), responseSchemas: { 201: RouteSchema.ref('Item') } }); // IAM
  api.addRoute({ method: 'GET', path: '/items/{id}', handler: inlineHandler(), authorization: RouteAuthorization.cognito(), responseSchemas: { 200: RouteSchema.ref('Item') } });
  api.addRoute({ method: 'GET', path: '/reports', handler: inlineHandler(), authorization: RouteAuthorization.none(), apiKeyRequired: true, queryParameters: { month: true } });
  api.addUsagePlan('Plan');
  const assembly = app.synth();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-client-'));
  // The generated code resolves openapi-fetch and the signer from this repository's node_modules.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'client.mjs'), 'prod', '--cdk-out', assembly.directory, '--out', path.join(dir, 'out')], { stdio: 'pipe' });
  return path.join(dir, 'out', 'TestStack-Api');
}

let clientDir: string;
beforeAll(() => {
  clientDir = generateClient();
});
afterAll(() => {
  if (!process.env.KEEP_CLIENT) { fs.rmSync(path.dirname(path.dirname(clientDir)), { recursive: true, force: true }); }
});

describe('npm run client', () => {
  test('GIVEN a synthesized stage THEN it writes the types, the client, the auth middleware, typed handlers and the document', () => {
    expect(fs.readdirSync(clientDir).sort()).toEqual(['auth.ts', 'client.ts', 'handlers.ts', 'openapi.json', 'routes.ts', 'schema.ts']);
    const routes = fs.readFileSync(path.join(clientDir, 'routes.ts'), 'utf8');
    expect(routes).toContain('"POST /items": [\n    "sigv4"\n  ]');
    expect(routes).toContain('"GET /reports": [\n    "api_key"\n  ]');
  });

  test('GIVEN the generated client THEN known calls compile, and an unknown path, a wrong body and a handler of the wrong shape do not', () => {
    fs.writeFileSync(path.join(clientDir, 'usage.ts'), `
import { createApiClient } from './client';
import { typedHandler } from './handlers';

const client = createApiClient({ restApiId: 'abc123' });

export async function calls(): Promise<number | undefined> {
  await client.GET('/items/{id}', { params: { path: { id: '1' } } });
  await client.GET('/reports', { params: { query: { month: '2026-11' } } });
  const { data } = await client.POST('/items', { body: { name: 'pen', qty: 2 } });
  // @ts-expect-error an unknown path
  await client.GET('/itemz/{id}', { params: { path: { id: '1' } } });
  // @ts-expect-error a wrong body: name is a string
  await client.POST('/items', { body: { name: 42 } });
  // @ts-expect-error a body without the required name
  await client.POST('/items', { body: { qty: 1 } });
  // @ts-expect-error a required query parameter left out
  await client.GET('/reports', { params: { query: {} } });
  return data?.qty;
}

export const create = typedHandler<'PostItems'>(async (event) => ({ statusCode: 201, body: { id: 'a1', name: event.body.name } }));
// @ts-expect-error a handler answering the wrong shape (no name)
export const wrongShape = typedHandler<'PostItems'>(async () => ({ statusCode: 201, body: { id: 'a1' } }));
// @ts-expect-error a handler answering a status the route does not declare
export const wrongStatus = typedHandler<'PostItems'>(async () => ({ statusCode: 200, body: { id: 'a1', name: 'x' } }));
`);
    // The same calls with the unknown path's @ts-expect-error removed: that line alone must fail.
    const usage = fs.readFileSync(path.join(clientDir, 'usage.ts'), 'utf8');
    fs.writeFileSync(path.join(clientDir, 'usage-unexpected.ts'), usage.replace('// @ts-expect-error an unknown path\n', ''));
    fs.writeFileSync(path.join(clientDir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'commonjs', lib: ['es2022', 'dom'], strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true,
        types: ['node', 'aws-lambda'], typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      },
      files: ['usage.ts', 'usage-unexpected.ts'],
    }));
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    // One compiler run for both files. Unused @ts-expect-error directives are errors too: each wrong call
    // in usage.ts must fail to compile, and usage.ts must have no error at all.
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', clientDir], { stdio: 'pipe' });
    } catch (e) {
      output = String((e as { stdout: Buffer }).stdout);
    }
    const errors = output.split('\n').filter(line => /error TS\d+/.test(line));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/(^|\/)usage-unexpected\.ts\(\d+,\d+\): error TS2345: Argument of type '"\/itemz\/\{id\}"'/);
  });

  test('GIVEN the client runtime THEN openapi-fetch with the auth middleware (SigV4 signer excluded) is at most 10 KB minified', async () => {
    const result = await build({
      stdin: { contents: 'export { default } from "openapi-fetch"; export { authMiddleware } from "./auth";', resolveDir: clientDir, loader: 'ts' },
      bundle: true, minify: true, write: false, format: 'esm', platform: 'neutral', external: ['@smithy/signature-v4', 'crypto'], logLevel: 'silent',
    });
    const bytes = result.outputFiles[0].contents.length;
    expect(bytes).toBeLessThanOrEqual(10 * 1024);
  });
});

describe('the generated client against a real HTTP server on loopback', () => {
  const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  let server: http.Server;
  let baseUrl: string;
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', c => { body += c; });
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.setHeader('Content-Type', 'application/json');
        if (req.method === 'POST') {
          res.statusCode = 201;
          res.end(JSON.stringify({ id: 'i-1', ...JSON.parse(body) }));
        } else if (req.url!.startsWith('/prod/items/')) {
          res.end(JSON.stringify({ id: decodeURIComponent(req.url!.slice('/prod/items/'.length)), name: 'pen' }));
        } else {
          res.end(JSON.stringify({ month: new URL(req.url!, 'http://x').searchParams.get('month') }));
        }
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
  });
  afterAll(async () => {
    await new Promise<void>(resolve => server.close(() => resolve()));
  });

  async function client(): Promise<any> {
    // The generated TypeScript, transpiled by jest like any source.
    const { createApiClient } = await import(path.join(clientDir, 'client.ts'));
    return createApiClient({ baseUrl, auth: { apiKey: 'key-123', bearerToken: async () => 'id-token', sigv4: { region: 'eu-west-1', credentials } } });
  }

  test('GIVEN a Cognito route THEN the call carries the bearer token and returns the typed data', async () => {
    const { data, response } = await (await client()).GET('/items/{id}', { params: { path: { id: 'a b' } } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ id: 'a b', name: 'pen' });
    const request = seen[seen.length - 1];
    expect(request.url).toBe('/prod/items/a%20b');
    expect(request.headers.authorization).toBe('Bearer id-token');
    expect(request.headers['x-api-key']).toBeUndefined();
  });

  test('GIVEN an API key route THEN the call carries x-api-key and its query, and no Authorization', async () => {
    const { data } = await (await client()).GET('/reports', { params: { query: { month: '2026-11' } } });
    expect(data).toEqual({ month: '2026-11' });
    const request = seen[seen.length - 1];
    expect(request.headers['x-api-key']).toBe('key-123');
    expect(request.headers.authorization).toBeUndefined();
  });

  test('GIVEN an IAM route THEN the call is signed with SigV4, and the signature verifies against the request received', async () => {
    const { data, response } = await (await client()).POST('/items', { body: { name: 'pen', qty: 2 } });
    expect(response.status).toBe(201);
    expect(data).toEqual({ id: 'i-1', name: 'pen', qty: 2 });
    const request = seen[seen.length - 1];
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
    // Verify as API Gateway would: sign what arrived, at the date it carries, and compare.
    const url = new URL(request.url, baseUrl);
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(request.headers.authorization!)![1].split(';');
    const headers = Object.fromEntries(signedHeaders.map(h => [h, String(request.headers[h])]));
    const amzDate = request.headers['x-amz-date'] as string;
    const signer = new SignatureV4({ service: 'execute-api', region: 'eu-west-1', credentials, sha256: NodeSha256 });
    const expected = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers, body: request.body },
      { signingDate: new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`) });
    expect(request.headers.authorization).toBe(expected.headers.authorization);
  });

  test('GIVEN a route needing credentials the client lacks THEN the call fails before it is sent', async () => {
    const { createApiClient } = await import(path.join(clientDir, 'client.ts'));
    const bare = createApiClient({ baseUrl, auth: {} });
    const before = seen.length;
    await expect(bare.GET('/reports', { params: { query: { month: 'x' } } })).rejects.toThrow('Route GET /reports requires an API key (apiKey)');
    expect(seen.length).toBe(before);
  });
});

/** SHA-256 for the verifying signer, from Node.js crypto. */
class NodeSha256 {
  private readonly hash: { update(data: string | Uint8Array): unknown; digest(): Buffer };
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined || typeof secret === 'string' ? secret : bytes(secret);
    this.hash = key !== undefined ? createHmac('sha256', key) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: ArrayBuffer | ArrayBufferView): Buffer {
  return data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
