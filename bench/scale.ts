/**
 * The scale half of the benchmark: builds one API of n routes (each its own function, or shared) with
 * this library and with plain aws-cdk-lib, each in a fresh App holding one cdk.Stage, synthesizes it in
 * this process, and measures the templates synth wrote: resources, bytes, path nodes (API Gateway
 * resources) per RestApi, and whether the stage is deployable.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiDomain, DataAccess, RouteHandler, ServerlessApi, ServerlessTable } from '../lib';

const CDK_CONTEXT: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;
const ENV = { account: '123456789012', region: 'eu-west-1' };
const INLINE_CODE = 'exports.handler = async () => ({ statusCode: 200, body: "{}" });';
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
export const STAGE_ID = 'Bench';

/** CloudFormation's per-template limits and API Gateway's default "Resources per API" quota. */
export const LIMITS = { resources: 500, bytes: 1_000_000, outputs: 200, parameters: 200, apiResources: 300 } as const;

/** Context that lifts CDK's synth-time resource check, to measure what plain aws-cdk-lib would generate. */
const LIFTED = { '@aws-cdk/core:stackResourceLimit': 0 };

export type Side = 'library' | 'plain';
/**
 * own-function: each route its own function; shared-function: every route on one handler; shared-role: own
 * functions with the same DataAccess; gradual: own functions deployed gradually (version, alias and CodeDeploy
 * deployment group per function) with the API's monitoring (alarms, dashboard) rolling them back.
 */
export type Scenario = 'own-function' | 'shared-function' | 'shared-role' | 'gradual';

export interface TemplateInfo { readonly file: string; readonly resources: number; readonly bytes: number; readonly outputs: number; readonly parameters: number }

export interface Measurement {
  readonly label: string;
  readonly side: Side;
  readonly scenario: Scenario;
  readonly routes: number;
  readonly templates: TemplateInfo[];
  readonly templateCount: number;
  readonly totalResources: number;
  readonly maxResources: number;
  readonly maxTemplateBytes: number;
  readonly roles: number;
  readonly lambdaPermissions: number;
  /** API Gateway resources (path nodes, root included) of each RestApi. */
  readonly pathNodes: number[];
  readonly constructSeconds: number;
  /** Wall clock of app.synth() with CDK's and the library's checks (until the throw when it fails). */
  readonly synthSeconds: number;
  readonly synthError?: string;
  /** Plain aws-cdk-lib over CDK's 500-resource check: figures from a re-synth with the check lifted. */
  readonly measuredWithLimitLifted: boolean;
  readonly liftedSynthSeconds?: number;
  /** Every template within CloudFormation's limits and synth passed. */
  readonly templatesOk: boolean;
  /** templatesOk, and every RestApi within API Gateway's default resource quota. */
  readonly deployable: boolean;
  /** What stands between the stage and a deploy. */
  readonly verdict: string;
}

/** Route i (0-based): GET /r1, POST /r1/{id}, PUT /r2, DELETE /r2/{id}, PATCH /r3, GET /r3/{id}, ... */
export function route(i: number, prefix = ''): { method: string; path: string } {
  const k = Math.floor(i / 2) + 1;
  return { method: METHODS[i % METHODS.length], path: i % 2 === 0 ? `${prefix}/r${k}` : `${prefix}/r${k}/{id}` };
}

function newApp(outdir: string, extraContext: Record<string, unknown> = {}): App {
  // As `cdk synth` builds it: cdk.json's context, CDK's built-in template validation on. No bundling
  // (inline code), no tree.json (nothing reads it here).
  return new App({ outdir, treeMetadata: false, context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...extraContext } });
}

export interface BuildOptions {
  /** Stack prop suppressTemplateIndentation of the API's stack. */
  readonly compactTemplate?: boolean;
  readonly extraContext?: Record<string, unknown>;
}

