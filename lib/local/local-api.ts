import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Duplex } from 'stream';
import * as os from 'os';
import * as path from 'path';
import type { WebSocketServer } from 'ws';
import { loadStageModel } from './assembly/stage-model';
import type { TokenPair, TokenRequest } from './auth/local-user-pools';
import { LocalDynamo } from './data/local-dynamo';
import type { HttpResponse } from './gateway/gateway-responses';
import type { GatewayRequest } from './gateway/proxy-event';
import type { FunctionLogLine, InvokeOutcome } from './lambda/function-pool';
import { LocalSecrets } from './local-secrets';
import { AwsStandIns, RecordedMessage } from './services/aws-stand-ins';
import { handleInvoke, INVOKE_PATH } from './server/lambda-invoke-api';
import { CONNECTIONS_PATH, handleConnections } from './server/connections-api';
import { describeStage, LocalInfo } from './server/local-info';
import { LocalStage, NO_GRANT_PRINCIPAL, runtimeModulePaths } from './server/local-stage';

/** Options of {@link LocalApi.start}. */
export interface LocalApiOptions {
  /**
   * The cloud assembly directory `cdk synth` wrote.
   * @default 'cdk.out'
   */
  readonly assembly?: string;
  /**
   * The stage to serve ('Dev').
   * @default the assembly's only stage (or its top-level stacks when it has none); an error names the stages when it has several
   */
  readonly stage?: string;
  /**
   * Port; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * Interface to listen on.
   * @default '127.0.0.1' (loopback only)
   */
  readonly host?: string;
  /**
   * Where DynamoDB data, API key values, IAM credentials and the token signing key are kept between
   * runs.
   * @default nothing kept (in memory), which suits tests
   */
  readonly stateDirectory?: string;
  /**
   * Most warm instances per function (Lambda's concurrency), a positive integer.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * The most an integration may take, in ms.
   * @default 29000 (API Gateway's limit)
   */
  readonly maxIntegrationTimeoutMs?: number;
  /**
   * Where request lines, explanations of refusals and function output go.
   * @default nowhere
   */
  readonly log?: (line: string) => void;
  /**
   * Directory the functions resolve runtime-provided modules (the AWS SDK) from.
   * @default the current directory
   */
  readonly projectDirectory?: string;
  /**
   * Where HTTP and HTTP_PROXY integrations (and VPC link integrations) go instead of the origin in
   * their URI, by origin: `{ 'https://legacy.example.com': 'http://127.0.0.1:4000' }`. The path and
   * query string are kept.
   * @default each integration's own URI (a VPC link without an entry answers 501: its load balancer is not reachable from here)
   */
  readonly backends?: { [origin: string]: string };
  /**
   * How often DynamoDB items past their TTL are deleted, in ms.
   * @default 60000
   */
  readonly ttlSweepMs?: number;
  /**
   * The account-level throttle every request of the stage takes a token from, as on AWS. Raise it as
   * AWS raises the account quota on request (load tests of the server itself do).
   * @default API Gateway's 10,000 requests per second with a burst of 5,000
   */
  readonly accountThrottle?: LocalThrottle;
}

/** A token bucket's limits. */
export interface LocalThrottle {
  /** Steady requests per second. */
  readonly rateLimit: number;
  /** Requests a full bucket lets through at once. */
  readonly burstLimit: number;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);
/** Set by the server from the body it sends, whatever an integration said. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

/**
 * The synthesized API of one stage, served on localhost without Docker, with API Gateway's rules
 * enforced (auth, keys and plans, validation, throttling, timeouts, gateway responses) and the stage's
 * Lambda functions and DynamoDB tables running locally.
 *
 * @example
 * let api: LocalApi;
 * beforeAll(async () => { api = await LocalApi.start({ assembly: 'cdk.out', stage: 'Dev' }); });
 * afterAll(() => api.stop());
 * test('health', async () => {
 *   const res = await fetch(`${api.urlOf('items-dev')}/health`);
 *   expect(res.status).toBe(200);
 * });
 */
export class LocalApi {
  /** Reads the assembly, starts DynamoDB and the HTTP server. */
  public static async start(options: LocalApiOptions = {}): Promise<LocalApi> {
    checkOptions(options);
    const api = new LocalApi(options);
    try {
      await api.boot();
    } catch (err) {
      await api.stop();
      throw err;
    }
    return api;
  }

