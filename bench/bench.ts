/**
 * The benchmark, in one run, printed as figures, ratios and goals:
 *
 * 1. synth   the example app as the README runs it (`npm run synth`: 3 stages, cdk-nag audit, CDK's
 *            CloudFormation validation, handlers bundled), cold (fresh output folder), median of 3;
 *            next to it, the same app under the type-checking app command used before (`npx ts-node`).
 * 2. tests   a cold `npm test` as CI runs it (`CI=true npm test -- --ci`, fresh jest cache and temp folder).
 * 3. scale   the same API of 10, 100 and 1,000 routes (each route its own function) built with this
 *            library and with plain aws-cdk-lib (RestApi + LambdaIntegration), each in a fresh App
 *            holding one cdk.Stage, synthesized in this process; sharing scenarios.
 * 4. growth  construct + synth time of the library at 1,000, 2,000 and 3,000 routes (best of 2).
 * 5. ceiling the most routes one ServerlessApi holds with every template within CloudFormation's limits,
 *            found by bisection (default and compact template rendering).
 * 6. split   3,000 routes in one stage as several ServerlessApis behind one ApiDomain.
 * 7. local   the local server (bench/local-bench.ts): boot of a 100-route API, mock and warm Lambda proxy
 *            routes under autocannon on loopback.
 * 8. websocket a WebSocket broadcast to 10,000 connections (10% gone) through the send helper
 *            (bench/websocket-bench.ts), and the size of the Cognito authorizer bundle.
 * 9. sizes   the byte figures README quotes (bench/sizes-bench.ts): the typed client's minified runtime,
 *            the gateway responses' share of an API's OpenAPI body. Cheap: BENCH_SECTIONS=sizes.
 *
 * "deployable" means: synth passes, every template is within CloudFormation's limits (500 resources,
 * 1,000,000 bytes, 200 outputs, 200 parameters) AND every RestApi is within API Gateway's default quota
 * of 300 resources (path nodes); otherwise the bench names the quota increase it needs.
 *
 *   npm run bench
 *   BENCH_SECTIONS=scale,growth npm run bench     # some sections
 *   BENCH_SIZES=10,100 BENCH_SYNTH_RUNS=1 npm run bench
 *
 * Bounded in time: every child process has a timeout, and sections are skipped (and say so) once
 * BENCH_BUDGET_SECONDS (default 1200) has passed. Writes bench/out/results.json.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { version as AWS_CDK_LIB_VERSION } from 'aws-cdk-lib/package.json';
import { runLocalBench } from './local-bench';
import { median, ProcessRun, runMeasured } from './processes';
import { build, buildSplit, fitsTemplates, gc, LIMITS, measure, Measurement, Scenario, Side } from './scale';
import { runSizesBench } from './sizes-bench';
import { runWebSocketBench } from './websocket-bench';

const ROOT = path.join(__dirname, '..');
const OUT_DIR = path.join(__dirname, 'out');
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? 'synth,tests,scale,growth,ceiling,split,websocket,local,sizes').split(',').map(s => s.trim()));
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(s => parseInt(s.trim(), 10)).filter(n => n > 0).sort((a, b) => a - b);
const GROWTH_SIZES = (process.env.BENCH_GROWTH_SIZES ?? '1000,2000,3000').split(',').map(s => parseInt(s.trim(), 10));
const SYNTH_RUNS = Math.max(1, parseInt(process.env.BENCH_SYNTH_RUNS ?? '3', 10));
const BUDGET_SECONDS = parseInt(process.env.BENCH_BUDGET_SECONDS ?? '1200', 10);
const GOALS = { synthSeconds: 8, synthMiB: 700, testSeconds: 45, testMiB: 1536, growthRatio: 2.1, ceilingRoutes: 3000 };
const SPLIT_ROUTES = parseInt(process.env.BENCH_SPLIT_ROUTES ?? '3000', 10);
/** Routes per API in the split layout: 274 path nodes each (root + one per route), under the 300 quota. */
const SPLIT_ROUTES_PER_API = 273;

