/**
 * WebSocket broadcast benchmark: the runtime helper `WebSocketConnections.broadcast()` to N connections
 * (default 10,000, 10% of them gone) read from dynalite, sent through the real AWS SDK client
 * (@aws-sdk/client-apigatewaymanagementapi) to a local stand-in of the management API on 127.0.0.1.
 * Loopback only; bounded (N and the concurrencies are fixed; every server is closed at the end).
 *
 * dynalite and the stand-in run in a second process (bench/websocket-bench-servers.ts), as DynamoDB
 * and API Gateway are remote in production: the client process does only the client's work.
 *
 * Reported per concurrency: wall time of the whole broadcast (reading the table, sending, deleting
 * the gone rows), messages per second, the client process's CPU time, the most requests the stand-in
 * had in flight, and whether every live connection got the message exactly once. Also the time of a
 * bare table scan (dynalite's share) and the size of the library's Cognito authorizer bundle with
 * and without aws-jwt-verify.
 *
 *   npm run bench                                   # its 'websocket' section
 *   BENCH_SECTIONS=websocket npm run bench           # this section only
 *   WS_BENCH_CONNECTIONS=2000 node -r esbuild-register bench/websocket-bench.ts
 *   WS_BENCH_CPU_PROFILE_DIR=/tmp/prof WS_BENCH_CONCURRENCY=100 node -r esbuild-register bench/websocket-bench.ts
 */
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as os from 'os';
import * as path from 'path';
import { fork } from 'child_process';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { connection, createConnectionsTable, seed } from '../test/runtime/connections-table';
import { WebSocketConnections } from '../lib/runtime/websocket';

const N = parseInt(process.env.WS_BENCH_CONNECTIONS ?? '10000', 10);
const GONE_EVERY = 10; // 10% gone
const CONCURRENCIES = (process.env.WS_BENCH_CONCURRENCY ?? '50,100').split(',').map(s => parseInt(s, 10)).filter(n => n > 0);
const GOAL_SECONDS = 5;
const OUT_DIR = path.join(__dirname, 'out');
/** Set to a directory to get a V8 CPU profile of each broadcast (open it in Chrome DevTools); slows the runs. */
const PROFILE_DIR = process.env.WS_BENCH_CPU_PROFILE_DIR;

export interface Run {
  readonly concurrency: number;
  readonly connections: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  readonly cpuSeconds: number;
  /** The client process's CPU per connection addressed, in ms. */
  readonly cpuMsPerMessage: number;
  /** CPU of the servers' process (dynalite and the stand-in) during the broadcast. */
  readonly serversCpuSeconds: number;
  readonly maxInFlight: number;
  readonly sent: number;
  readonly gone: number;
  readonly removed: number;
  readonly failed: number;
  readonly everyLiveOnce: boolean;
}

/** What the benchmark measured (also written to bench/out/websocket.json). */
export interface WebSocketBenchResult {
  readonly connections: number;
  readonly goneShare: number;
  readonly goalSeconds: number;
  readonly scanSeconds: number;
  readonly runs: Run[];
  readonly authorizerBundleBytes: { readonly withJwtVerify: number; readonly withoutJwtVerify: number };
}

