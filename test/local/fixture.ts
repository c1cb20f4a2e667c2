import { createHash, createHmac } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { SignatureV4 } from '@smithy/signature-v4';
import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RouteHandler } from '../../lib';
import { LocalApi, LocalApiOptions } from '../../lib/local';
import { CDK_CONTEXT } from '../util';

/**
 * Synthesizes a small app built with the library into a temp directory: one cdk.Stage named 'Dev'
 * holding one stack (account 111111111111, eu-west-1). Returns the cloud assembly directory.
 */
export function synthesizeStage(build: (stack: Stack) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-api-test-'));
  // The built-in CloudFormation validation (a WebAssembly rule engine) takes seconds per synth and is
  // not what these tests check.
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stage = new Stage(app, 'Dev', { env: { account: '111111111111', region: 'eu-west-1' } });
  build(new Stack(stage, 'Api'));
  app.synth();
  return outdir;
}

/** A handler from inline JavaScript (`exports.handler = ...`), run by the local server from the template. */
export function inline(code: string, options: { timeoutSeconds?: number; environment?: Record<string, string> } = {}): RouteHandler {
  return RouteHandler.fromCode(lambda.Code.fromInline(code), {
    timeout: options.timeoutSeconds ? Duration.seconds(options.timeoutSeconds) : undefined,
    environment: options.environment,
  });
}

/** Starts LocalApi on 127.0.0.1, port 0, nothing persisted. Set LOCAL_API_LOG=1 to see its log. */
export async function startLocal(assembly: string, options: LocalApiOptions = {}): Promise<LocalApi> {
  const api = await LocalApi.start({
    assembly,
    stage: 'Dev',
    log: process.env.LOCAL_API_LOG ? (line: string) => process.stderr.write(`${line}\n`) : undefined,
    ...options,
  });
  started.set(api, assembly);
  return api;
}

const started = new Map<LocalApi, string>();

/** Stops a server of `startLocal` and deletes the assembly it served. */
export async function stopLocal(api: LocalApi | undefined): Promise<void> {
  if (!api) { return; }
  await api.stop();
  const dir = started.get(api);
  started.delete(api);
  if (dir) { fs.rmSync(dir, { recursive: true, force: true }); }
}

/**
 * An HTTP backend on loopback that echoes what it received as JSON (`method`, `url`, `body`, the
 * `x-caller` header as `caller`, and `count: 3`) with an `x-backend: yes` header; paths under
 * /missing answer 404 `{"count":0}`.
 */
export async function startEchoBackend(): Promise<{ origin: string; stop: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/missing')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"count":0}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'yes' });
      res.end(JSON.stringify({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString(), count: 3, caller: req.headers['x-caller'] ?? null }));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/** fetch signed with SigV4 (service execute-api unless given), optionally at another time. */
export async function signedFetch(url: string, init: {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  service?: string;
  signingDate?: Date;
}): Promise<Response> {
  const u = new URL(url);
  const query: Record<string, string> = {};
  u.searchParams.forEach((v, k) => { query[k] = v; });
  const signer = new SignatureV4({
    credentials: init.credentials,
    region: init.region ?? 'eu-west-1',
    service: init.service ?? 'execute-api',
    sha256: Sha256 as any,
  });
  const signed = await signer.sign({
    method: init.method ?? 'GET',
    protocol: u.protocol,
    hostname: u.hostname,
    port: Number(u.port),
    path: u.pathname,
    query,
    headers: { host: u.host, ...(init.headers ?? {}) },
    body: init.body,
  } as any, { signingDate: init.signingDate }) as unknown as { headers: Record<string, string> };
  const headers = { ...signed.headers };
  delete headers.host;
  return fetch(url, { method: init.method ?? 'GET', headers, body: init.body });
}

class Sha256 {
  private readonly hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | Uint8Array) { this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret); }
  public update(data: string | Uint8Array): void { this.hash.update(data); }
  public async digest(): Promise<Uint8Array> { return new Uint8Array(this.hash.digest()); }
}

/** Status and parsed JSON body of a response. */
export async function jsonOf(res: Response): Promise<{ status: number; body: any; headers: Headers }> {
  const text = await res.text();
  let body: any = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body, headers: res.headers };
}
