/** A budget of `burst` units at once, refilled at `perSecond`: frames per connection, replayed bytes, refusals. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  private refill() {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  /** Takes one token; returns 0 when allowed, otherwise how many milliseconds until one is available. */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  /** Spends work already done, possibly past zero: the debt delays whatever asks next. */
  charge(cost: number) {
    this.refill();
    this.tokens -= cost;
  }

  /** True once the whole burst is available again: the bucket is then no different from a new one. */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  /** Milliseconds until the budget is no longer in debt (0 when it is not). */
  msUntilSolvent(): number {
    this.refill();
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSecond) * 1000);
  }
}
