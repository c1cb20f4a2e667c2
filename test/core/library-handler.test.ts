import * as fs from 'fs';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_RUNTIME, ServerlessApi } from '../../lib';
import { LIBRARY_HANDLERS_DIR, libraryHandler } from '../../lib/core/library-handler';
import { LocalDynamo, startDynalite } from '../runtime/dynalite';
import { captureConsole, getOne, invoke, parseBody, post } from '../runtime/events';
import { testStack } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const CRUD = ['create', 'delete', 'get', 'list', 'update'];

describe('the library handlers are prebuilt bundles (jest globalSetup runs scripts/bundle-handlers.mjs)', () => {
  test.each(CRUD)('GIVEN crud/%s THEN dist/handlers holds its minified bundle and source map', (name) => {
    const dir = path.join(LIBRARY_HANDLERS_DIR, 'crud', name);
    expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
    // Minified: a handful of lines (the bundled ajv of create and update keeps a few multi-line strings).
    expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8').split('\n').length).toBeLessThan(20);
  });

  test('GIVEN the bundles THEN neither code nor source maps hold a path of this checkout (asset hashes are the same wherever it is built)', () => {
    for (const name of CRUD) {
      const dir = path.join(LIBRARY_HANDLERS_DIR, 'crud', name);
      const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
      const map = JSON.parse(fs.readFileSync(path.join(dir, 'index.js.map'), 'utf8'));
      expect(code).not.toContain(ROOT);
      expect(JSON.stringify(map)).not.toContain(ROOT);
      expect(map.sources).toContain(`serverless-api-constructs/lib/runtime/crud/${name}.ts`);
      // The library's runtime code, and the libraries it bundles (ajv in create and update: item schemas).
      expect(map.sources.every((s: string) => s.startsWith('serverless-api-constructs/lib/runtime/')
        || /^serverless-api-constructs\/node_modules\/(ajv|fast-deep-equal|fast-uri|json-schema-traverse|require-from-string)\//.test(s))).toBe(true);
    }
  });

  test('GIVEN the bundle target THEN it is the Node.js major of the runtime the library deploys', () => {
    const script = fs.readFileSync(path.join(ROOT, 'scripts', 'bundle-handlers.mjs'), 'utf8');
    const target = /NODE_TARGET = 'node(\d+)'/.exec(script)?.[1];
    expect(DEFAULT_RUNTIME.name).toBe(`nodejs${target}.x`);
  });

  test('GIVEN the AWS SDK THEN it is left to the Lambda runtime (not bundled)', () => {
    const code = fs.readFileSync(path.join(LIBRARY_HANDLERS_DIR, 'crud', 'create', 'index.js'), 'utf8');
    expect(code).toContain('require("@aws-sdk/lib-dynamodb")');
  });
});

describe('libraryHandler', () => {
  test('GIVEN crud/get WHEN a route uses it THEN the function runs the prebuilt asset with source maps enabled', () => {
    const stack = testStack();
    const api = new ServerlessApi(stack, 'Api');
    api.addRoute({ method: 'GET', path: '/x', handler: libraryHandler('crud/get', { environment: { EXTRA: 'yes' } }) });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: DEFAULT_RUNTIME.name,
      Code: { S3Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$') },
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps', EXTRA: 'yes' }) },
    });
  });

  test('GIVEN the same bundle WHEN used in two apps THEN both get the same asset hash', () => {
    const key = (): string => {
      const stack = testStack();
      new ServerlessApi(stack, 'Api').addRoute({ method: 'GET', path: '/x', handler: libraryHandler('crud/get') });
      const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
      return Object.values(fns)[0].Properties.Code.S3Key;
    };
    expect(key()).toBe(key());
  });

  test('fails if the bundle was never built', () => {
    expect(() => libraryHandler('crud/nope')).toThrow(
      /^serverless-api-constructs: the bundle of the library handler 'crud\/nope' is missing \(.*\)\. In a checkout of the library, run `npm run build`/);
  });
});

describe('GIVEN the shipped create and get bundles WHEN invoked against DynamoDB (dynalite)', () => {
  let db: LocalDynamo | undefined;
  let logs: ReturnType<typeof captureConsole> | undefined;
  beforeAll(async () => {
    logs = captureConsole();
    db = await startDynalite('bundle-items');
  });
  afterAll(async () => {
    await db?.stop();
    logs?.restore();
  });

  test('THEN an item is created and read back', async () => {
    // The bundles themselves, as Lambda loads them (their DynamoDB client is made at load).
    const { handler: create } = await import(path.join(LIBRARY_HANDLERS_DIR, 'crud', 'create', 'index.js'));
    const { handler: get } = await import(path.join(LIBRARY_HANDLERS_DIR, 'crud', 'get', 'index.js'));
    const created = await invoke(create, post({ id: 'bundled-1', name: 'widget' }));
    expect(created.statusCode).toBe(201);
    const read = await invoke(get, getOne('bundled-1'));
    expect(read.statusCode).toBe(200);
    expect(parseBody(read)).toMatchObject({ id: 'bundled-1', name: 'widget', version: 1 });
  });
});
