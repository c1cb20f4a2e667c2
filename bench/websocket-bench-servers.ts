/**
 * The servers of the WebSocket benchmark, in their own process (as API Gateway and DynamoDB are
 * remote in production, so the benchmark's client process does only the client's work): dynalite and
 * the management API stand-in, both on 127.0.0.1. Driven by bench/websocket-bench.ts over IPC.
 */
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import { ManagementApiStandIn, startManagementApiStandIn } from '../test/runtime/management-api-stand-in';

interface Command { readonly type: 'reset' | 'stats' | 'stop'; readonly connections?: number; readonly goneEvery?: number }

async function main(): Promise<void> {
  const connections = Number(process.env.WS_BENCH_CONNECTIONS);
  const goneEvery = Number(process.env.WS_BENCH_GONE_EVERY);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite: Server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>(resolve => dynalite.listen(0, '127.0.0.1', () => resolve()));
  const gone = new Set(Array.from({ length: connections }, (_, i) => i).filter(i => i % goneEvery === 0).map(i => `conn-${i}`));
  const api: ManagementApiStandIn = await startManagementApiStandIn({ gone });
  let cpu = process.cpuUsage();
  const handle = async (command: Command): Promise<void> => {
    if (command.type === 'reset') {
      api.reset();
      cpu = process.cpuUsage();
      process.send!({ type: 'reset' });
    } else if (command.type === 'stats') {
      let liveOnce = true;
      for (let i = 0; i < connections; i++) {
        const id = `conn-${i}`;
        const n = api.delivered.get(id)?.length ?? 0;
        if ((gone.has(id) && n !== 0) || (!gone.has(id) && n !== 1)) { liveOnce = false; break; }
      }
      const used = process.cpuUsage(cpu);
      process.send!({
        type: 'stats', liveOnce, maxInFlight: api.maxInFlight(), posts: [...api.attempts.values()].reduce((a, b) => a + b, 0),
        // The servers' own CPU since the reset (dynalite and the stand-in; the count above is not in it).
        cpuSeconds: (used.user + used.system) / 1e6,
      });
    } else {
      await api.stop();
      await new Promise<void>(resolve => {
        dynalite.close(() => resolve());
        (dynalite as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      process.exit(0);
    }
  };
  process.on('message', (command: Command) => {
    void handle(command);
  });
  process.send!({ type: 'ready', dynamoEndpoint: `http://127.0.0.1:${(dynalite.address() as AddressInfo).port}`, apiEndpoint: api.endpoint });
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
