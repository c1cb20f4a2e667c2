/**
 * Scale: what a route costs in CloudFormation resources, and that a large API stays deployable
 * (every template within CloudFormation's 500 resources and 1 MB). Counts and sizes, never timings.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { RouteHandler, ServerlessApi } from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';

const ENV = { account: '123456789012', region: 'eu-west-1' };
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const MAX_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1_000_000;
const MAX_OUTPUTS = 200;
const MAX_PARAMETERS = 200;

/** Route i (0-based): GET /r1, POST /r1/{id}, PUT /r2, DELETE /r2/{id}, PATCH /r3, GET /r3/{id}, ... */
function route(i: number): { method: string; path: string } {
  const k = Math.floor(i / 2) + 1;
  return { method: METHODS[i % METHODS.length], path: i % 2 === 0 ? `/r${k}` : `/r${k}/{id}` };
}

/** An API of n routes; each its own function, or all on one shared handler. */
function addRoutes(api: ServerlessApi, n: number, shared?: RouteHandler): void {
  for (let i = 0; i < n; i++) {
    api.addRoute({ ...route(i), handler: shared ?? inlineHandler() });
  }
}

interface TemplateFile { readonly file: string; readonly bytes: number; readonly template: any }

/** Every template of an assembly as written to disk, nested stack templates included. */
function templates(assembly: CloudAssembly): TemplateFile[] {
  return fs.readdirSync(assembly.directory)
    .filter(f => f.endsWith('.template.json'))
    .sort()
    .map(file => {
      const text = fs.readFileSync(path.join(assembly.directory, file), 'utf8');
      return { file, bytes: Buffer.byteLength(text), template: JSON.parse(text) };
    });
}

function resourceCount(files: TemplateFile[]): number {
  return files.reduce((sum, f) => sum + Object.keys(f.template.Resources ?? {}).length, 0);
}

function resourcesOfType(files: TemplateFile[], type: string): any[] {
  return files.flatMap(f => Object.values<any>(f.template.Resources ?? {}).filter(r => r.Type === type));
}

/** Resources of every template of an API of n routes, synthesized alone in a fresh App. */
function resourcesFor(n: number, shared: boolean): number {
  const app = testApp();
  const stack = testStack(app);
  addRoutes(new ServerlessApi(stack, 'Api'), n, shared ? inlineHandler() : undefined);
  return resourceCount(templates(app.synth()));
}

/** A CloudFormation value as text, with every intrinsic shown as <...>, for suffix checks. */
function flatten(value: any): string {
  if (typeof value === 'string') { return value; }
  if (value && Array.isArray(value['Fn::Join'])) {
    const [sep, parts] = value['Fn::Join'];
    return (parts as any[]).map(flatten).join(sep);
  }
  return `<${JSON.stringify(value)}>`;
}

describe('resources per route', () => {
  test('a route with its own function adds 2 resources (its function and one permission)', () => {
    const added = resourcesFor(11, false) - resourcesFor(10, false);
    expect(added).toBeLessThanOrEqual(3);
    expect(added).toBe(2);
  });

  test('a route on a shared function adds no resource', () => {
    const added = resourcesFor(11, true) - resourcesFor(10, true);
    expect(added).toBeLessThanOrEqual(1);
    expect(added).toBe(0);
  });

  test('functions without dataAccess share one execution role', () => {
    const app = testApp();
    const stack = testStack(app);
    addRoutes(new ServerlessApi(stack, 'Api', { cloudWatchRole: false }), 20);
    const files = templates(app.synth());
    expect(resourcesOfType(files, 'AWS::Lambda::Function')).toHaveLength(20);
    expect(resourcesOfType(files, 'AWS::IAM::Role')).toHaveLength(1);
  });
});

describe('1,000 routes, each its own function, in one cdk.Stage', () => {
  let files: TemplateFile[];

  beforeAll(() => {
    const app = testApp();
    const stage = new Stage(app, 'Prod', { env: ENV });
    const stack = new Stack(stage, 'Api');
    addRoutes(new ServerlessApi(stack, 'Api', { stageName: 'prod' }), 1000);
    files = templates(stage.synth());
  });

  test('synthesizes one API stage and 1,000 functions, in the API stack and nested stacks', () => {
    expect(resourcesOfType(files, 'AWS::ApiGateway::RestApi')).toHaveLength(1);
    expect(resourcesOfType(files, 'AWS::ApiGateway::Stage')).toHaveLength(1);
    expect(resourcesOfType(files, 'AWS::Lambda::Function')).toHaveLength(1000);
    expect(resourcesOfType(files, 'AWS::Lambda::Permission')).toHaveLength(1000);
    expect(files.filter(f => f.file.endsWith('.nested.template.json')).length).toBeGreaterThan(0);
    // Every nested template is referenced by a stack resource of the API stack.
    expect(resourcesOfType(files, 'AWS::CloudFormation::Stack')).toHaveLength(files.length - 1);
  });

  test('every template has at most 500 resources', () => {
    const over = files.filter(f => Object.keys(f.template.Resources ?? {}).length > MAX_RESOURCES)
      .map(f => `${f.file}: ${Object.keys(f.template.Resources).length} resources`);
    expect(over).toEqual([]);
  });

  test('every template is at most 1 MB as written by synth', () => {
    const over = files.filter(f => f.bytes > MAX_TEMPLATE_BYTES).map(f => `${f.file}: ${f.bytes} bytes`);
    expect(over).toEqual([]);
  });

  test('every template has at most 200 outputs and 200 parameters', () => {
    const over = files.filter(f => Object.keys(f.template.Outputs ?? {}).length > MAX_OUTPUTS
      || Object.keys(f.template.Parameters ?? {}).length > MAX_PARAMETERS)
      .map(f => `${f.file}: ${Object.keys(f.template.Outputs ?? {}).length} outputs, ${Object.keys(f.template.Parameters ?? {}).length} parameters`);
    expect(over).toEqual([]);
  });
});

describe('invoke permissions are scoped', () => {
  let permissions: any[];

  beforeAll(() => {
    const app = testApp();
    const stack = testStack(app);
    const api = new ServerlessApi(stack, 'Api', { stageName: 'dev' });
    api.addRoute({ method: 'GET', path: '/r1', handler: inlineHandler() });
    const shared = inlineHandler();
    api.addRoute({ method: 'GET', path: '/shared', handler: shared });
    api.addRoute({ method: 'POST', path: '/shared/{id}', handler: shared });
    permissions = resourcesOfType(templates(app.synth()), 'AWS::Lambda::Permission');
  });

  test('one permission per function, for API Gateway only', () => {
    expect(permissions).toHaveLength(2);
    for (const p of permissions) {
      expect(p.Properties.Principal).toBe('apigateway.amazonaws.com');
      expect(p.Properties.Action).toBe('lambda:InvokeFunction');
    }
  });

  test("a single-route function's permission names its stage, method and path", () => {
    const arns = permissions.map(p => flatten(p.Properties.SourceArn));
    const single = arns.filter(a => a.endsWith('/dev/GET/r1'));
    expect(single).toHaveLength(1);
    expect(single[0]).toMatch(/^arn:.*:execute-api:eu-west-1:123456789012:<.*>\/dev\/GET\/r1$/);
  });

  test("a shared function's permission is limited to this API's stage", () => {
    const arns = permissions.map(p => flatten(p.Properties.SourceArn));
    expect(arns.filter(a => a.endsWith('/dev/*/*'))).toHaveLength(1);
  });
});
