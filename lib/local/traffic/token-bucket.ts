/**
 * API Gateway's throttling algorithm: a bucket of `burst` tokens, refilled at `rate` tokens per second;
 * a request takes one token or is throttled (429). A bucket starts full.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: number, private readonly burst: number, now: number = Date.now()) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes a token if one is left. */
  public take(now: number = Date.now()): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

/** Token buckets by key, created on first use. */
export class Buckets {
  private readonly buckets = new Map<string, TokenBucket>();

  /**
   * Takes a token from the bucket `key` with these limits. No limits (rate and burst undefined) means
   * no throttling. A burst of 0 throttles every request, as API Gateway does.
   */
  public take(key: string, rate: number | undefined, burst: number | undefined, now: number = Date.now()): boolean {
    if (rate === undefined && burst === undefined) { return true; }
    const r = rate ?? Number.MAX_SAFE_INTEGER;
    const b = burst ?? Math.max(1, Math.ceil(r));
    const id = `${key}|${r}|${b}`;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = new TokenBucket(r, b, now);
      this.buckets.set(id, bucket);
    }
    return bucket.take(now);
  }
}
