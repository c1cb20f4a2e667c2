#!/usr/bin/env node
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { assertEngines } from './engines';
import type { LocalInfo } from './server/local-info';

const USAGE = `Serves the synthesized REST APIs of one stage on localhost, with API Gateway's rules enforced.

Usage: serverless-api-local [options]

  --stage <name>          the cdk.Stage to serve (e.g. Dev); optional when the app has one stage or none
  --assembly <dir>        the cloud assembly to read (default: cdk.out)
  --port <n>              port (default: $PORT or 3000)
  --host <address>        interface (default: 127.0.0.1)
  --synth                 run the synth command first (it also runs when <assembly> has no manifest)
  --synth-command <cmd>   how to synthesize; it writes the assembly into $CDK_OUTDIR, as CDK apps do
                          (default: npx cdk synth '**' --quiet -o <dir>)
  --watch                 re-synthesize when files change and serve the new assembly on the same port
  --state-dir <dir>       where DynamoDB data, API key values and credentials are kept (default: .local-api)
  --no-persist            keep nothing between runs
  --concurrency <n>       warm instances per function (default: 4)
  --backend <from>=<to>   send HTTP integrations (and VPC links) for origin <from> to <to> instead,
                          e.g. --backend https://legacy.example.com=http://127.0.0.1:4000 (repeatable)
  --quiet                 do not print requests and function output
  --help
`;

interface CliOptions {
  stage?: string;
  assembly: string;
  port: number;
  host: string;
  synth: boolean;
  synthCommand?: string;
  watch: boolean;
  stateDir?: string;
  concurrency: number;
  backends: { [origin: string]: string };
  quiet: boolean;
}

function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = {
    assembly: 'cdk.out', port: Number(process.env.PORT ?? 3000), host: '127.0.0.1', synth: false, watch: false,
    stateDir: '.local-api', concurrency: 4, backends: {}, quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) { throw new Error(`${arg} needs a value.\n\n${USAGE}`); }
      return v;
    };
    switch (arg) {
      case '--stage': options.stage = value(); break;
      case '--assembly': case '-o': options.assembly = value(); break;
      case '--port': case '-p': options.port = Number(value()); break;
      case '--host': options.host = value(); break;
      case '--synth': options.synth = true; break;
      case '--synth-command': options.synthCommand = value(); break;
      case '--watch': case '-w': options.watch = true; break;
      case '--state-dir': options.stateDir = value(); break;
      case '--no-persist': options.stateDir = undefined; break;
      case '--concurrency': options.concurrency = Number(value()); break;
      case '--backend': {
        const mapping = value();
        const at = mapping.indexOf('=');
        if (at <= 0) { throw new Error(`--backend takes <from origin>=<to origin> (received '${mapping}').`); }
        options.backends[mapping.slice(0, at)] = mapping.slice(at + 1);
        break;
      }
      case '--quiet': case '-q': options.quiet = true; break;
      case '--help': case '-h': process.stdout.write(USAGE); process.exit(0); break;
      default: throw new Error(`Unknown option ${arg}.\n\n${USAGE}`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`--port must be a port number (received ${options.port}).`);
  }
  return options;
}

/**
 * Runs the synth command into `outDir` (`-o` of the default command; `CDK_OUTDIR`, which a CDK app
 * writes its assembly to, for any command); rejects with its output when it fails.
 */
function synth(command: string | undefined, outDir: string): Promise<void> {
  const cmd = command ?? `npx cdk synth '**' --quiet -o ${JSON.stringify(outDir)}`;
  fs.mkdirSync(outDir, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CDK_OUTDIR: path.resolve(outDir) } });
    let output = '';
    child.stdout.on('data', d => { output += d; });
    child.stderr.on('data', d => { output += d; });
    child.on('exit', code => (code === 0 ? resolve() : reject(new Error(`${cmd} failed (exit ${code}):\n${output.slice(-4000)}`))));
  });
}

