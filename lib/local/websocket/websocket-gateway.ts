/**
 * One stage of a WebSocket API on the local server, as API Gateway serves it:
 *
 * - `$connect`: the route's authorization (none; IAM: SigV4 of the upgrade request for service
 *   `execute-api` and `execute-api:Invoke` on `<api arn>/<stage>/$connect` from the caller's identity
 *   policies; a Lambda REQUEST authorizer: identity sources present, else 401 without a call, then its
 *   policy evaluated for the method ARN), then the route's integration; a non-2xx answer refuses the
 *   handshake with that status, as API Gateway does.
 * - Messages: the route selection expression (`$request.body.action`) picks the route, `$default`
 *   when the body is not JSON or names no route; the integration (Lambda proxy, mock, AWS service
 *   stand-ins) runs, and a two-way route (one with a route response) sends its answer back.
 * - `$disconnect` when the client closes, with the `$connect` authorizer's output, best effort.
 * - The `@connections` API: post, get, delete; 410 GoneException for a connection that is not open.
 *
 * The `ws` package (a devDependency, like the server's other engines) speaks the protocol.
 */
import { randomBytes, randomUUID } from 'crypto';
import type * as http from 'http';
import type { Duplex } from 'stream';
import type { WebSocket } from 'ws';
import type { PolicyStatement, PrincipalSpec } from '../assembly/stage-model';
import type { WebSocketApiSpec, WebSocketIntegrationSpec, WebSocketRouteSpec, WebSocketStageSpec } from '../assembly/websocket-model';
import { evaluatePolicy } from '../auth/iam-policy';
import { isPresigned, verifyPresignedSigV4, verifySigV4 } from '../auth/sigv4';
import type { LocalCredentials } from '../local-secrets';
import { renderTemplate } from '../gateway/mapping-template';
import { serviceOf } from '../gateway/integrations';
import type { InvokeOutcome } from '../lambda/function-pool';
import type { ServiceRequest, ServiceResponse } from '../services/aws-stand-ins';
import { Buckets } from '../traffic/token-bucket';

/** An IAM identity of the stage (the subset of the REST gateway's LocalIdentity this gateway reads). */
export interface WebSocketCaller {
  readonly principal?: PrincipalSpec;
  readonly callerArn: string;
  readonly principalArn: string;
  readonly account: string;
  readonly credentials: LocalCredentials;
}

/** What the gateway calls out to. */
export interface WebSocketServices {
  invoke(functionArn: string, event: unknown, requestId: string): Promise<InvokeOutcome | undefined>;
  identityByAccessKey(accessKeyId: string): WebSocketCaller | undefined;
  awsService(request: ServiceRequest): Promise<ServiceResponse | undefined>;
  /** The API key check, throttle and quota of a usage plan of `apiId`'s stage; a refusal's gateway response type. */
  admitKey(apiId: string, stage: string, routeKey: string, value: string | undefined): string | undefined;
  explain(requestId: string, detail: string): void;
}

/** A management API answer. */
export interface ManagementResponse {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly errorType?: string;
}

/**
 * What `upgrade` needs of ws's `WebSocketServer`, structurally: the published declarations of
 * serverless-api-constructs/local then import nothing from `ws` (a devDependency whose types users do not install).
 */
export interface UpgradeServer {
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, callback: (client: unknown) => void): void;
}

interface Connection {
  readonly id: string;
  readonly socket: WebSocket;
  readonly connectedAt: number;
  lastActiveAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly domainName: string;
  /** The API key the $connect was admitted with: its plan's throttle and quota apply to every message. */
  readonly apiKey?: string;
  readonly authorizer?: Record<string, unknown>;
  readonly identity: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
}

/** API Gateway's 128 KB frame limit on incoming messages. */
const MAX_MESSAGE_BYTES = 128 * 1024;

export class WebSocketGateway {
  private readonly connections = new Map<string, Connection>();
  private readonly closing = new Set<Promise<unknown>>();
  private readonly buckets = new Buckets();

  constructor(
    public readonly api: WebSocketApiSpec,
    public readonly stage: WebSocketStageSpec,
    private readonly services: WebSocketServices,
  ) {}