  private readonly secrets: LocalSecrets;
  private readonly server: http.Server;
  private readonly scratch: string;
  private webSockets?: WebSocketServer;
  private dynamo?: LocalDynamo;
  private standIns?: AwsStandIns;
  private current?: LocalStage;
  private baseUrl = '';
  private inflight = 0;
  private stopped = false;

  private constructor(private readonly options: LocalApiOptions) {
    this.secrets = new LocalSecrets(options.stateDirectory);
    this.scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'local-api-'));
    this.server = http.createServer((req, res) => { void this.serve(req, res); });
    this.server.keepAliveTimeout = 5_000;
    this.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => { void this.upgrade(req, socket, head); });
  }

  /** The server's base URL, e.g. http://127.0.0.1:3000. */
  public get url(): string {
    return this.baseUrl;
  }

  /** The URL of an API by name, id or construct path (e.g. http://127.0.0.1:3000/v1); the first API when omitted. */
  public urlOf(api?: string): string {
    const mounts = this.stage().mounts;
    const mount = api === undefined ? mounts[mounts.length - 1] : mounts.find(m => m.gateway.api.name === api || m.gateway.api.id === api
      || m.gateway.api.path === api || m.gateway.api.path === `${api}/Resource` || m.prefix === api || m.prefix === `/${api}`);
    if (!mount) {
      throw new Error(`No API '${api}'. APIs: ${mounts.map(m => `${m.gateway.api.name} (${m.gateway.api.path}) at ${m.prefix || '/'}`).join(', ')}.`);
    }
    return `${this.baseUrl}${mount.prefix}`;
  }

  /** What the server serves: APIs and routes, functions, keys, principals with credentials, user pools. */
  public info(): LocalInfo {
    return describeStage(this.stage(), this.baseUrl, this.dynamo?.endpoint ?? '');
  }

  /** Mints Cognito tokens for a user of the stage's user pool. */
  public token(request: TokenRequest): TokenPair {
    return this.stage().userPools.mint(request);
  }

  /** The local value of an API key, by name ('demo-free-dev') or id. */
  public apiKey(name: string): string {
    const key = this.stage().usagePlans.keys.find(k => k.name === name || k.id === name);
    if (!key) {
      throw new Error(`No API key '${name}'. Keys: ${this.stage().usagePlans.keys.map(k => k.name).join(', ') || '(none)'}.`);
    }
    return key.value;
  }

  /**
   * Local credentials of an IAM principal of the stage, by role/user name, ARN or construct path;
   * without an argument, those of the principal that the stage grants nothing.
   */
  public credentials(principal?: string): { accessKeyId: string; secretAccessKey: string; region: string } {
    const stage = this.stage();
    const wanted = principal ?? NO_GRANT_PRINCIPAL;
    const identity = stage.identities.find(i => i.principalArn === wanted || i.principal?.name === wanted || i.principal?.path === wanted
      || i.principal?.logicalId === wanted || i.principalArn.endsWith(`/${wanted}`));
    if (!identity) {
      throw new Error(`No principal '${wanted}'. Principals: ${stage.identities.map(i => i.principalArn).join(', ')}.`);
    }
    return { ...identity.credentials, region: stage.model.region };
  }

  /** Invokes a function of the stage directly (no gateway), by name, ARN or logical ID. */
  public async invoke(functionName: string, event: unknown): Promise<InvokeOutcome> {
    const outcome = await this.stage().invoke(functionName, event);
    if (!outcome) { throw new Error(`No function '${functionName}' in the stage.`); }
    return outcome;
  }

  /** Deletes DynamoDB items past their TTL now (the server also does it every `ttlSweepMs`). */
  public sweepExpiredItems(): Promise<number> {
    return this.dynamo!.sweepExpired();
  }

  /**
   * What the stage's AWS service integrations sent to SQS, EventBridge, Kinesis and Step Functions
   * (recorded, not delivered), oldest first; of one service ('sqs', 'events', 'kinesis', 'states')
   * when given. Also `GET /_local/messages?service=sqs`.
   */
  public messages(service?: string): RecordedMessage[] {
    return this.standIns?.messages(service) ?? [];
  }

  /** Forgets the recorded messages (of one service when given). Also `DELETE /_local/messages`. */
  public clearMessages(service?: string): void {
    this.standIns?.clearMessages(service);
  }

  /** The DynamoDB endpoint the functions use. */
  public get dynamodbEndpoint(): string {
    return this.dynamo?.endpoint ?? '';
  }

  /**
   * Serves a new assembly (after a re-synth) on the same port: new tables are created (data kept),
   * functions restart cold, keys and credentials keep their values. Requests in flight finish on the
   * old one.
   */
  public async reload(assembly?: string): Promise<void> {
    const next = await this.build(assembly ?? this.options.assembly ?? 'cdk.out');
    const previous = this.current;
    this.current = next;
    if (previous) {
      const deadline = Date.now() + 30_000;
      while (this.inflight > 0 && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 20));
      }
      await previous.stop();
    }
  }

  /** Stops the server, the functions and DynamoDB (data in `stateDirectory` stays). */
  public async stop(): Promise<void> {
    if (this.stopped) { return; }
    this.stopped = true;
    await new Promise<void>(resolve => {
      if (!this.server.listening) { resolve(); return; }
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.current?.stop();
    this.webSockets?.close();
    await this.dynamo?.stop();
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }

  private async boot(): Promise<void> {
    const model = loadStageModel(this.options.assembly ?? 'cdk.out', this.options.stage, path.join(this.scratch, 'inline-0'));
    this.dynamo = await LocalDynamo.start(model.tables, {
      dataDirectory: this.options.stateDirectory ? path.join(this.options.stateDirectory, 'dynamodb') : undefined,
      ttlSweepMs: this.options.ttlSweepMs,
    });
    this.standIns = new AwsStandIns(this.dynamo, (queue, message) => this.current?.deliverQueueMessage(queue, message));
    this.current = this.stageOf(model);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.baseUrl = `http://${host}:${address.port}`;
  }

  private generation = 0;

  private async build(assembly: string): Promise<LocalStage> {
    const model = loadStageModel(assembly, this.options.stage, path.join(this.scratch, `inline-${++this.generation}`));
    await this.dynamo!.ensureTables(model.tables);
    return this.stageOf(model);
  }

  private stageOf(model: ReturnType<typeof loadStageModel>): LocalStage {
    const log = this.options.log;
    return new LocalStage(model, {
      secrets: this.secrets,
      dynamo: this.dynamo!,
      standIns: this.standIns!,
      serverUrl: () => this.baseUrl,
      maxInstances: this.options.concurrency ?? 4,
      maxIntegrationTimeoutMs: this.options.maxIntegrationTimeoutMs ?? 29_000,
      backends: originsOf(this.options.backends ?? {}),
      nodePaths: runtimeModulePaths(this.options.projectDirectory ?? process.cwd()),
      functionLog: (line: FunctionLogLine) => log?.(`  [${line.functionName}] ${line.line}`),
      explain: (requestId, detail) => log?.(`  ${requestId.slice(0, 8)} ${detail}`),
      accountThrottle: this.options.accountThrottle,
    });
  }

  private stage(): LocalStage {
    if (!this.current) { throw new Error('The local API is not started.'); }
    return this.current;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inflight++;
    const started = Date.now();
    const requestId = randomUUID();
    let response: HttpResponse;
    try {
      const body = await readBody(req);
      const [rawPath, ...query] = (req.url ?? '/').split('?');
      const rawHeaders: Array<[string, string]> = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) { rawHeaders.push([req.rawHeaders[i], req.rawHeaders[i + 1]]); }
      const request: GatewayRequest = {
        requestId,
        method: (req.method ?? 'GET').toUpperCase(),
        rawPath,
        rawQuery: query.join('?'),
        rawHeaders,
        body: body ?? Buffer.alloc(0),
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        requestTimeEpoch: started,
        host: req.headers.host ?? '',
      };
      response = body === undefined
        ? json(413, { message: 'Request Too Long' }, [['x-amzn-ErrorType', 'RequestTooLargeException']])
        : await this.dispatch(request);
    } catch (err) {
      this.options.log?.(`  ${requestId.slice(0, 8)} local server error: ${err instanceof Error ? err.stack : JSON.stringify(err)}`);
      response = json(500, { message: 'Internal server error' });
    } finally {
      this.inflight--;
    }
    this.options.log?.(`${req.method} ${req.url} ${response.statusCode} ${Date.now() - started} ms`);
    if (res.destroyed) { return; }
    // Repeated names (Set-Cookie from multiValueHeaders) are sent as repeated headers.
    const flat: string[] = [];
    for (const [name, value] of response.headers) {
      if (!FRAMING_HEADERS.has(name.toLowerCase())) { flat.push(name, value); }
    }
    flat.push('Content-Length', String(response.body.length));
    res.writeHead(response.statusCode, flat);
    res.end(req.method === 'HEAD' ? undefined : response.body);
  }

  private async dispatch(request: GatewayRequest): Promise<HttpResponse> {
    const stage = this.stage();
    const pathOnly = request.rawPath;
    if (pathOnly.startsWith('/_local/')) {
      return this.localEndpoint(stage, request);
    }
    const connections = CONNECTIONS_PATH.exec(pathOnly);
    if (connections && stage.webSocketRoute(connections[1] || '/')) {
      return handleConnections(stage, request, stage.webSocketRoute(connections[1] || '/')!.gateway, connections[2]);
    }
    const invoke = INVOKE_PATH.exec(pathOnly);
    if (invoke && request.method === 'POST') {
      return handleInvoke(stage, request, invoke[1]);
    }
    const decodedPath = safeDecodePath(pathOnly);
    const found = stage.route(pathOnly);
    if (!found) {
      return json(403, { message: 'Missing Authentication Token' }, [
        ['x-amzn-ErrorType', 'MissingAuthenticationTokenException'],
        ['x-local-hint', `No API is served at ${pathOnly}; GET /_local/info lists the APIs and their URLs.`],
      ]);
    }
    const { mount, rest } = found;
    const stageUrl = mount.kind === 'stage';
    const decodedRest = safeDecodePath(rest);
    return mount.gateway.handle(request, {
      path: rest,
      eventPath: stageUrl ? decodedRest : decodedPath,
      contextPath: stageUrl ? `/${mount.gateway.stage.name}${decodedRest}` : decodedPath,
      domainName: stageUrl ? mount.domainName : (request.host.split(':')[0] || mount.domainName),
    });
  }

  /** An upgrade request: a WebSocket API stage served at its path takes it, anything else is refused. */
  private async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    try {
      const [rawPath, ...query] = (req.url ?? '/').split('?');
      const mount = this.current?.webSocketRoute(rawPath);
      if (!mount || this.stopped) {
        const body = JSON.stringify({ message: 'Forbidden', hint: `No WebSocket API is served at ${rawPath}; GET /_local/info lists them.` });
        socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
        return;
      }
      if (!this.webSockets) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use: a devDependency checked by assertEngines
        const { WebSocketServer: Server } = require('ws') as typeof import('ws');
        this.webSockets = new Server({ noServer: true, maxPayload: 128 * 1024 });
      }
      this.options.log?.(`WebSocket upgrade ${rawPath}`);
      await mount.gateway.upgrade(req, socket, head, this.webSockets, { rawPath, rawQuery: query.join('?'), domainName: mount.domainName });
    } catch (err) {
      this.options.log?.(`  WebSocket upgrade failed: ${err instanceof Error ? err.stack : String(err)}`);
      const body = '{"message":"Internal server error"}';
      if (socket.writable) {
        socket.end(`HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      } else {
        socket.destroy();
      }
    }
  }

  private localEndpoint(stage: LocalStage, request: GatewayRequest): HttpResponse {
    const route = `${request.method} ${request.rawPath}`;
    if (route === 'GET /_local/info') {
      return json(200, this.info());
    }
    if (route === 'POST /_local/token') {
      let body: any;
      try {
        body = JSON.parse(request.body.toString('utf8') || '{}');
      } catch {
        return json(400, { message: 'The body must be JSON: { "username": "...", "groups"?: [...], "scopes"?: [...] }' });
      }
      if (!body || typeof body !== 'object' || typeof body.username !== 'string') {
        return json(400, { message: 'username is required: { "username": "alice@example.com", "groups"?: ["admins"], "scopes"?: ["api/items.write"] }' });
      }
      try {
        return json(200, stage.userPools.mint({
          username: body.username,
          groups: Array.isArray(body.groups) ? body.groups.map(String) : undefined,
          scopes: Array.isArray(body.scopes) ? body.scopes.map(String) : undefined,
          userPool: typeof body.userPool === 'string' ? body.userPool : undefined,
          clientId: typeof body.clientId === 'string' ? body.clientId : undefined,
          claims: body.claims && typeof body.claims === 'object' ? body.claims : undefined,
          expiresInSeconds: typeof body.expiresInSeconds === 'number' ? body.expiresInSeconds : undefined,
        }));
      } catch (err) {
        return json(400, { message: (err as Error).message });
      }
    }
    const messages = /^(GET|DELETE) \/_local\/messages$/.exec(route);
    if (messages) {
      const service = new URLSearchParams(request.rawQuery).get('service') ?? undefined;
      if (messages[1] === 'DELETE') {
        this.clearMessages(service);
        return { statusCode: 204, headers: [], body: EMPTY };
      }
      return json(200, { messages: this.messages(service) });
    }
    const jwks = /^GET \/_local\/cognito\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(route);
    if (jwks) {
      const poolId = safeDecodePath(jwks[1]);
      const pool = stage.userPools.pool(poolId);
      if (!pool || pool.id !== poolId) { return json(404, { message: `No user pool ${jwks[1]}` }); }
      if (jwks[2] === 'jwks.json') { return json(200, stage.userPools.jwks()); }
      return json(200, {
        issuer: stage.userPools.issuer(pool),
        jwks_uri: `${this.baseUrl}/_local/cognito/${pool.id}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'token'],
        subject_types_supported: ['public'],
      });
    }
    return json(404, { message: `No local endpoint ${route}. Endpoints: GET /_local/info, POST /_local/token, GET|DELETE /_local/messages[?service=sqs|events|kinesis|states], GET /_local/cognito/<pool id>/.well-known/jwks.json.` });
  }
}