/** Runs the benchmark, printing through `say` (bench.ts's printer, or the console). */
export async function runWebSocketBench(say: (line?: string) => void = line => console.log(line ?? '')): Promise<WebSocketBenchResult | undefined> {
  if (!(N > 0)) {
    return undefined;
  }
  const servers = await startServers();
  // Fake credentials: requests are signed as for AWS, and nothing leaves 127.0.0.1.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = servers.dynamoEndpoint;
  process.env.AWS_REGION = 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID = 'AKIABENCHBENCHBENCH';
  process.env.AWS_SECRET_ACCESS_KEY = 'bench-secret';
  const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const runs: Run[] = [];
  let scanSeconds = 0;
  try {
    process.stderr.write(`WebSocket broadcast: seeding ${N.toLocaleString('en-US')} connections per run in dynalite...\n`);
    for (const concurrency of CONCURRENCIES) {
      const table = `bench-connections-${concurrency}`;
      await createConnectionsTable(table);
      await seed(ddb, table, Array.from({ length: N }, (_, i) => connection(`conn-${i}`, { topic: 'all' })));
      if (scanSeconds === 0) {
        scanSeconds = await timeScan(ddb, table);
      }
      await servers.ask({ type: 'reset' });
      const helper = new WebSocketConnections({ tableName: table, endpoint: servers.apiEndpoint, dynamo: ddb, concurrency });
      const payload = { type: 'message', room: 'all', text: 'x'.repeat(200) };
      const profiler = PROFILE_DIR ? await startProfiler() : undefined;
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      const report = await helper.broadcast(payload);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const used = process.cpuUsage(cpu);
      if (profiler) {
        process.stderr.write(`  CPU profile: ${await profiler.stop(path.join(PROFILE_DIR!, `websocket-broadcast-${concurrency}.cpuprofile`))}\n`);
      }
      const stats = await servers.ask({ type: 'stats' });
      const cpuSeconds = (used.user + used.system) / 1e6;
      runs.push({
        concurrency, connections: N, seconds, messagesPerSecond: report.attempted / seconds,
        cpuSeconds, cpuMsPerMessage: (cpuSeconds * 1000) / Math.max(1, report.attempted), serversCpuSeconds: stats.cpuSeconds,
        maxInFlight: stats.maxInFlight,
        sent: report.sent, gone: report.gone, removed: report.removed, failed: report.failed, everyLiveOnce: stats.liveOnce,
      });
      process.stderr.write(`  concurrency ${concurrency}: ${seconds.toFixed(2)} s\n`);
    }
  } finally {
    ddb.destroy();
    await servers.stop();
  }
  const bundle = await authorizerBundleSizes();

  const out: string[] = [];
  out.push(`WebSocket broadcast: ${N.toLocaleString('en-US')} connections, ${100 / GONE_EVERY}% gone, 200-byte JSON message, Node ${process.version}, `
    + `${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)} at the end`);
  out.push('(the helper reads dynalite and sends with @aws-sdk/client-apigatewaymanagementapi to the stand-in; both servers run in a second process on 127.0.0.1;');
  out.push(' CPU s is the client process only, CPU ms/msg the same per connection addressed; servers CPU s: dynalite and the stand-in;');
  out.push(' max in flight: the most calls the stand-in held unanswered at once, which it answers no earlier');
  out.push(' than the next turn of its event loop, so that the calls already on the wire are all counted)');
  out.push(table(
    ['concurrency', 'wall s', 'messages/s', 'CPU s', 'CPU ms/msg', 'servers CPU s', 'max in flight', 'sent', 'gone', 'rows removed', 'failed',
      'each live once', `≤ ${GOAL_SECONDS} s`],
    runs.map(r => [String(r.concurrency), r.seconds.toFixed(2), Math.round(r.messagesPerSecond).toLocaleString('en-US'), r.cpuSeconds.toFixed(2),
      r.cpuMsPerMessage.toFixed(3), r.serversCpuSeconds.toFixed(2), String(r.maxInFlight), String(r.sent), String(r.gone), String(r.removed), String(r.failed), r.everyLiveOnce ? 'yes' : 'NO',
      r.seconds <= GOAL_SECONDS ? 'yes' : 'no']),
  ));
  out.push(`A bare scan of the ${N.toLocaleString('en-US')} rows in dynalite takes ${scanSeconds.toFixed(2)} s (read while sending, one page ahead).`);
  out.push(`Cognito authorizer bundle (esbuild, minified, AWS SDK external): ${kb(bundle.withJwtVerify)} with aws-jwt-verify `
    + `(${kb(bundle.withJwtVerify - bundle.withoutJwtVerify)} of it aws-jwt-verify), ${kb(bundle.withoutJwtVerify)} without.`);
  out.push('');
  out.forEach(line => say(line));
  const result: WebSocketBenchResult = {
    connections: N, goneShare: 1 / GONE_EVERY, goalSeconds: GOAL_SECONDS, scanSeconds, runs, authorizerBundleBytes: bundle,
  };
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, 'websocket.json'), JSON.stringify({
    generatedAt: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg()[0], ...result,
  }, null, 2));
  return result;
}

interface Servers {
  readonly dynamoEndpoint: string;
  readonly apiEndpoint: string;
  ask(command: { type: 'reset' | 'stats' }): Promise<any>;
  stop(): Promise<void>;
}

/** Forks bench/websocket-bench-servers.ts and waits for its endpoints. */
function startServers(): Promise<Servers> {
  const child = fork(path.join(__dirname, 'websocket-bench-servers.ts'), [], {
    execArgv: ['-r', 'esbuild-register'],
    env: { ...process.env, WS_BENCH_CONNECTIONS: String(N), WS_BENCH_GONE_EVERY: String(GONE_EVERY) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: string) => new Promise<any>((resolve, reject) => {
    const onMessage = (m: any) => {
      if (m?.type === type) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      }
    };
    const onExit = (code: number) => reject(new Error(`benchmark servers exited with ${code}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  return next('ready').then(ready => ({
    dynamoEndpoint: ready.dynamoEndpoint,
    apiEndpoint: ready.apiEndpoint,
    ask: command => {
      const answer = next(command.type);
      child.send(command);
      return answer;
    },
    stop: () => new Promise<void>(resolve => {
      child.once('exit', () => resolve());
      child.send({ type: 'stop' });
    }),
  }), err => {
    child.kill();
    throw err;
  });
}

/** A V8 CPU profile of the client process from now until stop(file) (node:inspector, in process). */
async function startProfiler(): Promise<{ stop(file: string): Promise<string> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((resolve, reject) => {
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result)));
  });
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    stop: async file => {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}

async function timeScan(ddb: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const started = process.hrtime.bigint();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ProjectionExpression: 'connectionId' }));
    start = page.LastEvaluatedKey;
  } while (start);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Bytes of the library's Cognito authorizer as the library bundles it, with and without aws-jwt-verify inlined. */
async function authorizerBundleSizes(): Promise<{ withJwtVerify: number; withoutJwtVerify: number }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const entry = path.join(__dirname, '..', 'lib', 'runtime', 'websocket', 'cognito-authorizer.ts');
  const size = async (external: string[]) => {
    const result = await esbuild.build({
      entryPoints: [entry], bundle: true, minify: true, platform: 'node', target: 'node20', format: 'cjs', write: false, external,
    });
    return result.outputFiles[0].contents.byteLength;
  };
  return { withJwtVerify: await size(['@aws-sdk/*']), withoutJwtVerify: await size(['@aws-sdk/*', 'aws-jwt-verify', 'aws-jwt-verify/*']) };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ') + ' |';
  return [line(headers), '|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

if (require.main === module) {
  runWebSocketBench().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