function banner(info: LocalInfo, options: CliOptions): string {
  const lines = [`Serving stage ${info.stage || '(app)'} of ${path.resolve(options.assembly)} (${info.region}, account ${info.account})`, ''];
  for (const api of info.apis) {
    lines.push(`  ${api.name}  ${api.url}   (${api.routes.length} routes)`);
    for (const route of api.routes) {
      const auth = route.authorization === 'NONE' ? '' : ` ${route.authorization}${route.scopes ? ` [${route.scopes.join(' ')}]` : ''}${route.authorizer ? ` ${route.authorizer}` : ''}`;
      lines.push(`    ${route.method.padEnd(7)} ${api.url}${route.path}${auth}${route.apiKeyRequired ? ' +api key' : ''}`);
    }
  }
  for (const socket of info.webSocketApis) {
    lines.push(`  ${socket.name}  ${socket.url}   (WebSocket, routes by ${socket.routeSelectionExpression}; @connections at ${socket.managementEndpoint}/@connections/<id>)`);
    for (const domainUrl of socket.domainUrls) { lines.push(`    also at ${domainUrl}`); }
    for (const route of socket.routes) {
      lines.push(`    ${route.routeKey.padEnd(14)} ${route.integration}${route.function ? ` ${route.function}` : ''}${route.authorization === 'NONE' ? '' : ` ${route.authorization}`}${route.twoWay ? ' (two-way)' : ''}`);
    }
  }
  if (info.apiKeys.length > 0) {
    lines.push('', 'API keys (send as x-api-key):');
    for (const key of info.apiKeys) { lines.push(`  ${key.name.padEnd(24)} ${key.value}   plans: ${key.usagePlans.join(', ') || '(none)'}`); }
  }
  if (info.userPools.length > 0) {
    lines.push('', 'Cognito tokens (send the idToken, or the accessToken for routes with scopes, as Authorization):');
    lines.push(`  curl -s -X POST ${info.tokenEndpoint} -d '{"username":"alice@example.com","groups":["admins"],"scopes":[]}'`);
    for (const pool of info.userPools) { lines.push(`  pool ${pool.id} (${pool.path}) scopes: ${pool.scopes.join(', ') || '(none)'}`); }
  }
  lines.push('', 'IAM (SigV4, region ' + info.iam.region + '): local credentials of the principals granted execute-api:Invoke');
  for (const p of info.iam.principals) {
    lines.push(`  ${p.arn}${p.grants.length === 0 ? '  (no grant)' : ''}\n    AWS_ACCESS_KEY_ID=${p.accessKeyId} AWS_SECRET_ACCESS_KEY=${p.secretAccessKey}`);
  }
  lines.push('', `DynamoDB: ${info.dynamodbEndpoint} (tables: ${info.tables.map(t => t.name).join(', ') || 'none'})`);
  lines.push(`Lambda Invoke API: ${info.url}/2015-03-31/functions/<name>/invocations   Everything above as JSON: ${info.url}/_local/info`);
  for (const warning of info.warnings) { lines.push(`warning: ${warning}`); }
  return lines.join('\n');
}

/** Calls `onChange` (debounced) when a source file of the app changes. */
function watchSources(root: string, ignored: string[], onChange: () => void): fs.FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  const skip = /(^|[\\/])(node_modules|cdk\.out[^\\/]*|\.git|dist|coverage|test)([\\/]|$)|\.(d\.ts|js\.map)$|~$/;
  return fs.watch(root, { recursive: true }, (_event, file) => {
    if (!file) { return; }
    const name = file.toString();
    if (skip.test(name) || ignored.some(i => name === i || name.startsWith(`${i}${path.sep}`))) { return; }
    clearTimeout(timer);
    timer = setTimeout(onChange, 400);
  });
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  assertEngines();
  // Loaded after the check, so a missing engine is reported as such rather than as a failed require.
  const { listStages } = await import('./assembly/cloud-assembly');
  const { LocalApi } = await import('./local-api');
  const manifest = path.join(options.assembly, 'manifest.json');
  if (options.synth || !fs.existsSync(manifest)) {
    process.stdout.write(`Synthesizing into ${options.assembly} ...\n`);
    await synth(options.synthCommand, options.assembly);
  }
  if (options.stage === undefined) {
    const stages = listStages(options.assembly);
    if (stages.length > 1) {
      throw new Error(`The app has several stages (${stages.join(', ')}): pick one with --stage.`);
    }
  }
  const log = options.quiet ? undefined : (line: string) => process.stdout.write(`${line}\n`);
  const api = await LocalApi.start({
    assembly: options.assembly, stage: options.stage, port: options.port, host: options.host,
    stateDirectory: options.stateDir, concurrency: options.concurrency, backends: options.backends, log, projectDirectory: process.cwd(),
  });
  process.stdout.write(`${banner(api.info(), options)}\n\nListening on ${api.url}${options.watch ? ' (watching for changes)' : ''}. Ctrl-C stops.\n`);

  let watcher: fs.FSWatcher | undefined;
  if (options.watch) {
    let generation = 0;
    let running: Promise<void> | undefined;
    let again = false;
    const rebuild = async (): Promise<void> => {
      if (running) { again = true; return; }
      const dir = path.join(options.stateDir ?? '.local-api', 'synth', String(++generation % 2));
      running = (async () => {
        process.stdout.write('Change detected: synthesizing ...\n');
        const started = Date.now();
        try {
          fs.rmSync(dir, { recursive: true, force: true });
          await synth(options.synthCommand, dir);
          await api.reload(dir);
          process.stdout.write(`Reloaded in ${Date.now() - started} ms: serving the new assembly on ${api.url}\n`);
        } catch (err) {
          process.stdout.write(`Synth failed; still serving the previous assembly.\n${(err as Error).message}\n`);
        }
      })();
      await running;
      running = undefined;
      if (again) { again = false; await rebuild(); }
    };
    watcher = watchSources(process.cwd(), [options.assembly, options.stateDir ?? '.local-api'], () => { void rebuild(); });
  }

  const shutdown = async () => {
    watcher?.close();
    await api.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => { void shutdown(); });
  process.once('SIGTERM', () => { void shutdown(); });
}

main().catch(err => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
