/**
 * LocalApi.start refuses options it cannot honour, naming the option, the value and what it takes,
 * before it reads an assembly or starts anything (a concurrency of 0 or NaN would queue every
 * invocation forever; a TTL sweep of 0 ms would spin).
 */
import { LocalApi, LocalApiOptions } from '../../lib/local';

const NO_ASSEMBLY = '/nonexistent/cdk.out';

test.each<[string, LocalApiOptions, string]>([
  ['concurrency 0', { concurrency: 0 }, 'concurrency must be a positive integer (received 0).'],
  ['concurrency NaN (the CLI given --concurrency abc)', { concurrency: Number('abc') }, 'concurrency must be a positive integer (received NaN).'],
  ['concurrency 1.5', { concurrency: 1.5 }, 'concurrency must be a positive integer (received 1.5).'],
  ['port 70000', { port: 70000 }, 'port must be an integer from 0 to 65535 (received 70000).'],
  ['maxIntegrationTimeoutMs 0', { maxIntegrationTimeoutMs: 0 }, 'maxIntegrationTimeoutMs must be a positive number of milliseconds (received 0).'],
  ['ttlSweepMs -1', { ttlSweepMs: -1 }, 'ttlSweepMs must be a positive number of milliseconds (received -1).'],
  ['accountThrottle rate NaN', { accountThrottle: { rateLimit: NaN, burstLimit: 10 } }, 'accountThrottle.rateLimit must be a number of 0 or more (received NaN).'],
  ['accountThrottle burst -1', { accountThrottle: { rateLimit: 10, burstLimit: -1 } }, 'accountThrottle.burstLimit must be a number of 0 or more (received -1).'],
])('GIVEN %s THEN start rejects naming the option', async (_name, options, message) => {
  await expect(LocalApi.start({ assembly: NO_ASSEMBLY, ...options })).rejects.toThrow(message);
});

test('GIVEN valid options THEN the first problem reported is the missing assembly, not an option', async () => {
  await expect(LocalApi.start({ assembly: NO_ASSEMBLY, concurrency: 1, port: 0, maxIntegrationTimeoutMs: 1, ttlSweepMs: 1 }))
    .rejects.toThrow(/nonexistent/);
});
