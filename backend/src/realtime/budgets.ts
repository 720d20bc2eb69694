import type { RealtimeLimits } from './realtime-limits.js';
import { TokenBucket } from './token-bucket.js';

/**
 * What one user may make this instance do, shared by all their connections and kept after the last
 * one closes until it has refilled, so that reconnecting does not hand out a fresh allowance: frames
 * per second, refusals they may keep provoking, bytes of history replayed, and connections opened.
 */
export class Budget {
  readonly frames: TokenBucket;
  // Created on first use: most users are never refused and rarely resume.
  private refusalBucket: TokenBucket | undefined;
  private replayBucket: TokenBucket | undefined;
  private connectBucket: TokenBucket | undefined;

  constructor(private readonly limits: RealtimeLimits) {
    this.frames = new TokenBucket(limits.rateBurst, limits.ratePerSecond);
  }

  get refusals(): TokenBucket {
    return (this.refusalBucket ??= new TokenBucket(this.limits.maxRejectedFrames, this.limits.ratePerSecond));
  }

  get replay(): TokenBucket {
    return (this.replayBucket ??= new TokenBucket(this.limits.replayBurstBytes, this.limits.replayBytesPerSecond));
  }

  get connects(): TokenBucket {
    return (this.connectBucket ??= new TokenBucket(this.limits.connectBurst, this.limits.connectsPerSecond));
  }

  /** Whole again: forgetting it now gives its user nothing they would not have anyway. */
  isFull(): boolean {
    return [this.frames, this.refusalBucket, this.replayBucket, this.connectBucket].every((bucket) => !bucket || bucket.isFull());
  }
}

export class UserBudgets {
  private readonly byUser = new Map<string, Budget>();

  constructor(private readonly limits: RealtimeLimits) {}

  of(userId: string): Budget {
    let budget = this.byUser.get(userId);
    if (!budget) this.byUser.set(userId, (budget = new Budget(this.limits)));
    return budget;
  }

  /** Drops the budgets of users with no connection here once they are full again. */
  prune(isConnected: (userId: string) => boolean) {
    for (const [userId, budget] of this.byUser) if (!isConnected(userId) && budget.isFull()) this.byUser.delete(userId);
  }
}
