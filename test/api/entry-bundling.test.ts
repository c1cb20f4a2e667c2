/**
 * RouteHandler.fromEntry bundling: in-process esbuild, path-independent asset hashes, and a clear error
 * (never a Docker fallback) when esbuild cannot be loaded.
 */
import * as fs from 'fs';
import Module from 'module';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { RouteHandler, ServerlessApi } from '../../lib';
import { _resetEsbuild } from '../../lib/api/entry-bundling';
import { importClosure, ROOT } from '../import-closure';
import { testApp, testStack } from '../util';

/** A small project (package.json, lock file, an entry importing a helper) in a fresh temporary folder. */
function projectIn(parent: string, name: string): string {
  const root = path.join(fs.mkdtempSync(path.join(parent, `${name}-`)), 'service');
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'service', version: '1.0.0', private: true }));
  fs.writeFileSync(path.join(root, 'package-lock.json'), JSON.stringify({ name: 'service', lockfileVersion: 3, requires: true, packages: {} }));
  fs.writeFileSync(path.join(root, 'src', 'greeting.ts'), 'export const greeting = (name: string): string => `hello ${name}`;\n');
  fs.writeFileSync(path.join(root, 'src', 'handler.ts'), [
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    "import { greeting } from './greeting';",
    'export const client = new DynamoDBClient({});',
    'export async function handler(): Promise<{ statusCode: number; body: string }> {',
    "  return { statusCode: 200, body: greeting('world') };",
    '}',
    '',
  ].join('\n'));
  return root;
}

interface Bundled { readonly s3Key: string; readonly dir: string; readonly stack: Stack; readonly api: ServerlessApi }

/** Synthesizes (bundling on) an API whose one route is bundled from `entry`, into its own assembly folder. */
function bundle(entry: string, outdir: string): Bundled {
  const app = testApp({ bundle: true, outdir });
  const stack = testStack(app);
  const api = new ServerlessApi(stack, 'Api');
  api.addRoute({ method: 'GET', path: '/hello', handler: RouteHandler.fromEntry(entry) });
  const fn: any = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
    .find((r: any) => r.Properties.Handler === 'index.handler');
  const s3Key: string = fn.Properties.Code.S3Key;
  const dir = path.join(app.synth().directory, `asset.${s3Key.replace(/\.zip$/, '')}`);
  return { s3Key, dir, stack, api };
}

describe('an entry bundled from two different folders', () => {
  let tmp: string;
  let a: Bundled;
  let b: Bundled;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'entry-bundling-'));
    a = bundle(path.join(projectIn(tmp, 'checkout-a'), 'src', 'handler.ts'), path.join(tmp, 'out-a'));
    b = bundle(path.join(projectIn(tmp, 'checkout-b-with-a-longer-name'), 'src', 'handler.ts'), path.join(tmp, 'elsewhere', 'out-b'));
  });

  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('GIVEN the same sources in two checkouts and two assembly folders THEN the asset hash is the same', () => {
    expect(a.dir).not.toBe(b.dir);
    expect(a.s3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(a.s3Key).toBe(b.s3Key);
  });

  test('GIVEN the bundle THEN its source map names the sources relative to the package root, without their content', () => {
    const map = JSON.parse(fs.readFileSync(path.join(a.dir, 'index.js.map'), 'utf8'));
    expect([...map.sources].sort()).toEqual(['src/greeting.ts', 'src/handler.ts']);
    expect(map.sourcesContent).toBeUndefined();
    expect(fs.readFileSync(path.join(a.dir, 'index.js'), 'utf8')).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
  });

  test('GIVEN the bundle THEN it is minified CommonJS with the AWS SDK left to the runtime', () => {
    const code = fs.readFileSync(path.join(a.dir, 'index.js'), 'utf8');
    expect(code.split('\n').length).toBeLessThan(5);
    expect(code).toMatch(/require\("@aws-sdk\/client-dynamodb"\)/);
    expect(code).toContain('hello ');
    expect(fs.readdirSync(a.dir).sort()).toEqual(['index.js', 'index.js.map']);
  });

  test('GIVEN the function THEN it is a NodejsFunction with handler index.handler', () => {
    expect(a.api.functionFor('GET /hello')).toBeInstanceOf(nodejs.NodejsFunction);
  });
});