  /** The ids of the open connections. */
  public get connectionIds(): string[] {
    return [...this.connections.keys()];
  }

  /** Whether a connection of this stage is open. */
  public has(connectionId: string): boolean {
    return this.connections.has(connectionId);
  }

  /** `arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<rest>`. */
  public arn(rest: string): string {
    return `arn:aws:execute-api:${this.api.region}:${this.api.account}:${this.api.id}/${this.stage.name}/${rest}`;
  }

  /** Handles an HTTP upgrade request for this stage: authorizes, runs $connect, then accepts or refuses. */
  public async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, server: UpgradeServer,
    request: { rawPath: string; rawQuery: string; domainName: string }): Promise<void> {
    const { rawPath, rawQuery, domainName } = request;
    const requestId = randomUUID();
    // 16 characters ending in '=', as API Gateway's ids look; URL-safe, so it fits the @connections path.
    const connectionId = `${randomBytes(11).toString('base64url')}=`;
    const headers: Record<string, string> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) { headers[req.rawHeaders[i]] = req.rawHeaders[i + 1]; }
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const query = Object.fromEntries(new URLSearchParams(rawQuery));
    const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const now = Date.now();
    const route = this.route('$connect');
    const identity: Record<string, unknown> = { sourceIp, userAgent: lower['user-agent'] ?? null };
    let authorizer: Record<string, unknown> | undefined;
    let usageIdentifierKey: string | undefined;

    if (route?.authorizationType === 'AWS_IAM') {
      // Browsers cannot set headers on a handshake: they presign the URL (SigV4 in the query string).
      const verify = !lower.authorization && isPresigned(rawQuery) ? verifyPresignedSigV4 : verifySigV4;
      const verdict = await verify(
        { method: 'GET', rawPath, rawQuery, headers: lower, body: Buffer.alloc(0) },
        { region: this.api.region, service: 'execute-api' },
        id => this.services.identityByAccessKey(id)?.credentials,
        new Date(now),
      );
      if (!verdict.ok) {
        this.services.explain(requestId, `$connect refused (IAM): ${verdict.message}`);
        return refuse(socket, 403, { message: verdict.missing ? 'Forbidden' : verdict.message });
      }
      const caller = this.services.identityByAccessKey(verdict.accessKeyId)!;
      const resource = this.arn('$connect');
      const decision = evaluatePolicy(caller.principal?.statements ?? [], {
        action: 'execute-api:Invoke', resource, principalArn: caller.principalArn, principalAccount: caller.account,
        context: { 'aws:SourceIp': sourceIp, 'aws:PrincipalArn': caller.principalArn },
      });
      if (decision !== 'Allow') {
        this.services.explain(requestId, `$connect refused (IAM): ${caller.callerArn} has no execute-api:Invoke on ${resource}`);
        return refuse(socket, 403, { message: `User: ${caller.callerArn} is not authorized to perform: execute-api:Invoke on resource: ${resource}` });
      }
      Object.assign(identity, {
        accessKey: verdict.accessKeyId, accountId: caller.account, caller: caller.callerArn.split('/').pop(), user: caller.callerArn, userArn: caller.callerArn,
      });
    } else if (route?.authorizationType === 'CUSTOM') {
      const result = await this.authorize(route, requestId, connectionId, headers, lower, query, identity, now, domainName);
      if ('status' in result) {
        return refuse(socket, result.status, { message: result.message });
      }
      authorizer = result.authorizer;
      usageIdentifierKey = result.usageIdentifierKey;
    }

    if (route && !this.admitRoute(route, now)) {
      this.services.explain(requestId, '$connect refused: throttled by the stage\'s route settings');
      return refuse(socket, 429, { message: 'Too Many Requests' });
    }
    let apiKey: string | undefined;
    if (route?.apiKeyRequired) {
      const value = this.api.apiKeySelectionExpression === '$context.authorizer.usageIdentifierKey'
        ? usageIdentifierKey
        : lower['x-api-key'];
      const refusal = this.services.admitKey(this.api.id, this.stage.name, '$connect', value);
      if (refusal) {
        this.services.explain(requestId, `$connect refused: ${refusal} (API key ${value === undefined ? 'missing' : 'not admitted'})`);
        return refuse(socket, refusal === 'INVALID_API_KEY' ? 403 : 429, { message: refusalMessage(refusal) });
      }
      apiKey = value;
    }
    const connection: Connection = {
      id: connectionId, socket: undefined as unknown as WebSocket, connectedAt: now, lastActiveAt: now, sourceIp,
      userAgent: lower['user-agent'] ?? '', domainName, apiKey, authorizer, identity, headers, query,
    };
    if (route) {
      const answer = await this.integrate(route, connection, 'CONNECT', requestId, {
        headers, multiValueHeaders: multi(headers), queryStringParameters: Object.keys(query).length ? query : undefined,
        multiValueQueryStringParameters: Object.keys(query).length ? multi(query) : undefined, isBase64Encoded: false,
      });
      if (answer.statusCode < 200 || answer.statusCode > 299) {
        this.services.explain(requestId, `$connect refused: the integration answered ${answer.statusCode}`);
        return refuse(socket, answer.statusCode, answer.body !== undefined ? answer.body : undefined);
      }
    }
    server.handleUpgrade(req, socket, head, client => {
      const ws = client as WebSocket;
      const open: Connection = { ...connection, socket: ws };
      this.connections.set(connectionId, open);
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        this.message(open, data, isBinary).catch((err: unknown) => {
          // A template that cannot render, a stand-in that throws: API Gateway's answer to an integration failure.
          const failed = randomUUID();
          this.services.explain(failed, `message failed: ${err instanceof Error ? err.message : String(err)}`);
          sendIfOpen(open, JSON.stringify({ message: 'Internal server error', connectionId, requestId: failed }));
        });
      });
      // A frame over the size limit or a protocol violation: ws closes the connection (1009, 1002) and reports it here.
      ws.on('error', (err: Error) => this.services.explain(requestId, `connection ${connectionId}: ${err.message}`));
      ws.on('close', (code: number, reason: Buffer) => {
        this.connections.delete(connectionId);
        const done = this.disconnect(open, code, reason.toString('utf8'))
          .catch((err: unknown) => this.services.explain(requestId, `$disconnect failed: ${err instanceof Error ? err.message : String(err)}`));
        this.closing.add(done);
        void done.finally(() => this.closing.delete(done));
      });
    });
  }

  /** `POST @connections/{id}`: sends `data` to the client. */
  public post(connectionId: string, data: Buffer): ManagementResponse {
    const connection = this.connections.get(connectionId);
    if (!connection || connection.socket.readyState !== connection.socket.OPEN) {
      return gone();
    }
    if (data.length > MAX_MESSAGE_BYTES) {
      return { statusCode: 413, errorType: 'PayloadTooLargeException', body: { message: `Message too long. Max length: ${MAX_MESSAGE_BYTES}` } };
    }
    connection.socket.send(data.toString('utf8'));
    return { statusCode: 200 };
  }

  /** `GET @connections/{id}`: when the client connected, its identity, when it was last active. */
  public get(connectionId: string): ManagementResponse {
    const connection = this.connections.get(connectionId);
    if (!connection) { return gone(); }
    return {
      statusCode: 200,
      body: {
        connectedAt: new Date(connection.connectedAt).toISOString(),
        identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
        lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
      },
    };
  }

  /** `DELETE @connections/{id}`: closes the connection ($disconnect follows). */
  public delete(connectionId: string): ManagementResponse {
    const connection = this.connections.get(connectionId);
    if (!connection) { return gone(); }
    connection.socket.close(1000, 'Going away');
    return { statusCode: 204 };
  }

  /** Closes every connection and waits for their $disconnect calls. */
  public async stop(): Promise<void> {
    for (const connection of this.connections.values()) { connection.socket.terminate(); }
    await Promise.allSettled([...this.closing]);
  }

  /** The stage's throttle of a route: its route settings, else the stage's default route settings. */
  private admitRoute(route: WebSocketRouteSpec, now: number): boolean {
    const limits = this.stage.routeThrottles[route.routeKey] ?? this.stage.throttle;
    return this.buckets.take(`route|${route.routeKey}`, limits?.rateLimit, limits?.burstLimit, now);
  }

  private route(routeKey: string): WebSocketRouteSpec | undefined {
    return this.api.routes.find(r => r.routeKey === routeKey);
  }

  /** The route a message selects: the value the route selection expression reads, else $default. */
  private select(body: string, isBinary: boolean): WebSocketRouteSpec | undefined {
    const expression = /^\$\{?request\.body\.([A-Za-z0-9_.$-]+)\}?$/.exec(this.api.routeSelectionExpression.trim());
    if (expression && !isBinary) {
      try {
        let value: unknown = JSON.parse(body);
        for (const key of expression[1].split('.')) {
          value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
        }
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          const found = this.route(String(value));
          if (found && !found.routeKey.startsWith('$')) { return found; }
        }
      } catch {
        // not JSON: $default
      }
    }
    return this.route('$default');
  }

  private async message(connection: Connection, data: Buffer, isBinary: boolean): Promise<void> {
    const requestId = randomUUID();
    connection.lastActiveAt = Date.now();
    if (data.length > MAX_MESSAGE_BYTES) {
      connection.socket.close(1009, 'Message too big');
      return;
    }
    const body = isBinary ? data.toString('base64') : data.toString('utf8');
    const route = this.select(data.toString('utf8'), isBinary);
    if (!route) {
      this.services.explain(requestId, 'message: no route matches and the API has no $default route');
      sendIfOpen(connection, JSON.stringify({ message: 'Forbidden', connectionId: connection.id, requestId }));
      return;
    }
    if (!this.admitRoute(route, Date.now())) {
      this.services.explain(requestId, `message refused: route ${route.routeKey} throttled by the stage's route settings`);
      sendIfOpen(connection, JSON.stringify({ message: 'Too Many Requests', connectionId: connection.id, requestId }));
      return;
    }
    if (connection.apiKey !== undefined) {
      const refusal = this.services.admitKey(this.api.id, this.stage.name, route.routeKey, connection.apiKey);
      if (refusal) {
        this.services.explain(requestId, `message refused: ${refusal} (the connection's API key)`);
        sendIfOpen(connection, JSON.stringify({ message: refusalMessage(refusal), connectionId: connection.id, requestId }));
        return;
      }
    }
    const answer = await this.integrate(route, connection, 'MESSAGE', requestId, {
      body, isBase64Encoded: isBinary,
    }, body);
    if (answer.failed) {
      sendIfOpen(connection, JSON.stringify({ message: 'Internal server error', connectionId: connection.id, requestId }));
      return;
    }
    if (route.twoWay && answer.body !== undefined && answer.body !== '') {
      sendIfOpen(connection, answer.body);
    }
  }

  private async disconnect(connection: Connection, code: number, reason: string): Promise<void> {
    const route = this.route('$disconnect');
    if (!route) { return; }
    const requestId = randomUUID();
    await this.integrate(route, connection, 'DISCONNECT', requestId, {
      headers: connection.headers, multiValueHeaders: multi(connection.headers), isBase64Encoded: false,
    }, undefined, { disconnectStatusCode: code, disconnectReason: reason });
  }

  /** The requestContext of an event of this connection. */
  private context(route: WebSocketRouteSpec, connection: Connection, eventType: string, requestId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Date.now();
    return {
      routeKey: route.routeKey,
      ...(eventType === 'MESSAGE' ? { messageId: randomBytes(12).toString('base64'), messageDirection: 'IN' } : {}),
      eventType,
      extendedRequestId: requestId,
      requestTime: new Date(now).toUTCString(),
      ...(eventType === 'MESSAGE' ? {} : { messageDirection: 'IN' }),
      stage: this.stage.name,
      connectedAt: connection.connectedAt,
      requestTimeEpoch: now,
      identity: connection.identity,
      requestId,
      domainName: connection.domainName,
      connectionId: connection.id,
      apiId: this.api.id,
      ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
      ...extra,
    };
  }

  /** Runs a route's integration; `body` is what a two-way route sends back. */
  private async integrate(route: WebSocketRouteSpec, connection: Connection, eventType: string, requestId: string,
    eventFields: Record<string, unknown>, messageBody?: string, contextExtra?: Record<string, unknown>): Promise<{ statusCode: number; body?: string; failed?: boolean }> {
    const integration = route.integrationId ? this.api.integrations[route.integrationId] : undefined;
    const requestContext = this.context(route, connection, eventType, requestId, contextExtra);
    if (!integration) {
      return { statusCode: 200 };
    }
    if (integration.type === 'AWS_PROXY' && integration.functionArn) {
      const event = { requestContext, ...eventFields, ...(Object.keys(this.stage.variables).length ? { stageVariables: this.stage.variables } : {}) };
      const outcome = await this.services.invoke(integration.functionArn, event, requestId);
      if (!outcome || outcome.error) {
        this.services.explain(requestId, `${route.routeKey}: ${outcome ? `${outcome.error!.errorType}: ${outcome.error!.errorMessage}` : `no function ${integration.functionArn}`}`);
        return { statusCode: 500, body: JSON.stringify({ message: 'Internal server error' }), failed: true };
      }
      const payload = outcome.payload as { statusCode?: unknown; body?: unknown } | undefined | null;
      const statusCode = payload && typeof payload === 'object' && typeof payload.statusCode === 'number' ? payload.statusCode : 200;
      const body = payload && typeof payload === 'object' && 'body' in payload
        ? (typeof payload.body === 'string' ? payload.body : JSON.stringify(payload.body))
        : (payload === undefined || payload === null ? undefined : JSON.stringify(payload));
      return { statusCode, body };
    }
    const input = this.templateInput(requestContext, connection, messageBody ?? '');
    if (integration.type === 'MOCK') {
      return { statusCode: 200, body: this.responseBody(integration, input, '') };
    }
    if (integration.type === 'AWS') {
      return this.awsIntegration(integration, route, input, requestId);
    }
    this.services.explain(requestId, `${route.routeKey}: ${integration.type} integrations are not served locally`);
    return { statusCode: 500, failed: true };
  }

  private async awsIntegration(integration: WebSocketIntegrationSpec, route: WebSocketRouteSpec, input: ReturnType<WebSocketGateway['templateInput']>,
    requestId: string): Promise<{ statusCode: number; body?: string; failed?: boolean }> {
    const target = serviceOf(integration.uri);
    const template = integration.requestTemplates.$default ?? Object.values(integration.requestTemplates)[0];
    if (!target) {
      this.services.explain(requestId, `${route.routeKey}: integration URI ${integration.uri} is not an AWS service URI`);
      return { statusCode: 500, failed: true };
    }
    const headers: Record<string, string> = {};
    for (const [name, source] of Object.entries(integration.requestParameters)) {
      const header = /^integration\.request\.header\.(.+)$/.exec(name);
      const literal = /^'(.*)'$/s.exec(source);
      if (header && literal) { headers[header[1].toLowerCase()] = literal[1]; }
    }
    headers['content-type'] ??= 'application/json';
    const response = await this.services.awsService({
      service: target.service, form: target.form, target: target.target, httpMethod: 'POST', headers,
      body: Buffer.from(template !== undefined ? renderTemplate(template, input).body : input.body), requestId,
    });
    if (!response) {
      this.services.explain(requestId, `${route.routeKey}: no local stand-in for ${target.service} ${target.target}`);
      return { statusCode: 500, failed: true };
    }
    if (response.statusCode >= 400) {
      this.services.explain(requestId, `${route.routeKey}: ${target.service} answered ${response.statusCode}: ${response.body.toString('utf8').slice(0, 300)}`);
      return { statusCode: 500, failed: true };
    }
    return { statusCode: 200, body: this.responseBody(integration, { ...input, body: response.body.toString('utf8') }, response.body.toString('utf8')) };
  }

  private responseBody(integration: WebSocketIntegrationSpec, input: ReturnType<WebSocketGateway['templateInput']>, fallback: string): string | undefined {
    const template = integration.responseTemplates.$default ?? Object.values(integration.responseTemplates)[0];
    if (template === undefined) { return fallback === '' ? undefined : fallback; }
    return renderTemplate(template, input).body;
  }

  private templateInput(requestContext: Record<string, unknown>, connection: Connection, body: string) {
    return {
      context: requestContext as Record<string, any>,
      stageVariables: this.stage.variables,
      headers: connection.headers,
      query: connection.query,
      pathParameters: {},
      body,
    };
  }

  /** A Lambda REQUEST authorizer on $connect: the function's policy for the $connect method ARN decides. */
  private async authorize(route: WebSocketRouteSpec, requestId: string, connectionId: string, headers: Record<string, string>, lower: Record<string, string>,
    query: Record<string, string>, identity: Record<string, unknown>, now: number, domainName: string): Promise<{ authorizer: Record<string, unknown>; usageIdentifierKey?: string } | { status: number; message: string }> {
    const authorizer = route.authorizerId ? this.api.authorizers[route.authorizerId] : undefined;
    if (!authorizer) {
      this.services.explain(requestId, `$connect: authorizer ${route.authorizerId} is not in the stage`);
      return { status: 500, message: 'Internal server error' };
    }
    for (const source of authorizer.identitySource) {
      const m = /^route\.request\.(header|querystring)\.(.+)$/.exec(source);
      const present = m && (m[1] === 'header' ? lower[m[2].toLowerCase()] : query[m[2]]);
      if (!present) {
        this.services.explain(requestId, `$connect refused: identity source ${source} is missing`);
        return { status: 401, message: 'Unauthorized' };
      }
    }
    const methodArn = this.arn('$connect');
    const event = {
      type: 'REQUEST',
      methodArn,
      headers,
      multiValueHeaders: multi(headers),
      queryStringParameters: query,
      multiValueQueryStringParameters: multi(query),
      stageVariables: this.stage.variables,
      requestContext: {
        routeKey: '$connect', eventType: 'CONNECT', extendedRequestId: requestId, requestTime: new Date(now).toUTCString(),
        messageDirection: 'IN', stage: this.stage.name, connectedAt: now, requestTimeEpoch: now, identity, requestId,
        domainName, connectionId, apiId: this.api.id,
      },
    };
    const outcome = await this.services.invoke(authorizer.functionArn, event, requestId);
    if (!outcome || outcome.error) {
      const unauthorized = outcome?.error?.errorMessage === 'Unauthorized';
      this.services.explain(requestId, `$connect refused by the authorizer: ${outcome?.error ? `${outcome.error.errorType}: ${outcome.error.errorMessage}` : 'no function'}`);
      return unauthorized ? { status: 401, message: 'Unauthorized' } : { status: 500, message: 'Internal server error' };
    }
    const result = outcome.payload as { principalId?: unknown; policyDocument?: { Statement?: unknown }; context?: Record<string, unknown>; usageIdentifierKey?: unknown } | undefined;
    const statements = result?.policyDocument?.Statement;
    const list = (Array.isArray(statements) ? statements : statements ? [statements] : []) as PolicyStatement[];
    const decision = evaluatePolicy(list, { action: 'execute-api:Invoke', resource: methodArn, context: {} });
    if (decision !== 'Allow') {
      this.services.explain(requestId, `$connect refused: the authorizer's policy does not allow ${methodArn}`);
      return { status: 403, message: 'Forbidden' };
    }
    return {
      usageIdentifierKey: typeof result?.usageIdentifierKey === 'string' ? result.usageIdentifierKey : undefined,
      authorizer: { ...(result?.context ?? {}), principalId: typeof result?.principalId === 'string' ? result.principalId : JSON.stringify(result?.principalId ?? ''), integrationLatency: outcome.durationMs },
    };
  }
}

function multi(values: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [v]]));
}

function refusalMessage(refusal: string): string {
  return refusal === 'INVALID_API_KEY' ? 'Forbidden' : refusal === 'QUOTA_EXCEEDED' ? 'Limit Exceeded' : 'Too Many Requests';
}

function gone(): ManagementResponse {
  return { statusCode: 410, errorType: 'GoneException', body: { message: null } };
}

function sendIfOpen(connection: Connection, text: string): void {
  if (connection.socket.readyState === connection.socket.OPEN) { connection.socket.send(text); }
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway' };

/** Refuses a handshake with an HTTP answer, as API Gateway does for a refused $connect. */
function refuse(socket: Duplex, statusCode: number, body: unknown): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const status = statusCode >= 100 && statusCode <= 599 ? statusCode : 500;
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}
