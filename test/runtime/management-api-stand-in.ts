/**
 * A local stand-in for API Gateway's WebSocket management API (the `@connections` endpoint of a
 * stage), on 127.0.0.1, for tests and the benchmark:
 *
 *   POST   /{stage}/@connections/{id}   body = the message      → 200, 410 Gone, 429 throttled, 500
 *   DELETE /{stage}/@connections/{id}                          → 204, 410 Gone
 *   GET    /{stage}/@connections/{id}                          → 200 JSON, 410 Gone
 *
 * Errors carry `x-amzn-errortype` like the real service, so the AWS SDK raises GoneException and
 * LimitExceededException. A request without a SigV4 `Authorization` header (and `x-amz-date`) is
 * refused with 403, as API Gateway does ('Missing Authentication Token'); the signature itself is not
 * verified (that needs the caller's secret key). It counts what it received and the most requests it
 * had in flight at once.
 *
 * In flight means received and not yet answered. Every answer waits at least for the event loop's next
 * check phase (setImmediate), so the requests already on the wire (on other sockets) are read before
 * any of them is answered: a client with n calls outstanding is seen with up to n in flight. (An answer
 * written in the tick its request arrived in made every client look sequential, at most 1 in flight
 * whatever its concurrency: the server then never held two requests at once.)
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface StandInOptions {
  /** Connection ids that are gone (410). */
  readonly gone?: ReadonlySet<string>;
  /**
   * Whether the n-th POST (1-based) for a connection is throttled (429). Default: never.
   */
  readonly throttle?: (connectionId: string, attempt: number) => boolean;
  /** Whether the n-th POST (1-based) for a connection fails with a 500 InternalServerErrorException. Default: never. */
  readonly serverError?: (connectionId: string, attempt: number) => boolean;
  /** Time each POST takes before answering, in ms (to make concurrency observable). Default 0. */
  readonly latencyMs?: number;
  /** The stage path prefix. Default 'dev'. */
  readonly stage?: string;
}

export interface ManagementApiStandIn {
  /** The endpoint to give the SDK client: http://127.0.0.1:{port}/{stage}. */
  readonly endpoint: string;
  /** Messages accepted, per connection id (each body as a string). */
  readonly delivered: Map<string, string[]>;
  /** POSTs received per connection id, accepted or not. */
  readonly attempts: Map<string, number>;
  /** DELETEs received. */
  readonly deleted: string[];
  /** Requests by status code. */
  readonly statuses: Map<number, number>;
  /** Most requests in flight at the same time. */
  readonly maxInFlight: () => number;
  /** Forget what was received (not the options). */
  reset(): void;
  stop(): Promise<void>;
}

export async function startManagementApiStandIn(options: StandInOptions = {}): Promise<ManagementApiStandIn> {
  const stage = options.stage ?? 'dev';
  const gone = options.gone ?? new Set<string>();
  const delivered = new Map<string, string[]>();
  const attempts = new Map<string, number>();
  const deleted: string[] = [];
  const statuses = new Map<number, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const prefix = `/${stage}/@connections/`;
  const sigV4 = /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[\w-]+\/execute-api\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/;

  const server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body?: unknown, errorType?: string) => setImmediate(() => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        inFlight--;
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        res.end(body === undefined ? '' : JSON.stringify(body));
      });
      const url = req.url ?? '';
      if (!sigV4.test(req.headers.authorization ?? '') || !req.headers['x-amz-date']) {
        answer(403, { message: 'Missing Authentication Token' }, 'ForbiddenException');
        return;
      }
      if (!url.startsWith(prefix)) {
        answer(403, { message: 'Forbidden' }, 'ForbiddenException');
        return;
      }
      const id = decodeURIComponent(url.slice(prefix.length).split('?')[0]);
      if (req.method === 'POST') {
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        const respond = () => {
          if (gone.has(id)) {
            answer(410, { message: null }, 'GoneException');
          } else if (options.throttle?.(id, n)) {
            answer(429, { message: 'Rate exceeded' }, 'LimitExceededException');
          } else if (options.serverError?.(id, n)) {
            answer(500, { message: 'Internal server error' }, 'InternalServerErrorException');
          } else {
            const list = delivered.get(id) ?? [];
            list.push(Buffer.concat(chunks).toString('utf8'));
            delivered.set(id, list);
            answer(200);
          }
        };
        if (options.latencyMs) {
          setTimeout(respond, options.latencyMs);
        } else {
          respond();
        }
      } else if (req.method === 'DELETE') {
        deleted.push(id);
        if (gone.has(id)) {
          answer(410, { message: null }, 'GoneException');
        } else {
          answer(204);
        }
      } else if (req.method === 'GET') {
        if (gone.has(id)) {
          answer(410, { message: null }, 'GoneException');
        } else {
          answer(200, { ConnectedAt: new Date(0).toISOString(), Identity: { SourceIp: '127.0.0.1', UserAgent: 'stand-in' }, LastActiveAt: new Date(0).toISOString() });
        }
      } else {
        answer(405, { message: 'Method not allowed' });
      }
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/${stage}`,
    delivered,
    attempts,
    deleted,
    statuses,
    maxInFlight: () => maxInFlight,
    reset: () => {
      delivered.clear();
      attempts.clear();
      deleted.length = 0;
      statuses.clear();
      maxInFlight = 0;
    },
    stop: () => new Promise<void>(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