/** One API of n routes in one Stage of a fresh App. */
export function build(side: Side, scenario: Scenario, n: number, outdir: string, options: BuildOptions = {}): App {
  const app = newApp(outdir, options.extraContext);
  const stage = new Stage(app, STAGE_ID, { env: ENV });
  const stack = new Stack(stage, side === 'library' ? 'LibraryApi' : 'PlainApi', { env: ENV, suppressTemplateIndentation: options.compactTemplate });
  if (side === 'library') {
    const api = new ServerlessApi(stack, 'Api', { stageName: 'dev', gradualDeployment: scenario === 'gradual' ? {} : undefined });
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
    if (scenario === 'gradual') { api.addMonitoring(); }
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

/**
 * n routes split into several ServerlessApis behind one regional ApiDomain, one API per first path
 * segment (`/s1/r1` is route `/r1` of the API mapped at base path `s1`), each API in its own stack of
 * one Stage: the layout the library's template-limit error recommends past one API's ceiling.
 */
export function buildSplit(n: number, routesPerApi: number, outdir: string): App {
  const app = newApp(outdir);
  const stage = new Stage(app, STAGE_ID, { env: ENV });
  const domainStack = new Stack(stage, 'Domain', { env: ENV });
  const domain = new ApiDomain(domainStack, 'Domain', {
    domainName: 'api.example.com',
    endpointType: apigateway.EndpointType.REGIONAL,
    certificate: acm.Certificate.fromCertificateArn(domainStack, 'Certificate', `arn:aws:acm:${ENV.region}:${ENV.account}:certificate/11111111-2222-3333-4444-555555555555`),
  });
  for (let part = 0; part * routesPerApi < n; part++) {
    const segment = `s${part + 1}`;
    const stack = new Stack(stage, `Api${part + 1}`, { env: ENV });
    const api = new ServerlessApi(stack, 'Api', { stageName: 'dev', endpointType: apigateway.EndpointType.REGIONAL });
    for (let i = part * routesPerApi; i < Math.min(n, (part + 1) * routesPerApi); i++) {
      api.addRoute({ ...route(i - part * routesPerApi), handler: RouteHandler.fromCode(lambda.Code.fromInline(INLINE_CODE)) });
    }
    domain.addBasePath(segment, api);
  }
  return app;
}

/** The cloud assembly directory of the bench Stage inside an App's outdir. */
function assemblyDir(outdir: string): string {
  return path.join(outdir, `assembly-${STAGE_ID}`);
}

interface AssemblyFigures { templates: TemplateInfo[]; roles: number; lambdaPermissions: number; pathNodes: number[] }

/** Reads every template synth wrote (also when synth failed in the checks that run after writing). */
function readAssembly(dir: string): AssemblyFigures {
  const figures: AssemblyFigures = { templates: [], roles: 0, lambdaPermissions: 0, pathNodes: [] };
  if (!fs.existsSync(dir)) { return figures; }
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.template.json')).sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const template = JSON.parse(text);
    const resources = Object.values<any>(template.Resources ?? {});
    figures.templates.push({
      file, bytes: Buffer.byteLength(text), resources: resources.length,
      outputs: Object.keys(template.Outputs ?? {}).length, parameters: Object.keys(template.Parameters ?? {}).length,
    });
    figures.roles += resources.filter(r => r.Type === 'AWS::IAM::Role').length;
    figures.lambdaPermissions += resources.filter(r => r.Type === 'AWS::Lambda::Permission').length;
    for (const api of resources.filter(r => r.Type === 'AWS::ApiGateway::RestApi')) {
      if (api.Properties?.Body?.paths) { figures.pathNodes.push(pathNodesOf(Object.keys(api.Properties.Body.paths))); }
    }
    const plainResources = resources.filter(r => r.Type === 'AWS::ApiGateway::Resource').length;
    if (plainResources > 0) { figures.pathNodes.push(plainResources + 1); }
  }
  return figures;
}

/** API Gateway resources of a set of paths: one per distinct prefix, the root included. */
export function pathNodesOf(paths: string[]): number {
  const prefixes = new Set<string>(['/']);
  for (const p of paths) {
    const segments = p.split('/').filter(Boolean);
    for (let i = 1; i <= segments.length; i++) { prefixes.add('/' + segments.slice(0, i).join('/')); }
  }
  return prefixes.size;
}

/** The first line of a synth error, with the rules a validation failure broke (from validation-report.json). */
function synthErrorText(e: unknown, outdir: string): string {
  const first = String((e as Error)?.message ?? e).split('\n')[0];
  for (const report of [path.join(outdir, 'validation-report.json'), path.join(assemblyDir(outdir), 'validation-report.json')]) {
    if (!fs.existsSync(report)) { continue; }
    const violations = (JSON.parse(fs.readFileSync(report, 'utf8')).pluginReports ?? [])
      .flatMap((r: any) => r.violations ?? [])
      .filter((v: any) => v.severity === 'error' || v.severity === 'fatal' || v.severity === undefined)
      .map((v: any) => `${v.ruleName}: ${String(v.description).split('\n')[0]}`);
    if (violations.length) { return `Validation failed: ${[...new Set(violations)].join(' / ')}`; }
  }
  return first;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function gc(): void {
  (global as any).gc?.();
}

export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds, synthesizes and measures one stage. */
export function measure(label: string, side: Side, scenario: Scenario, n: number, make: (dir: string) => App): Measurement {
  gc();
  let constructSeconds = 0;
  let synthSeconds = 0;
  let synthError: string | undefined;
  let figures: AssemblyFigures = { templates: [], roles: 0, lambdaPermissions: 0, pathNodes: [] };
  withTempDir(dir => {
    let t = process.hrtime.bigint();
    const app = make(dir);
    constructSeconds = seconds(t);
    t = process.hrtime.bigint();
    try {
      app.synth();
    } catch (e) {
      synthError = synthErrorText(e, dir);
    }
    synthSeconds = seconds(t);
    figures = readAssembly(assemblyDir(dir));
  });
  let liftedSynthSeconds: number | undefined;
  const lifted = side === 'plain' && synthError !== undefined;
  if (lifted) {
    gc();
    withTempDir(dir => {
      const app = build(side, scenario, n, dir, { extraContext: LIFTED });
      const t = process.hrtime.bigint();
      try {
        app.synth();
      } catch {
        // The templates are written before the checks that fail; read them anyway.
      }
      liftedSynthSeconds = seconds(t);
      figures = readAssembly(assemblyDir(dir));
      if (figures.templates.length === 0) {
        const cfn = build(side, scenario, n, dir, { extraContext: LIFTED }).node.findAll().filter(c => CfnResource.isCfnResource(c));
        figures.templates = [{ file: '(construct tree)', resources: cfn.length, bytes: NaN, outputs: 0, parameters: 0 }];
      }
    });
  }
  const { templates } = figures;
  const reasons: string[] = [];
  if (synthError) { reasons.push(`fails synth: ${synthError}`); }
  for (const t of templates) {
    if (t.resources > LIMITS.resources) { reasons.push(`${t.file}: ${t.resources} resources > ${LIMITS.resources}`); }
    if (t.bytes > LIMITS.bytes) { reasons.push(`${t.file}: ${t.bytes.toLocaleString('en-US')} bytes > ${LIMITS.bytes.toLocaleString('en-US')}`); }
    if (t.outputs > LIMITS.outputs) { reasons.push(`${t.file}: ${t.outputs} outputs > ${LIMITS.outputs}`); }
    if (t.parameters > LIMITS.parameters) { reasons.push(`${t.file}: ${t.parameters} parameters > ${LIMITS.parameters}`); }
  }
  const templatesOk = reasons.length === 0 && templates.length > 0;
  const maxNodes = Math.max(0, ...figures.pathNodes);
  const quotaOk = maxNodes <= LIMITS.apiResources;
  const verdict = !templatesOk
    ? `NO: ${[...new Set(reasons.map(r => r.replace(/: AWS::[^;]*/g, '')))].join('; ')}`
    : quotaOk ? 'yes' : `after a quota increase: Resources per API ${maxNodes.toLocaleString('en-US')} > default ${LIMITS.apiResources}`;
  return {
    label, side, scenario, routes: n, templates, templateCount: templates.length,
    totalResources: templates.reduce((s, t) => s + t.resources, 0),
    maxResources: Math.max(0, ...templates.map(t => t.resources)),
    maxTemplateBytes: Math.max(0, ...templates.map(t => t.bytes)),
    roles: figures.roles, lambdaPermissions: figures.lambdaPermissions, pathNodes: figures.pathNodes,
    constructSeconds, synthSeconds, synthError, measuredWithLimitLifted: lifted, liftedSynthSeconds,
    templatesOk, deployable: templatesOk && quotaOk, verdict,
  };
}

/** Whether one API of n routes (own functions) synthesizes with every template within CloudFormation's limits. */
export function fitsTemplates(n: number, compactTemplate: boolean): { fits: boolean; maxTemplateBytes: number; seconds: number } {
  const m = measure(`ceiling ${n}`, 'library', 'own-function', n, dir => build('library', 'own-function', n, dir, { compactTemplate }));
  return { fits: m.templatesOk, maxTemplateBytes: m.maxTemplateBytes, seconds: m.constructSeconds + m.synthSeconds };
}
