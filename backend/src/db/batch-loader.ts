/** How a BatchLoader groups its keys. */
export interface BatchLoaderOptions {
  /** Most keys in one query. */
  maxBatch?: number;
  /**
   * While lookups keep coming (a batch ended less than HOT_MS ago), how long a new batch waits for
   * more keys before its query starts. Sockets of a reconnect storm arrive a few at a time over
   * seconds: without a wait each query answers two or three of them, and the per-query cost
   * dominates. A lookup after a quiet moment never waits.
   */
  collectMs?: number;
}

/** How recently a batch must have ended for the loader to count as busy with a burst. */
const HOT_MS = 100;

/**
 * Coalesces lookups made at the same moment into one query: the keys asked for while a batch is
 * being read wait and go together in the next one. When many clients reconnect at once (a server
 * instance restarted), thousands of authentications cost a few dozen queries instead of one or
 * more each. Nothing is cached: every answer comes from a query that started after it was asked.
 */
export class BatchLoader<K, V> {
  private pending = new Map<K, { resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[]>();
  private busy = false;
  private lastBatchEndedAt = -Infinity;
  private readonly maxBatch: number;
  private readonly collectMs: number;

  constructor(
    private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>,
    options: BatchLoaderOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.collectMs = options.collectMs ?? 0;
  }

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.busy) {
        this.busy = true;
        this.schedule();
      }
    });
  }

  private schedule() {
    const inBurst = this.collectMs > 0 && performance.now() - this.lastBatchEndedAt < HOT_MS;
    // A full batch (or a lone lookup) goes at once; otherwise others made in this turn of the event
    // loop, or during a burst within collectMs, join it.
    if (inBurst && this.pending.size < this.maxBatch) setTimeout(() => void this.run(), this.collectMs);
    else setImmediate(() => void this.run());
  }

  private async run() {
    const keys = [...this.pending.keys()].slice(0, this.maxBatch);
    const batch = keys.map((key) => [key, this.pending.get(key)!] as const);
    for (const key of keys) this.pending.delete(key);
    try {
      const values = await this.loadMany(keys);
      for (const [key, waiters] of batch) for (const waiter of waiters) waiter.resolve(values.get(key));
    } catch (error) {
      for (const [, waiters] of batch) for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.lastBatchEndedAt = performance.now();
      if (this.pending.size > 0) this.schedule();
      else this.busy = false;
    }
  }
}