const started = process.hrtime.bigint();
const out: string[] = [];
const results: Record<string, unknown> = {};

function elapsed(): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function say(line = ''): void {
  out.push(line);
  console.log(line);
}

function progress(line: string): void {
  process.stderr.write(`  [${elapsed().toFixed(0)} s] ${line}\n`);
}

function withinBudget(section: string): boolean {
  if (!SECTIONS.has(section)) { return false; }
  if (elapsed() < BUDGET_SECONDS) { return true; }
  say(`(${section}: skipped, the bench's time budget of ${BUDGET_SECONDS} s is spent)`);
  say();
  return false;
}

function fmt(n: number | undefined, digits = 0): string {
  if (n === undefined || Number.isNaN(n)) { return 'n/a'; }
  return digits === 0 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);
}

function met(ok: boolean): string {
  return ok ? 'MET' : 'NOT MET';
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ') + ' |';
  return [line(headers), '|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
}

function runSummary(r: ProcessRun): Record<string, unknown> {
  return { command: r.command, exitCode: r.exitCode, wallSeconds: r.wallSeconds, peakProcessMiB: r.peakProcessMiB, peakTreeMiB: r.peakTreeMiB, timedOut: r.timedOut };
}

/** 1. The example app's synth, cold, as the README runs it, next to the type-checking app command of before. */
async function synthSection(): Promise<void> {
  const synthOnce = async (appCommand?: string): Promise<ProcessRun> => {
    const outdir = tempDir();
    try {
      const app = appCommand ? ` --app '${appCommand}'` : '';
      return await runMeasured(appCommand
        ? `npx cdk synth '**' --quiet --output ${outdir}${app}`
        : `npm run --silent synth -- --output ${outdir}`, { cwd: ROOT, timeoutSeconds: 300 });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  };
  const runs: ProcessRun[] = [];
  for (let i = 0; i < SYNTH_RUNS; i++) {
    const r = await synthOnce();
    progress(`npm run synth ${i + 1}/${SYNTH_RUNS}: ${r.wallSeconds.toFixed(1)} s, ${fmt(r.peakProcessMiB)} MiB${r.exitCode ? ` (exit ${r.exitCode})` : ''}`);
    runs.push(r);
    if (r.exitCode !== 0) { break; }
  }
  const failed = runs.find(r => r.exitCode !== 0);
  const before = failed || process.env.BENCH_BASELINE === '0' ? undefined : await synthOnce('npx ts-node --prefer-ts-exts bin/app.ts');
  if (before) { progress(`synth with the type-checking app command: ${before.wallSeconds.toFixed(1)} s`); }

  const wall = median(runs.map(r => r.wallSeconds));
  const peak = Math.max(...runs.map(r => r.peakProcessMiB ?? NaN));
  const tree = Math.max(...runs.map(r => r.peakTreeMiB ?? NaN));
  say('1. Example app synth: `npm run synth` (3 stages, cdk-nag audit, CloudFormation validation, entries bundled in-process), cold output folder');
  if (failed) {
    say(`   FAILED (exit ${failed.exitCode}${failed.timedOut ? ', timed out' : ''}): ${(failed.stderr || failed.stdout).trim().split('\n').slice(-5).join(' / ')}`);
  }
  const rows = [[`now (median of ${runs.length})`, fmt(wall, 1), fmt(peak), fmt(tree), `${met(wall <= GOALS.synthSeconds)} (≤ ${GOALS.synthSeconds} s), ${met(peak <= GOALS.synthMiB)} (≤ ${GOALS.synthMiB} MiB)`]];
  if (before) {
    rows.push(['type-checking app command (npx ts-node), for comparison', fmt(before.wallSeconds, 1), fmt(before.peakProcessMiB), fmt(before.peakTreeMiB), '-']);
    rows.push(['ratio now / type-checking', fmt(wall / before.wallSeconds, 2), fmt(peak / (before.peakProcessMiB ?? NaN), 2), fmt(tree / (before.peakTreeMiB ?? NaN), 2), '-']);
  }
  say(table(['run', 'wall s', 'peak MiB (largest process)', 'peak MiB (process tree)', 'goal'], rows));
  say();
  results.synth = { runs: runs.map(runSummary), medianWallSeconds: wall, peakProcessMiB: peak, peakTreeMiB: tree, before: before && runSummary(before) };
}

/** 2. A cold `npm test` as CI runs it. */
async function testsSection(): Promise<void> {
  const dir = tempDir();
  try {
    const json = path.join(dir, 'jest.json');
    // Cold as on CI's fresh machine: an empty jest cache and an empty temp folder, where tsx keeps the
    // TypeScript it transpiles (filled during the run, as on CI, so a replaced worker reuses it).
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    const r = await runMeasured(`npm test --silent -- --ci --cacheDirectory ${path.join(dir, 'cache')} --json --outputFile ${json}`,
      { cwd: ROOT, env: { CI: 'true', TMPDIR: tmp }, timeoutSeconds: 600 });
    const report = fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, 'utf8')) : undefined;
    const counts = report ? `${report.numPassedTests} passed, ${report.numFailedTests} failed` : 'no report';
    progress(`npm test: ${r.wallSeconds.toFixed(1)} s, ${counts}`);
    say('2. Cold `npm test` as CI runs it (`CI=true npm test -- --ci`, fresh jest cache and temp folder (tsx\'s transpile cache); the typecheck is its own CI step)');
    say(table(['wall s', 'peak MiB (largest process)', 'peak MiB (process tree)', 'tests', 'goal'], [[
      fmt(r.wallSeconds, 1), fmt(r.peakProcessMiB), fmt(r.peakTreeMiB), counts,
      `${met(r.wallSeconds <= GOALS.testSeconds)} (≤ ${GOALS.testSeconds} s), ${met((r.peakTreeMiB ?? Infinity) <= GOALS.testMiB)} (≤ ${GOALS.testMiB} MiB, process tree)`,
    ]]));
    say();
    results.tests = { ...runSummary(r), passed: report?.numPassedTests, failed: report?.numFailedTests };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function runScale(label: string, side: Side, scenario: Scenario, n: number): Measurement {
  const m = measure(label, side, scenario, n, dir => build(side, scenario, n, dir));
  progress(`${side.padEnd(7)} ${scenario.padEnd(15)} ${String(n).padStart(5)} routes: ${m.totalResources} resources, `
    + `construct ${m.constructSeconds.toFixed(2)} s, synth ${m.synthSeconds.toFixed(2)} s${m.synthError ? ' (fails synth)' : ''}`);
  return m;
}

function marginal(a: Measurement | undefined, b: Measurement | undefined): number | undefined {
  if (!a || !b || b.routes === a.routes) { return undefined; }
  return (b.totalResources - a.totalResources) / (b.routes - a.routes);
}

/** 3. Library vs plain aws-cdk-lib at 10, 100, 1,000 routes, and the sharing scenarios. */
function scaleSection(): void {
  const all: Measurement[] = [];
  for (const n of SIZES) {
    all.push(runScale('scale', 'library', 'own-function', n));
    all.push(runScale('scale', 'plain', 'own-function', n));
  }
  const small = [SIZES[0], SIZES[0] + 1];
  for (const n of [...new Set([...small, ...SIZES])].sort((a, b) => a - b)) {
    if (!SIZES.includes(n)) { all.push(runScale('scale', 'library', 'own-function', n)); }
    all.push(runScale('scale', 'library', 'shared-function', n));
    all.push(runScale('scale', 'library', 'shared-role', n));
    all.push(runScale('scale', 'library', 'gradual', n));
  }
  const find = (side: Side, scenario: Scenario, n: number) => all.find(r => r.side === side && r.scenario === scenario && r.routes === n);

  say(`3. Scale: the same API, each route its own function (inline code); paths /r{k} and /r{k}/{id}, methods GET/POST/PUT/DELETE/PATCH`);
  const rows: string[][] = [];
  for (const n of SIZES) {
    for (const side of ['library', 'plain'] as Side[]) {
      const m = find(side, 'own-function', n)!;
      const prev = SIZES[SIZES.indexOf(n) - 1];
      rows.push([
        fmt(n), side, fmt(m.templateCount) + (m.measuredWithLimitLifted ? '*' : ''), fmt(m.maxResources), fmt(m.maxTemplateBytes),
        fmt(m.totalResources), fmt(m.roles), fmt(m.lambdaPermissions), m.pathNodes.map(p => fmt(p)).join(', ') || '-',
        prev !== undefined ? `${fmt(marginal(find(side, 'own-function', prev), m), 2)} (${prev}→${n})` : '-',
        fmt(m.constructSeconds + m.synthSeconds, 2) + (m.synthError ? ' (to failure)' : ''),
        m.liftedSynthSeconds !== undefined ? fmt(m.liftedSynthSeconds, 2) : '-', m.verdict,
      ]);
    }
  }
  say(table(['routes', 'side', 'templates', 'max res/template', 'max template bytes', 'total resources', 'IAM roles', 'Lambda perms',
    'path nodes', 'marginal res/route', 'construct+synth s', 'synth s (limit lifted)', 'deployable'], rows));
  say('* plain aws-cdk-lib failed synth at CDK\'s 500-resource check; its figures come from a re-synth with');
  say('  `@aws-cdk/core:stackResourceLimit: 0` (what it would generate; CloudFormation would still reject it).');
  say();
  const ratioRows = SIZES.map(n => {
    const lib = find('library', 'own-function', n)!;
    const plain = find('plain', 'own-function', n)!;
    const plainTime = plain.constructSeconds + (plain.liftedSynthSeconds ?? plain.synthSeconds);
    const libTime = lib.constructSeconds + lib.synthSeconds;
    return [fmt(n), `${fmt(lib.totalResources / plain.totalResources, 2)} (${fmt(lib.totalResources)}/${fmt(plain.totalResources)})`,
      `${fmt(lib.maxTemplateBytes / plain.maxTemplateBytes, 2)} (${fmt(lib.maxTemplateBytes)}/${fmt(plain.maxTemplateBytes)})`,
      `${fmt(libTime / plainTime, 2)} (${fmt(libTime, 2)}/${fmt(plainTime, 2)})`,
      `${lib.deployable ? 'deployable' : lib.templatesOk ? 'templates OK, quota' : 'NOT deployable'} / ${plain.deployable ? 'deployable' : plain.templatesOk ? 'templates OK, quota' : 'NOT deployable'}`];
  });
  say('Library / plain (plain time is construct + the full synth, limit lifted where it fails):');
  say(table(['routes', 'total resources', 'max template bytes', 'construct+synth time', 'library / plain'], ratioRows));
  say();
  const shareRows: string[][] = [];
  for (const scenario of ['own-function', 'shared-function', 'shared-role', 'gradual'] as Scenario[]) {
    const ms = all.filter(r => r.side === 'library' && r.scenario === scenario).sort((a, b) => a.routes - b.routes);
    for (let i = 1; i < ms.length; i++) {
      const [a, b] = [ms[i - 1], ms[i]];
      shareRows.push([scenario, `${a.routes}→${b.routes}`, fmt(marginal(a, b), 2), `${fmt(a.totalResources)}→${fmt(b.totalResources)}`,
        `${fmt(a.roles)}→${fmt(b.roles)}`, `${fmt(a.templateCount)}→${fmt(b.templateCount)}`, `${fmt(a.maxTemplateBytes)}→${fmt(b.maxTemplateBytes)}`, b.verdict]);
    }
  }
  say('Library, marginal resources per added route (own-function: each route its own function, shared role; shared-function:');
  say('every route on one RouteHandler; shared-role: own functions, all with DataAccess.readData(table), one role for all;');
  say('gradual: own functions with gradualDeployment (version + alias + CodeDeploy group each) and addMonitoring()):');
  say(table(['scenario', 'routes', 'marginal res/route', 'total resources', 'IAM roles', 'templates', 'max template bytes', 'deployable'], shareRows));
  say();
  results.scale = all;
}

/** 4. Construct + synth time at 1,000, 2,000 and 3,000 routes (best of 2), and its growth. */
function growthSection(): void {
  const best: Measurement[] = [];
  for (const n of GROWTH_SIZES) {
    const tries = [1, 2].map(() => runScale('growth', 'library', 'own-function', n));
    best.push(tries.reduce((a, b) => (a.constructSeconds + a.synthSeconds <= b.constructSeconds + b.synthSeconds ? a : b)));
  }
  const base = best[0];
  const baseTime = base.constructSeconds + base.synthSeconds;
  say('4. Growth: one ServerlessApi, each route its own function, construct + synth (best of 2; synth includes CDK\'s validation and the library\'s checks)');
  say(table(['routes', 'construct s', 'synth s', 'total s', 'time ratio vs 1,000', 'route ratio', 'time ratio / route ratio', 'goal', 'templates', 'path nodes', 'deployable'],
    best.map(m => {
      const t = m.constructSeconds + m.synthSeconds;
      const routeRatio = m.routes / base.routes;
      const perRoute = (t / baseTime) / routeRatio;
      return [fmt(m.routes), fmt(m.constructSeconds, 2), fmt(m.synthSeconds, 2), fmt(t, 2), fmt(t / baseTime, 2), fmt(routeRatio, 1), fmt(perRoute, 2),
        m === base ? '-' : `${met(t / baseTime <= GOALS.growthRatio / 2 * routeRatio)} (≤ ${fmt(GOALS.growthRatio / 2 * routeRatio, 2)})`,
        `${m.templateCount}, max ${fmt(m.maxTemplateBytes)} B`, m.pathNodes.map(p => fmt(p)).join(', '), m.verdict];
    })));
  say(`(goal: 2× routes ≤ ${GOALS.growthRatio}× time, i.e. time ratio ≤ ${GOALS.growthRatio / 2} × route ratio)`);
  say();
  results.growth = best;
}

/** 5. The most routes one ServerlessApi holds within CloudFormation's template limits, by bisection. */
function ceilingSection(): void {
  const bisect = (compact: boolean, lo: number, hi: number, step: number): { ceiling: number; probes: string[] } => {
    const probes: string[] = [];
    const probe = (n: number) => {
      const r = fitsTemplates(n, compact);
      probes.push(`${fmt(n)}: ${r.fits ? 'fits' : 'over'} (max ${fmt(r.maxTemplateBytes)} B)`);
      progress(`ceiling${compact ? ' (compact)' : ''}: ${n} routes ${r.fits ? 'fit' : 'do not fit'}, max template ${r.maxTemplateBytes} bytes, ${r.seconds.toFixed(1)} s`);
      gc();
      return r.fits;
    };
    if (!probe(lo)) { return { ceiling: 0, probes }; }
    if (probe(hi)) { return { ceiling: hi, probes }; }
    while (hi - lo > step) {
      const mid = Math.round((lo + hi) / 2 / 2) * 2; // even: a whole /r{k} pair
      if (probe(mid)) { lo = mid; } else { hi = mid; }
    }
    return { ceiling: lo, probes };
  };
  const step = 50;
  const plainRun = bisect(false, 1000, 3000, step);
  const compactRun = elapsed() < BUDGET_SECONDS ? bisect(true, 1000, 3000, step) : undefined;
  const quotaCeiling = LIMITS.apiResources - 1; // every bench route adds one path node to the root
  say(`5. Ceiling of ONE ServerlessApi (each route its own function), by bisection to ${step} routes:`);
  say(table(['rendering', 'routes within CloudFormation\'s template limits', 'probes'], [
    ['default (indented templates)', plainRun.ceiling >= 3000 ? `≥ ${fmt(plainRun.ceiling)}` : fmt(plainRun.ceiling), plainRun.probes.join('; ')],
    ...(compactRun ? [['suppressTemplateIndentation: true on the API stack', compactRun.ceiling >= 3000 ? `≥ ${fmt(compactRun.ceiling)}` : fmt(compactRun.ceiling), compactRun.probes.join('; ')]] : []),
  ]));
  say(`Within API Gateway's default quota of ${LIMITS.apiResources} resources per API, one API of this shape holds ${quotaCeiling} routes`);
  say('(each /r{k} and /r{k}/{id} is one path node); past that, the quota must be raised for the API, or the routes split (section 6).');
  say();
  results.ceiling = { templateLimits: plainRun, compactTemplate: compactRun, defaultQuotaRoutes: quotaCeiling };
}

/** 6. 3,000 routes in one stage, split into several ServerlessApis behind one ApiDomain. */
function splitSection(): void {
  const m = measure('split', 'library', 'own-function', SPLIT_ROUTES, dir => buildSplit(SPLIT_ROUTES, SPLIT_ROUTES_PER_API, dir));
  progress(`split: ${SPLIT_ROUTES} routes in ${m.pathNodes.length} APIs, ${m.templateCount} templates, ${(m.constructSeconds + m.synthSeconds).toFixed(1)} s`);
  say(`6. ${fmt(SPLIT_ROUTES)} routes, each its own function, in ONE cdk.Stage: ${m.pathNodes.length} ServerlessApis of ≤ ${SPLIT_ROUTES_PER_API} routes,`);
  say('   one per first path segment (s1..sN), each in its own stack, behind one regional ApiDomain (base path = segment)');
  say(table(['routes', 'APIs', 'templates', 'max res/template', 'max template bytes', 'total resources', 'path nodes per API (max)', 'construct+synth s', 'deployable', 'goal'], [[
    fmt(m.routes), fmt(m.pathNodes.length), fmt(m.templateCount), fmt(m.maxResources), fmt(m.maxTemplateBytes), fmt(m.totalResources),
    fmt(Math.max(...m.pathNodes)), fmt(m.constructSeconds + m.synthSeconds, 1), m.verdict,
    `${met(m.deployable && m.routes >= GOALS.ceilingRoutes)} (≥ ${fmt(GOALS.ceilingRoutes)} routes, deployable)`,
  ]]));
  say();
  results.split = m;
}

async function main(): Promise<void> {
  say(`Benchmark: aws-cdk-lib ${AWS_CDK_LIB_VERSION}, Node ${process.version}, ${os.cpus().length} CPUs, `
    + `load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} at start`);
  say();
  if (withinBudget('synth')) { await synthSection(); }
  if (withinBudget('tests')) { await testsSection(); }
  // Before the scale sections: they leave this process with a heap of several GB, whose garbage
  // collection the broadcast (measured in this process) would otherwise pay for (22.9 s of CPU for
  // 10,000 sends after them, 5.9-6.8 s on their own).
  if (withinBudget('websocket')) { results.websocket = await runWebSocketBench(say); }
  if (withinBudget('local')) { await runLocalBench(); }
  if (withinBudget('sizes')) { results.sizes = await runSizesBench(say); }
  if (SECTIONS.has('scale') || SECTIONS.has('growth') || SECTIONS.has('ceiling') || SECTIONS.has('split')) {
    // Warm-up: load modules and JIT so the first measured size is not charged for them.
    measure('warm-up', 'library', 'own-function', 2, dir => build('library', 'own-function', 2, dir));
    measure('warm-up', 'plain', 'own-function', 2, dir => build('plain', 'own-function', 2, dir));
  }
  if (withinBudget('scale')) { scaleSection(); }
  if (withinBudget('growth')) { growthSection(); }
  if (withinBudget('ceiling')) { ceilingSection(); }
  if (withinBudget('split')) { splitSection(); }
  say(`Total bench time: ${elapsed().toFixed(1)} s; load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} at the end`);

  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, 'results.json'), JSON.stringify({
    generatedAt: new Date().toISOString(),
    awsCdkLib: AWS_CDK_LIB_VERSION,
    node: process.version,
    cpus: os.cpus().length,
    limits: LIMITS,
    goals: GOALS,
    totalSeconds: elapsed(),
    ...results,
  }, null, 2));
  fs.writeFileSync(path.join(OUT_DIR, 'results.txt'), out.join('\n') + '\n');
  console.log(`Wrote ${path.relative(process.cwd(), path.join(OUT_DIR, 'results.json'))} and results.txt`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
