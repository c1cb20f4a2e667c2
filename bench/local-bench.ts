/**
 * Local server benchmark: boot time of a 100-route API (synth excluded), and latency / throughput of
 * a mock route and of a warm Lambda proxy route, measured with autocannon against loopback, each run
 * bounded in time. The server runs in a child process so the load generator does not share its CPU.
 *
 *   npm run bench                                   # after the scale benchmark
 *   npx ts-node --transpile-only bench/local-bench.ts   # alone
 *   BENCH_LOCAL_SECONDS=10 ...                      # seconds per load run (default 5)
 */
import { ChildProcess, fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import autocannon from 'autocannon';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Integration, RouteAuthorization, RouteHandler, ServerlessApi } from '../lib';
import { LocalApi } from '../lib/local';

const CDK_CONTEXT: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;
const SECONDS = Number(process.env.BENCH_LOCAL_SECONDS ?? 5);
const OUT_DIR = path.join(__dirname, 'out');
const GOALS = { mockP50Ms: 2, mockP99Ms: 10, mockRps: 5000, lambdaP50Ms: 5, boot100Ms: 1000 };

/** Synthesizes a Stage 'Bench' with one API; returns the cloud assembly directory. */
function synthesize(build: (api: ServerlessApi) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-bench-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stage = new Stage(app, 'Bench', { env: { account: '123456789012', region: 'eu-west-1' } });
  const api = new ServerlessApi(new Stack(stage, 'Api'), 'Api', {
    apiName: 'bench', stageName: 'bench', stage: { throttlingRateLimit: 1_000_000, throttlingBurstLimit: 1_000_000 },
  });
  build(api);
  app.synth();
  return outdir;
}

const handler = () => RouteHandler.fromCode(lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{\\"ok\\":true}" });'));

function smallApi(): string {
  return synthesize(api => {
    api.addRoute({ method: 'GET', path: '/lambda', handler: handler(), authorization: RouteAuthorization.none() });
    api.addRoute({ method: 'GET', path: '/mock', integration: Integration.mock({ statusCode: 200, body: '{"ok":true}' }), authorization: RouteAuthorization.none() });
  });
}

function hundredRouteApi(): string {
  return synthesize(api => {
    for (let i = 0; i < 100; i++) {
      api.addRoute({ method: 'GET', path: i % 2 === 0 ? `/r${i}` : `/r${i}/{id}`, handler: handler(), authorization: RouteAuthorization.none() });
    }
  });
}

/** Starts the server in a child process (this file with --serve); resolves with its URL. */
function serveInChild(assembly: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--serve', assembly], { execArgv: ['-r', 'ts-node/register/transpile-only'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.once('message', (m: any) => resolve({ child, url: m.url }));
    child.once('exit', code => reject(new Error(`bench server exited with ${code}`)));
  });
}

/** The server process's CPU time so far (user + system, all its threads), in ms. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise(resolve => {
    child.once('message', (m: any) => resolve((m.cpu.user + m.cpu.system) / 1000));
    child.send('cpu');
  });
}

async function load(url: string, connections: number, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration: seconds, pipelining: 1 });
}

/**
 * The local server enforces API Gateway's account-level throttle (10,000 requests/s, burst 5,000) as AWS
 * does, so a load past it measures 429s. The server under load has it raised, as AWS raises the account
 * quota on request: every request is then a real answer of the route, and throughput counts 2xx only.
 */
const UNTHROTTLED = { rateLimit: 1_000_000, burstLimit: 1_000_000 };

