/**
 * Scale benchmark: the same API of 10, 100 and 1,000 routes (each route its own function), built
 * with this library's ServerlessApi and with plain aws-cdk-lib RestApi + LambdaIntegration, then
 * synthesized, each build in a fresh App. Prints a table and writes bench/out/results.json.
 *
 *   npm run bench                 # all sizes
 *   BENCH_SIZES=10,100 npm run bench
 *
 * Plain aws-cdk-lib failing synth (CloudFormation's 500-resource limit, checked by CDK at synth) is a
 * result, not an error: the failure is recorded, and the same build is synthesized again with CDK's
 * check lifted (`@aws-cdk/core:stackResourceLimit: 0`) to measure what it would have produced.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DataAccess, RouteHandler, ServerlessApi, ServerlessTable } from '../lib';
import { runWebSocketBench } from './websocket-bench';

const CDK_CONTEXT: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;
const ENV = { account: '123456789012', region: 'eu-west-1' };
const MAX_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1_000_000;
const INLINE_CODE = 'exports.handler = async () => ({ statusCode: 200, body: "{}" });';
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(s => parseInt(s.trim(), 10)).filter(n => n > 0);
const OUT_DIR = path.join(__dirname, 'out');
/** Context that lifts CDK's synth-time resource checks (its own limit and the default-rules validation). */
const LIFTED = { '@aws-cdk/core:stackResourceLimit': 0, '@aws-cdk/core:validateAgainstDefaultRules': false };

/** Route i (0-based): GET /r1, POST /r1/{id}, PUT /r2, DELETE /r2/{id}, PATCH /r3, GET /r3/{id}, ... */
function route(i: number): { method: string; path: string } {
  const k = Math.floor(i / 2) + 1;
  return { method: METHODS[i % METHODS.length], path: i % 2 === 0 ? `/r${k}` : `/r${k}/{id}` };
}

type Side = 'library' | 'plain';
type Scenario = 'own-function' | 'shared-function' | 'shared-role';

interface TemplateInfo { readonly file: string; readonly resources: number; readonly bytes: number }

interface Measurement {
  readonly side: Side;
  readonly scenario: Scenario;
  readonly routes: number;
  /** Every template of the assembly, nested stacks included (empty when synth failed). */
  readonly templates: TemplateInfo[];
  readonly templateCount: number;
  readonly totalResources: number;
  readonly maxResources: number;
  readonly maxTemplateBytes: number;
  readonly roles: number;
  readonly lambdaPermissions: number;
  readonly constructSeconds: number;
  /** Wall clock of app.synth() with CDK's default checks (until the throw when it fails). */
  readonly synthSeconds: number;
  /** The first line of CDK's synth error with default settings, if it failed. */
  readonly synthError?: string;
  /** When synth failed, the figures above come from a re-synth with CDK's resource check lifted. */
  readonly measuredWithLimitLifted: boolean;
  /** Wall clock of the limit-lifted re-synth, when there was one. */
  readonly liftedSynthSeconds?: number;
  readonly deployable: boolean;
  readonly notDeployableReason?: string;
}

const STAGE_ID = 'Bench';

/** The cloud assembly directory of the bench Stage inside an App's outdir. */
function assemblyDir(outdir: string): string {
  return path.join(outdir, `assembly-${STAGE_ID}`);
}

function newApp(outdir: string, extraContext: Record<string, unknown> = {}): App {
  return new App({ outdir, context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...extraContext } });
}

/** Builds the API into a fresh App and returns the App and its stack. */
function build(side: Side, scenario: Scenario, n: number, outdir: string, extraContext: Record<string, unknown> = {}): App {
  const app = newApp(outdir, extraContext);
  // One deployable unit, as users deploy it: a cdk.Stage holding the API's stack (and its nested stacks).
  const stage = new Stage(app, STAGE_ID, { env: ENV });
  const stack = new Stack(stage, side === 'library' ? 'LibraryApi' : 'PlainApi', { env: ENV });
  if (side === 'library') {
    const api = new ServerlessApi(stack, 'Api', { stageName: 'dev' });
    const shared = RouteHandler.fromCode(lambda.Code.fromInline(INLINE_CODE));
    const table = scenario === 'shared-role' ? new ServerlessTable(stack, 'Table').table : undefined;
    for (let i = 0; i < n; i++) {
      const r = route(i);
      if (scenario === 'shared-function') {
        api.addRoute({ ...r, handler: shared });
      } else if (scenario === 'shared-role') {
        api.addRoute({ ...r, handler: RouteHandler.fromCode(lambda.Code.fromInline(INLINE_CODE)), dataAccess: [DataAccess.readData(table!)] });
      } else {
        api.addRoute({ ...r, handler: RouteHandler.fromCode(lambda.Code.fromInline(INLINE_CODE)) });
      }
    }
  } else {
    // Plain aws-cdk-lib, its defaults: one Function (and Role) per route, LambdaIntegration per method.
    const api = new apigateway.RestApi(stack, 'Api', { deployOptions: { stageName: 'dev' } });
    const sharedFn = scenario === 'shared-function'
      ? new lambda.Function(stack, 'Shared', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline(INLINE_CODE) })
      : undefined;
    for (let i = 0; i < n; i++) {
      const r = route(i);
      const fn = sharedFn ?? new lambda.Function(stack, `Fn${i}`, {
        runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline(INLINE_CODE),
      });
      api.root.resourceForPath(r.path).addMethod(r.method, new apigateway.LambdaIntegration(fn));
    }
  }
  return app;
}

