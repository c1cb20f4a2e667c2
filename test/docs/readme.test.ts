/**
 * The README's consumer quick start is code users copy: it must synthesize, and the stages it creates
 * must be the ones its commands deploy (`cdk deploy 'Dev/*'` selects nothing in an app whose stage is 'dev').
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The code blocks marked `<!-- quick-start:<file> -->`, by file. */
function quickStartFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const match of README.matchAll(/<!-- quick-start:(\S+) -->\n```ts\n([\s\S]*?)```/g)) {
    files[match[1]] = match[2];
  }
  return files;
}

/** Every TypeScript block of the README. */
function codeBlocks(): string[] {
  return [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);
}

describe('the README', () => {
  test('GIVEN its deploy and synth commands THEN every stage they name is a stage id its code creates', () => {
    const named = new Set([...README.matchAll(/cdk (?:deploy|synth) '([^'/*]+)\/\*'/g)].map(m => m[1]));
    const created = new Set<string>();
    for (const block of codeBlocks()) {
      for (const m of block.matchAll(/new \w+Stage\(app, '([^']+)'/g)) { created.add(m[1]); }
      for (const m of block.matchAll(/\['([^']+)', '(?:dev|test|prod)'\]/g)) { created.add(m[1]); }
    }
    expect([...named].sort()).toEqual(['Dev', 'Prod', 'Test']);
    expect([...named].filter(id => !created.has(id))).toEqual([]);
  });

  test('GIVEN its code THEN no stage is created with a lowercase id', () => {
    const lowercase = codeBlocks().flatMap(block => [...block.matchAll(/new \w+Stage\(app, (?:'[a-z][^']*'|name\b)/g)].map(m => m[0]));
    expect(lowercase).toEqual([]);
  });

  test('GIVEN the consumer quick start THEN its app synthesizes Dev, Test and Prod with the audit on', () => {
    const files = quickStartFiles();
    expect(Object.keys(files).sort()).toEqual(['bin/todo-service.ts', 'lib/todo-service-stack.ts', 'test/todo-service.test.ts']);
    // The quick start as plain CommonJS in a folder of its own; jest maps 'serverless-api-constructs' to lib/.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-quick-start-'));
    const outdir = path.join(dir, 'cdk.out');
    for (const file of ['lib/todo-service-stack.ts', 'bin/todo-service.ts']) {
      const js = ts.transpileModule(files[file], { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
      fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file.replace(/\.ts$/, '.js')), js);
    }
    process.env.CDK_OUTDIR = outdir; // where `new App()` writes, as under `cdk synth`
    process.env.CDK_VALIDATION = 'false'; // CloudFormation schema validation: the example app's synth covers it
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs the compiled app, as `cdk synth` would
      require(path.join(dir, 'bin', 'todo-service.js'));
    } finally {
      delete process.env.CDK_OUTDIR;
      delete process.env.CDK_VALIDATION;
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    const stages = Object.keys(manifest.artifacts).filter(a => manifest.artifacts[a].type === 'cdk:cloud-assembly').sort();
    expect(stages).toEqual(['assembly-Dev', 'assembly-Prod', 'assembly-Test']);
    const prod = fs.readdirSync(path.join(outdir, 'assembly-Prod')).filter(f => f.endsWith('.template.json'));
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'assembly-Prod', prod[0]), 'utf8'));
    const table = Object.values<any>(template.Resources).find(r => r.Type === 'AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('Retain');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