/** The backends map keyed by normalized origin (lower-case host, default port dropped); throws on a key that is not a URL. */
function originsOf(backends: { [origin: string]: string }): { [origin: string]: string } {
  return Object.fromEntries(Object.entries(backends).map(([from, to]) => {
    try {
      new URL(to);
      return [new URL(from).origin, to];
    } catch {
      throw new Error(`backends: '${from}' → '${to}' is not a pair of URLs; give origins such as 'https://legacy.example.com' → 'http://127.0.0.1:4000'.`);
    }
  }));
}

function json(statusCode: number, body: unknown, headers: Array<[string, string]> = []): HttpResponse {
  return { statusCode, headers: [['Content-Type', 'application/json'], ...headers], body: Buffer.from(JSON.stringify(body)) };
}

/** The request body, or undefined when it is over API Gateway's 10 MB. */
function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> | Buffer {
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    req.resume(); // no body: nothing to wait for
    return EMPTY;
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) { tooLarge = true; return; }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function safeDecodePath(raw: string): string {
  return raw.split('/').map(s => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  }).join('/');
}

/** Throws, naming the option, the value and what it takes, for options the server cannot honour. */
function checkOptions(options: LocalApiOptions): void {
  const { concurrency, port, maxIntegrationTimeoutMs, ttlSweepMs, accountThrottle } = options;
  const problems: Array<[boolean, string]> = [
    [concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1), `concurrency must be a positive integer (received ${concurrency}).`],
    [port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535), `port must be an integer from 0 to 65535 (received ${port}).`],
    [maxIntegrationTimeoutMs !== undefined && !(maxIntegrationTimeoutMs > 0), `maxIntegrationTimeoutMs must be a positive number of milliseconds (received ${maxIntegrationTimeoutMs}).`],
    [ttlSweepMs !== undefined && !(ttlSweepMs > 0), `ttlSweepMs must be a positive number of milliseconds (received ${ttlSweepMs}).`],
    [accountThrottle !== undefined && !(accountThrottle.rateLimit >= 0), `accountThrottle.rateLimit must be a number of 0 or more (received ${accountThrottle?.rateLimit}).`],
    [accountThrottle !== undefined && !(accountThrottle.burstLimit >= 0), `accountThrottle.burstLimit must be a number of 0 or more (received ${accountThrottle?.burstLimit}).`],
  ];
  const problem = problems.find(([bad]) => bad);
  if (problem) { throw new Error(problem[1]); }
}
