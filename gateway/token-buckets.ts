/**
 * Token buckets, one per key, in this process's memory. A bucket refills evenly at its rate
 * and holds at most its capacity, so a quiet caller may spend a burst at once while a steady
 * one is held to the rate; unlike a fixed window, no boundary lets twice the limit through.
 * Hand-written: rate-limiter-flexible is not a dependency, and its in-memory limiter counts
 * fixed windows, so neither that boundary nor the exact Retry-After of a refill would hold.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private lastSweep: number;

  /** `clock` is in milliseconds; tests pass a fixed one so the Retry-After they expect is exact. */
  constructor(
    perMinute: number,
    private readonly capacity: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
    this.lastSweep = clock();
  }

  /** Whole seconds until `key` has a token to spend: 0 when it has one now. */
  secondsUntilToken(key: string): number {
    const tokens = this.tokens(key, this.clock());
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.perMs / 1000);
  }

  /** Spends one of `key`'s tokens (once secondsUntilToken said there is one). */
  take(key: string): void {
    const now = this.clock();
    this.buckets.set(key, { tokens: this.tokens(key, now) - 1, at: now });
    this.sweep(now);
  }

  private tokens(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    return bucket ? Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perMs) : this.capacity;
  }

  /** A full bucket says nothing a missing one does not: forget those, so memory follows the active callers. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.capacity / this.perMs) return;
    this.lastSweep = now;
    for (const key of [...this.buckets.keys()]) if (this.tokens(key, now) >= this.capacity) this.buckets.delete(key);
  }

  /** How many callers are remembered (for tests of the sweep). */
  get size(): number {
    return this.buckets.size;
  }
}
