/**
 * The `serverless-api-local` command as a consumer runs it: it serves an assembly, prints the URLs,
 * routes and key values, answers requests, maps --backend origins, stops on SIGTERM, synthesizes a
 * missing assembly and re-synthesizes on a change with --watch.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Integration, RouteAuthorization, ServerlessApi } from '../../lib';
import { inline, jsonOf, startEchoBackend, synthesizeStage } from './fixture';

// ts-node compiles like the package build (tsc, CommonJS: the CLI's lazy import() becomes require()).
const CLI = path.join(__dirname, '..', '..', 'lib', 'local', 'cli.ts');

let assembly: string;
let backend: { origin: string; stop: () => Promise<void> };
let child: ChildProcess | undefined;

beforeAll(async () => {
  backend = await startEchoBackend();
  assembly = synthesizeStage(stack => {
    const api = new ServerlessApi(stack, 'Api', { apiName: 'cli', stageName: 'dev' });
    api.addRoute({ method: 'GET', path: '/hello', handler: inline('exports.handler = async () => ({ statusCode: 200, body: "{\\"hi\\":1}" });'), authorization: RouteAuthorization.none() });
    api.addRoute({ method: 'GET', path: '/legacy/{proxy+}', integration: Integration.http('https://legacy.example.com/{proxy}'), authorization: RouteAuthorization.none() });
    const plan = api.addUsagePlan('Plan');
    api.addApiKey('Key', { consumerName: 'acme', plans: [plan] });
  });
});
afterAll(async () => {
  if (child && child.exitCode === null) { child.kill('SIGKILL'); }
  await backend?.stop();
  fs.rmSync(assembly, { recursive: true, force: true });
});

/** Starts the CLI and resolves with its URL and what it printed up to 'Listening on'. */
function startCli(args: string[], cwd?: string): Promise<{ url: string; banner: string }> {
  return new Promise((resolve, reject) => {
    child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'], cwd, env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', '..', 'tsconfig.json') },
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', d => {
      out += String(d);
      const m = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { resolve({ url: m[1], banner: out }); }
    });
    child.stderr!.on('data', d => { err += String(d); });
    child.once('exit', code => reject(new Error(`the CLI exited with ${code}: ${err}${out}`)));
  });
}

test('serves the stage: banner with routes and key values, requests answered, --backend honoured, SIGTERM stops it', async () => {
  const { url, banner } = await startCli(['--assembly', assembly, '--stage', 'Dev', '--port', '0', '--no-persist', '--quiet',
    '--backend', `https://legacy.example.com=${backend.origin}`]);
  expect(banner).toContain(`GET     ${url}/dev/hello`);
  expect(banner).toMatch(/API keys \(send as x-api-key\):\n {2}acme-dev +\S{20,}/);

  expect(await jsonOf(await fetch(`${url}/dev/hello`))).toMatchObject({ status: 200, body: { hi: 1 } });
  expect(await jsonOf(await fetch(`${url}/dev/legacy/a/b`))).toMatchObject({ status: 200, body: { method: 'GET', url: '/a/b' } });
  expect((await jsonOf(await fetch(`${url}/_local/info`))).body.apis[0].name).toBe('cli');

  const exited = new Promise<number | null>(resolve => child!.once('exit', code => resolve(code)));
  child!.kill('SIGTERM');
  expect(await exited).toBe(0);
});

test('a malformed --backend is refused with the form it takes', async () => {
  await expect(startCli(['--assembly', assembly, '--port', '0', '--backend', 'https://legacy.example.com']))
    .rejects.toThrow("--backend takes <from origin>=<to origin> (received 'https://legacy.example.com').");
});

test('synthesizes first when the assembly is missing, and on a change with --watch: the synth command writes into $CDK_OUTDIR', async () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-watch-'));
  const log = `${project}.synth.log`;
  try {
    // Stands in for `cdk synth`: CDK apps write their assembly where CDK_OUTDIR says.
    // Its log is outside the watched project: a write there would be a change.
    const synthCommand = `cp -R ${JSON.stringify(assembly)}/. "$CDK_OUTDIR" && echo synthesized >> ${JSON.stringify(log)}`;
    const { url } = await startCli(['--assembly', 'cdk.out', '--stage', 'Dev', '--port', '0', '--state-dir', '.state', '--watch',
      '--synth-command', synthCommand], project);
    expect(fs.readFileSync(log, 'utf8')).toBe('synthesized\n');
    expect((await fetch(`${url}/dev/hello`)).status).toBe(200);

    const reloaded = new Promise<string>(resolve => {
      let out = '';
      child!.stdout!.on('data', d => { out += String(d); if (/Reloaded in|Synth failed/.test(out)) { resolve(out); } });
    });
    fs.writeFileSync(path.join(project, 'app.ts'), '// changed');
    expect(await reloaded).toMatch(/Reloaded in \d+ ms/);
    expect((await fetch(`${url}/dev/hello`)).status).toBe(200);
  } finally {
    child?.kill('SIGKILL');
    fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(log, { force: true });
  }
});
