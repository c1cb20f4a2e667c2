import type { ServerlessApi } from '../api/serverless-api';

/** The largest request body each API's library handlers accept, by API. */
const LIMITS = new WeakMap<ServerlessApi, number[]>();

/** Records that a route of `api` accepts bodies up to `maxBodyBytes` (CRUD resources do). @internal */
export function registerBodyLimit(api: ServerlessApi, maxBodyBytes: number): void {
  const limits = LIMITS.get(api) ?? [];
  limits.push(maxBodyBytes);
  LIMITS.set(api, limits);
}

/** The largest body limit recorded for `api`, if any. @internal */
export function largestBodyLimit(api: ServerlessApi): number | undefined {
  const limits = LIMITS.get(api) ?? [];
  return limits.length > 0 ? Math.max(...limits) : undefined;
}
