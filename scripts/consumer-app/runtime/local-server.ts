// The local server as a user's tests and shell use it, from the packed tarball: scripts/consumer-check.sh
// compiles and runs this once the app has the engines (the command the package printed without them)
// and the AWS SDK installed. It serves the app's synthesized Dev stage (cdk.out) through
// `serverless-api-constructs/local` (LocalApi) and through the `serverless-api-local` bin.
import { spawn } from 'child_process';
import { LocalApi } from 'serverless-api-constructs/local';
import type { LocalApiEntry, LocalApiOptions, RecordedMessage } from 'serverless-api-constructs/local';

function check(ok: boolean, what: string): void {
  if (!ok) { throw new Error(`consumer-check local server: ${what}`); }
}

async function viaLocalApi(): Promise<void> {
  const options: LocalApiOptions = { assembly: 'cdk.out', stage: 'Dev' };
  const api = await LocalApi.start(options);
  try {
    const entry: LocalApiEntry = api.info().apis[0];
    const health = await fetch(`${entry.url}/health`);
    check(health.status === 200 && (await health.text()) === '{"ok":true}', `GET /health answered ${health.status}`);
    const anonymous = await fetch(`${entry.url}/todos`);
    check(anonymous.status === 401, `GET /todos without a token answered ${anonymous.status}, not 401`);
    // The library's prebuilt CRUD handler, run from the assembly against the local table.
    const { idToken } = api.token({ username: 'alice@example.com' });
    const listed = await fetch(`${entry.url}/todos`, { headers: { authorization: idToken } });
    check(listed.status === 200, `GET /todos with a token answered ${listed.status}: ${await listed.text()}`);
    const messages: RecordedMessage[] = api.messages();
    check(messages.length === 0, 'no AWS service integration ran');
  } finally {
    await api.stop();
  }
}

async function viaBin(): Promise<void> {
  const child = spawn(process.execPath, ['node_modules/.bin/serverless-api-local', '--stage', 'Dev', '--port', '0', '--no-persist', '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const healthUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', d => {
        out += String(d);
        const route = /GET +(http:\/\/127\.0\.0\.1:\d+\S*\/health)\n/.exec(out);
        if (route && /Listening on /.test(out)) { resolve(route[1]); }
      });
      child.stderr.on('data', d => { out += String(d); });
      child.once('exit', code => reject(new Error(`serverless-api-local exited with ${code}: ${out}`)));
    });
    const health = await fetch(healthUrl);
    check(health.status === 200, `serverless-api-local: GET ${healthUrl} answered ${health.status}`);
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
    child.kill('SIGTERM');
    check(await exited === 0, 'serverless-api-local stops with exit 0 on SIGTERM');
  } finally {
    if (child.exitCode === null) { child.kill('SIGKILL'); }
  }
}

async function main(): Promise<void> {
  await viaLocalApi();
  await viaBin();
  console.log('  serverless-api-constructs/local and serverless-api-local: served the Dev stage (public route, Cognito, CRUD handler)');
}

main().catch(e => { console.error(e); process.exit(1); });