describe('an entry whose bundling is skipped (cdk synth of another stage, unit tests)', () => {
  /** The asset key CDK gives the function without bundling it (it hashes the bundling settings instead). */
  function skippedKey(entry: string): string {
    const stack = testStack(testApp());
    new ServerlessApi(stack, 'Api').addRoute({ method: 'GET', path: '/hello', handler: RouteHandler.fromEntry(entry) });
    const fn: any = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
      .find((r: any) => r.Properties.Handler === 'index.handler');
    return fn.Properties.Code.S3Key;
  }

  test('GIVEN the same sources in two checkouts THEN the asset hash is the same (a Lambda Version id hashes it)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'entry-bundling-'));
    try {
      const a = skippedKey(path.join(projectIn(tmp, 'checkout-a'), 'src', 'handler.ts'));
      const b = skippedKey(path.join(projectIn(tmp, 'checkout-b-with-a-longer-name'), 'src', 'handler.ts'));
      expect(a).toMatch(/^[0-9a-f]{64}\.zip$/);
      expect(a).toBe(b);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('an entry with different sources', () => {
  test('GIVEN two different entries in one project THEN each gets its own bundle (no shared cache entry)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'entry-bundling-'));
    try {
      const root = projectIn(tmp, 'two');
      fs.writeFileSync(path.join(root, 'src', 'other.ts'), 'export async function handler() { return { statusCode: 204, body: "" }; }\n');
      const app = testApp({ bundle: true, outdir: path.join(tmp, 'out') });
      const stack = testStack(app);
      const api = new ServerlessApi(stack, 'Api');
      api.addRoute({ method: 'GET', path: '/a', handler: RouteHandler.fromEntry(path.join(root, 'src', 'handler.ts')) });
      api.addRoute({ method: 'GET', path: '/b', handler: RouteHandler.fromEntry(path.join(root, 'src', 'other.ts')) });
      const keys = Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
        .map(r => r.Properties.Code.S3Key).filter(k => typeof k === 'string');
      expect(new Set(keys).size).toBe(2);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('without esbuild', () => {
  /** Node's resolver, which the tests below make fail for `esbuild` as in a project without it. */
  const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolveFilename = resolver._resolveFilename;

  beforeAll(() => {
    _resetEsbuild();
    resolver._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
      if (request === 'esbuild') {
        const error: NodeJS.ErrnoException = new Error("Cannot find module 'esbuild'\nRequire stack:\n- " + __filename);
        error.code = 'MODULE_NOT_FOUND';
        throw error;
      }
      return resolveFilename.call(this, request, ...rest);
    };
  });

  afterAll(() => {
    resolver._resolveFilename = resolveFilename;
    _resetEsbuild();
  });

  // The library is loaded once per test worker (before the resolver above fails esbuild), so that it
  // loads without esbuild is read from its sources: no module it imports loads esbuild when it loads.
  test('GIVEN a project without esbuild THEN the library loads: no module it imports requires esbuild at load', () => {
    const { packages, files } = importClosure('lib/index.ts');
    expect(packages.get('esbuild')).toBeUndefined();
    const requiresAtLoad = /^(?:import|export|const|let|var)\b[^\n]*\brequire\(\s*['"]esbuild['"]\s*\)/m;
    expect(files.filter(file => requiresAtLoad.test(fs.readFileSync(path.join(ROOT, file), 'utf8')))).toEqual([]);
  });

  test('fails at synth with the fix when a stack that is bundled has an entry handler, never trying Docker', () => {
    const stack = testStack(testApp({ bundle: true }));
    const api = new ServerlessApi(stack, 'Api');
    const entry = path.resolve('bin/handlers/health.ts');
    expect(() => api.addRoute({ method: 'GET', path: '/health', handler: RouteHandler.fromEntry(entry) })).toThrow(
      `TestStack/Api: route 'GET /health' handler entry needs esbuild to be bundled, and esbuild cannot be loaded (Cannot find module 'esbuild') `
      + `(received '${entry}'). Add it to your project: npm install -D esbuild (the library bundles in-process and never falls back to Docker). `
      + 'Or give prebuilt code with RouteHandler.fromCode(lambda.Code.fromAsset(dir)).');
  });

  test('GIVEN a stack whose bundling is skipped (cdk deploy of another stage, unit tests) THEN no esbuild is needed', () => {
    const stack = testStack(testApp());
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/health', handler: RouteHandler.fromEntry('bin/handlers/health.ts') });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler' });
  });
});