/** Requests per second that got a 2xx answer. */
function okRps(result: autocannon.Result): number {
  return (result.requests.total - result.non2xx - result.errors) / (result.duration || SECONDS);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function runLocalBench(): Promise<void> {
  const small = smallApi();
  const hundred = hundredRouteApi();
  const results: Record<string, number> = {};
  try {
    // Boot: read the assembly, start DynamoDB, listen (synth excluded). Median of 3, in this process.
    const boots: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = process.hrtime.bigint();
      const api = await LocalApi.start({ assembly: hundred, stage: 'Bench' });
      boots.push(Number(process.hrtime.bigint() - started) / 1e6);
      await api.stop();
    }
    results.boot100Ms = median(boots);

    const { child, url } = await serveInChild(small);
    try {
      await load(`${url}/bench/mock`, 10, 1); // warm-up
      let cpu = await cpuOf(child);
      const mock = await load(`${url}/bench/mock`, 10, SECONDS);
      results.mockCpuMsPerRequest = (await cpuOf(child) - cpu) / mock.requests.total;
      results.mockP50Ms = mock.latency.p50;
      results.mockP99Ms = mock.latency.p99;
      results.mockRps = okRps(mock);
      results.mockErrors = mock.errors + mock.non2xx;
      await load(`${url}/bench/lambda`, 4, 1); // warm the instances
      cpu = await cpuOf(child);
      const warm = await load(`${url}/bench/lambda`, 4, SECONDS);
      results.lambdaCpuMsPerRequest = (await cpuOf(child) - cpu) / warm.requests.total;
      results.lambdaP50Ms = warm.latency.p50;
      results.lambdaP99Ms = warm.latency.p99;
      results.lambdaRps = okRps(warm);
      results.lambdaErrors = warm.errors + warm.non2xx;
    } finally {
      child.kill();
    }
  } finally {
    fs.rmSync(small, { recursive: true, force: true });
    fs.rmSync(hundred, { recursive: true, force: true });
  }

  const row = (name: string, value: number, unit: string, goal?: string, met?: boolean) =>
    `  ${name.padEnd(34)} ${value.toFixed(unit === 'rps' ? 0 : 2).padStart(10)} ${unit.padEnd(4)} ${goal ? `goal ${goal}: ${met ? 'met' : 'NOT met'}` : ''}`;
  console.log([
    '',
    `Local server benchmark: Node ${process.version}, ${os.cpus().length} CPUs, autocannon ${SECONDS} s per run on loopback`,
    row('boot, 100-route API (median of 3)', results.boot100Ms, 'ms', `<= ${GOALS.boot100Ms} ms`, results.boot100Ms <= GOALS.boot100Ms),
    row('mock route p50', results.mockP50Ms, 'ms', `<= ${GOALS.mockP50Ms} ms`, results.mockP50Ms <= GOALS.mockP50Ms),
    row('mock route p99', results.mockP99Ms, 'ms', `<= ${GOALS.mockP99Ms} ms`, results.mockP99Ms <= GOALS.mockP99Ms),
    row('mock route 2xx/s (10 conns)', results.mockRps, 'rps', `>= ${GOALS.mockRps}`, results.mockRps >= GOALS.mockRps && results.mockErrors === 0),
    row('warm Lambda proxy p50', results.lambdaP50Ms, 'ms', `<= ${GOALS.lambdaP50Ms} ms`, results.lambdaP50Ms <= GOALS.lambdaP50Ms),
    row('warm Lambda proxy p99', results.lambdaP99Ms, 'ms'),
    row('warm Lambda proxy 2xx/s (4 conns)', results.lambdaRps, 'rps'),
    row('server CPU per mock request', results.mockCpuMsPerRequest, 'ms'),
    row('server CPU per warm Lambda request', results.lambdaCpuMsPerRequest, 'ms'),
    `  errors or non-2xx: mock ${results.mockErrors}, lambda ${results.lambdaErrors}; load average at the end: ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`,
    '  (the server runs with the account-level throttle raised (accountThrottle), as AWS raises it on request;',
    '   latency and throughput need an otherwise idle machine; CPU per request is what the server itself costs)',
  ].join('\n'));
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, 'local.json'), JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, cpus: os.cpus().length, seconds: SECONDS, goals: GOALS, results }, null, 2));
}

if (require.main === module) {
  const serve = process.argv.indexOf('--serve');
  if (serve >= 0) {
    void LocalApi.start({ assembly: process.argv[serve + 1], stage: 'Bench', concurrency: 4, accountThrottle: UNTHROTTLED }).then(api => {
      process.send?.({ url: api.url });
      process.on('message', m => { if (m === 'cpu') { process.send?.({ cpu: process.cpuUsage() }); } });
      process.on('SIGTERM', () => { void api.stop().then(() => process.exit(0)); });
    });
  } else {
    runLocalBench().catch(err => { console.error(err); process.exit(1); });
  }
}
