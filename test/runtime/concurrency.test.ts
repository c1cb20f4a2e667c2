import type { APIGatewayProxyResult } from 'aws-lambda';
import { useCrudHandlers } from './dynalite';
import { getOne, invoke, parseBody, post, put } from './events';

const fx = useCrudHandlers('concurrency-items');

const WRITERS = 50;
/**
 * Read-modify-write clients retrying on 409 do O(n²) requests (every round, each remaining client reads
 * and writes, one wins): 50 clients made ~2,500 requests, minutes on a busy 2-core machine. 12 clients
 * (~150 requests) still race on every round; the test checks that contention really happened.
 */
const COUNTER_CLIENTS = 12;

describe('optimistic locking under concurrency', () => {
  test(`GIVEN one item at version 1 WHEN ${WRITERS} concurrent PUTs carry version 1 THEN exactly one wins and the store holds its payload at version 2`, async () => {
    const id = 'race-item';
    expect((await invoke(fx.h.create, post({ id, writer: 'creator' }))).statusCode).toBe(201);

    const results: APIGatewayProxyResult[] = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => invoke(fx.h.update, put(id, { version: 1, writer: `w${i}` }))),
    );

    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(WRITERS - 1);
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(parseBody(r).error).toMatchObject({ code: 'Conflict', currentVersion: 2 });
    }

    const winner = parseBody(results.find((r) => r.statusCode === 200)!);
    expect(winner.version).toBe(2);
    const stored = parseBody(await invoke(fx.h.get, getOne(id)));
    expect(stored).toEqual(winner);
    expect(stored.writer).toMatch(/^w\d+$/);
  });

  test(`GIVEN ${COUNTER_CLIENTS} read-modify-write clients incrementing a counter WHEN they retry on 409 THEN no update is lost`, async () => {
    const id = 'counter-item';
    expect((await invoke(fx.h.create, post({ id, counter: 0 }))).statusCode).toBe(201);
    const MAX_ATTEMPTS = 200;

    const client = async (): Promise<number> => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const read = await invoke(fx.h.get, getOne(id));
        expect(read.statusCode).toBe(200);
        const current = parseBody(read);
        const res = await invoke(fx.h.update, put(id, { ...current, counter: current.counter + 1 }));
        if (res.statusCode === 200) {
          return attempt;
        }
        expect(res.statusCode).toBe(409);
      }
      throw new Error(`update not applied after ${MAX_ATTEMPTS} attempts`);
    };

    const attempts = await Promise.all(Array.from({ length: COUNTER_CLIENTS }, () => client()));
    expect(attempts).toHaveLength(COUNTER_CLIENTS);

    const final = parseBody(await invoke(fx.h.get, getOne(id)));
    expect(final.counter).toBe(COUNTER_CLIENTS);
    expect(final.version).toBe(COUNTER_CLIENTS + 1);
    // Contention really happened (otherwise this test proves nothing).
    expect(attempts.some((a) => a > 1)).toBe(true);
  });
});