function listTemplates(dir: string): TemplateInfo[] {
  return fs.readdirSync(dir)
    .filter(f => f.endsWith('.template.json'))
    .sort()
    .map(file => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      return { file, resources: Object.keys(JSON.parse(text).Resources ?? {}).length, bytes: Buffer.byteLength(text) };
    });
}

function countType(dir: string, type: string): number {
  let count = 0;
  for (const t of fs.readdirSync(dir).filter(f => f.endsWith('.template.json'))) {
    const resources = JSON.parse(fs.readFileSync(path.join(dir, t), 'utf8')).Resources ?? {};
    count += Object.values(resources).filter((r: any) => r.Type === type).length;
  }
  return count;
}

/**
 * The first line of a synth error. CDK's default-rules validation (`@aws-cdk/core:validateAgainstDefaultRules`)
 * only says "Validation failed" and writes the rules it broke to validation-report.json: add those.
 */
function synthErrorText(e: unknown, outdir: string): string {
  const first = String((e as Error)?.message ?? e).split('\n')[0];
  const report = path.join(outdir, 'validation-report.json');
  if (!first.startsWith('Validation failed') || !fs.existsSync(report)) { return first; }
  const violations = (JSON.parse(fs.readFileSync(report, 'utf8')).pluginReports ?? [])
    .flatMap((r: any) => r.violations ?? [])
    .filter((v: any) => v.severity === 'error' || v.severity === 'fatal' || v.severity === undefined)
    .map((v: any) => `${v.ruleName}: ${String(v.description).split('\n')[0]}`);
  return violations.length ? `Validation failed: ${[...new Set(violations)].join(' / ')}` : 'Validation failed';
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function gc(): void {
  (global as any).gc?.();
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function measure(side: Side, scenario: Scenario, n: number): Measurement {
  gc();
  let constructSeconds = 0;
  let synthSeconds = 0;
  let synthError: string | undefined;
  let templates: TemplateInfo[] = [];
  let roles = 0;
  let lambdaPermissions = 0;
  withTempDir(dir => {
    let t = process.hrtime.bigint();
    const app = build(side, scenario, n, dir);
    constructSeconds = seconds(t);
    t = process.hrtime.bigint();
    try {
      app.synth();
      synthSeconds = seconds(t);
      templates = listTemplates(assemblyDir(dir));
      roles = countType(assemblyDir(dir), 'AWS::IAM::Role');
      lambdaPermissions = countType(assemblyDir(dir), 'AWS::Lambda::Permission');
    } catch (e) {
      synthSeconds = seconds(t);
      synthError = synthErrorText(e, dir);
    }
  });
  let liftedSynthSeconds: number | undefined;
  if (synthError) {
    gc();
    withTempDir(dir => {
      const app = build(side, scenario, n, dir, LIFTED);
      const t = process.hrtime.bigint();
      try {
        app.synth();
        liftedSynthSeconds = seconds(t);
        templates = listTemplates(assemblyDir(dir));
        roles = countType(assemblyDir(dir), 'AWS::IAM::Role');
        lambdaPermissions = countType(assemblyDir(dir), 'AWS::Lambda::Permission');
      } catch (e) {
        // Fall back to counting the construct tree.
        const root = build(side, scenario, n, dir, LIFTED);
        const cfn = root.node.findAll().filter(c => CfnResource.isCfnResource(c)) as CfnResource[];
        templates = [{ file: `(construct tree; re-synth failed: ${String((e as Error).message).split('\n')[0]})`, resources: cfn.length, bytes: NaN }];
      }
    });
  }
  const totalResources = templates.reduce((s, t) => s + t.resources, 0);
  const maxResources = Math.max(0, ...templates.map(t => t.resources));
  const maxTemplateBytes = Math.max(0, ...templates.map(t => t.bytes));
  const reasons: string[] = [];
  if (synthError) { reasons.push(`fails synth: ${synthError}`); }
  for (const t of templates) {
    if (t.resources > MAX_RESOURCES) { reasons.push(`${t.file}: ${t.resources} resources > ${MAX_RESOURCES}`); }
    if (t.bytes > MAX_TEMPLATE_BYTES) { reasons.push(`${t.file}: ${t.bytes} bytes > ${MAX_TEMPLATE_BYTES}`); }
  }
  return {
    side, scenario, routes: n, templates, templateCount: templates.length, totalResources, maxResources, maxTemplateBytes,
    roles, lambdaPermissions, constructSeconds, synthSeconds, synthError, measuredWithLimitLifted: synthError !== undefined,
    liftedSynthSeconds, deployable: reasons.length === 0, notDeployableReason: reasons.length ? reasons.join('; ') : undefined,
  };
}

function marginal(a: Measurement | undefined, b: Measurement | undefined): number | undefined {
  if (!a || !b || b.routes === a.routes) { return undefined; }
  return (b.totalResources - a.totalResources) / (b.routes - a.routes);
}

function fmt(n: number | undefined, digits = 0): string {
  if (n === undefined || Number.isNaN(n)) { return 'n/a'; }
  return digits === 0 ? n.toLocaleString('en-US') : n.toFixed(digits);
}

/** A reason short enough for a table cell: CDK's resource-type breakdown is left to results.json. */
function brief(reason: string | undefined): string {
  return (reason ?? '').replace(/: AWS::[^;]*/g, '');
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ') + ' |';
  return [line(headers), '|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

function main(): void {
  const started = process.hrtime.bigint();
  const results: Measurement[] = [];
  const run = (side: Side, scenario: Scenario, n: number) => {
    const m = measure(side, scenario, n);
    results.push(m);
    process.stderr.write(`  ${side.padEnd(7)} ${scenario.padEnd(15)} ${String(n).padStart(5)} routes: ${m.totalResources} resources, `
      + `synth ${m.synthSeconds.toFixed(2)} s${m.synthError ? ' (fails synth)' : ''}\n`);
    return m;
  };
  process.stderr.write('Synthesizing (each build in a fresh App)...\n');
  // Warm-up: load modules and JIT so the first measured size is not charged for them.
  withTempDir(dir => { build('library', 'own-function', 2, dir).synth(); });
  withTempDir(dir => { build('plain', 'own-function', 2, dir).synth(); });

  for (const n of SIZES) {
    run('library', 'own-function', n);
    run('plain', 'own-function', n);
  }
  const small = [SIZES[0], SIZES[0] + 1];
  for (const n of [...new Set([...small, ...SIZES])].sort((a, b) => a - b)) {
    if (!SIZES.includes(n)) { run('library', 'own-function', n); }
    run('library', 'shared-function', n);
    run('library', 'shared-role', n);
  }

  const find = (side: Side, scenario: Scenario, n: number) => results.find(r => r.side === side && r.scenario === scenario && r.routes === n);
  const sizes = [...SIZES].sort((a, b) => a - b);

  // Main table.
  const mainRows: string[][] = [];
  for (const n of sizes) {
    for (const side of ['library', 'plain'] as Side[]) {
      const m = find(side, 'own-function', n)!;
      const prev = sizes[sizes.indexOf(n) - 1];
      const mg = prev !== undefined ? marginal(find(side, 'own-function', prev), m) : undefined;
      mainRows.push([
        String(n), side,
        fmt(m.templateCount) + (m.measuredWithLimitLifted ? '*' : ''),
        fmt(m.maxResources),
        fmt(m.maxTemplateBytes),
        fmt(m.totalResources),
        fmt(m.roles),
        fmt(m.lambdaPermissions),
        prev !== undefined ? `${fmt(mg, 2)} (${prev}→${n})` : '-',
        m.synthSeconds.toFixed(2) + (m.synthError ? ' (to failure)' : ''),
        m.liftedSynthSeconds !== undefined ? m.liftedSynthSeconds.toFixed(2) : '-',
        m.deployable ? 'yes' : `NO: ${brief(m.notDeployableReason)}`,
      ]);
    }
  }
  const out: string[] = [];
  out.push('');
  out.push(`Scale benchmark: aws-cdk-lib ${require('aws-cdk-lib/package.json').version}, Node ${process.version}, ${os.cpus().length} CPUs`);
  out.push('Same API, each route its own function (inline code). Paths /r{k} and /r{k}/{id}, methods GET/POST/PUT/DELETE/PATCH.');
  out.push('');
  out.push(table(
    ['routes', 'side', 'templates', 'max res/template', 'max template bytes', 'total resources', 'IAM roles', 'Lambda perms',
      'marginal res/route', 'synth s', 'synth s (limit lifted)', 'deployable'],
    mainRows,
  ));
  out.push('* plain aws-cdk-lib failed synth with CDK\'s default 500-resource check; its figures come from a re-synth with');
  out.push('  `@aws-cdk/core:stackResourceLimit: 0` (what it would generate; CloudFormation would still reject it).');
  out.push('');

  // Ratios.
  const ratioRows: string[][] = [];
  for (const n of sizes) {
    const lib = find('library', 'own-function', n)!;
    const plain = find('plain', 'own-function', n)!;
    const plainSynth = plain.liftedSynthSeconds ?? plain.synthSeconds;
    ratioRows.push([
      String(n),
      `${(lib.totalResources / plain.totalResources).toFixed(2)} (${lib.totalResources}/${plain.totalResources})`,
      `${(lib.maxTemplateBytes / plain.maxTemplateBytes).toFixed(2)} (${fmt(lib.maxTemplateBytes)}/${fmt(plain.maxTemplateBytes)})`,
      `${(lib.synthSeconds / plainSynth).toFixed(2)} (${lib.synthSeconds.toFixed(2)}/${plainSynth.toFixed(2)})`,
      `${lib.deployable ? 'deployable' : 'NOT deployable'} / ${plain.deployable ? 'deployable' : 'NOT deployable'}`,
    ]);
  }
  out.push('Library vs plain (library / plain; plain synth time is the full synth, limit lifted where it fails):');
  out.push(table(['routes', 'total resources', 'max template bytes', 'synth time', 'library / plain'], ratioRows));
  out.push('');

  // Sharing.
  const shareRows: string[][] = [];
  for (const scenario of ['own-function', 'shared-function', 'shared-role'] as Scenario[]) {
    const ms = results.filter(r => r.side === 'library' && r.scenario === scenario).sort((a, b) => a.routes - b.routes);
    for (let i = 1; i < ms.length; i++) {
      const a = ms[i - 1];
      const b = ms[i];
      shareRows.push([
        scenario, `${a.routes}→${b.routes}`, fmt(marginal(a, b), 2), `${fmt(a.totalResources)}→${fmt(b.totalResources)}`,
        `${fmt(a.roles)}→${fmt(b.roles)}`, `${fmt(a.templateCount)}→${fmt(b.templateCount)}`,
        `${fmt(a.maxTemplateBytes)}→${fmt(b.maxTemplateBytes)}`, b.deployable ? 'yes' : `NO: ${brief(b.notDeployableReason)}`,
      ]);
    }
  }
  out.push('Library, marginal resources per added route:');
  out.push('  own-function: each route its own function, default (shared) role;');
  out.push('  shared-function: every route on one RouteHandler;');
  out.push('  shared-role: each route its own function, all with DataAccess.readData(table) (one role for all).');
  out.push(table(['scenario', 'routes', 'marginal res/route', 'total resources', 'IAM roles', 'templates', 'max template bytes', 'deployable'], shareRows));
  out.push('');

  // Per-template detail at the largest size.
  const largest = sizes[sizes.length - 1];
  const lib = find('library', 'own-function', largest)!;
  out.push(`Library templates at ${largest} routes (own functions):`);
  out.push(table(['template', 'resources', 'bytes'], lib.templates.map(t => [t.file, fmt(t.resources), fmt(t.bytes)])));
  out.push('');
  const total = seconds(started);
  out.push(`Total bench time: ${total.toFixed(1)} s`);
  console.log(out.join('\n'));

  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, 'results.json'), JSON.stringify({
    generatedAt: new Date().toISOString(),
    awsCdkLib: require('aws-cdk-lib/package.json').version,
    node: process.version,
    cpus: os.cpus().length,
    limits: { resourcesPerTemplate: MAX_RESOURCES, templateBytes: MAX_TEMPLATE_BYTES },
    totalSeconds: total,
    results,
    ratios: sizes.map(n => {
      const l = find('library', 'own-function', n)!;
      const p = find('plain', 'own-function', n)!;
      return {
        routes: n,
        resources: l.totalResources / p.totalResources,
        maxTemplateBytes: l.maxTemplateBytes / p.maxTemplateBytes,
        synthTime: l.synthSeconds / (p.liftedSynthSeconds ?? p.synthSeconds),
      };
    }),
    marginalPerRoute: Object.fromEntries((['library', 'plain'] as Side[]).map(side => [side, sizes.slice(1).map((n, i) => ({
      from: sizes[i], to: n, resources: marginal(find(side, 'own-function', sizes[i]), find(side, 'own-function', n)),
    }))])),
  }, null, 2));
  console.log(`Wrote ${path.relative(process.cwd(), path.join(OUT_DIR, 'results.json'))}`);
}

main();
// The WebSocket broadcast benchmark (bench/websocket-bench.ts); WS_BENCH_CONNECTIONS=0 skips it.
runWebSocketBench().catch(err => {
  console.error(err);
  process.exitCode = 1;
});
