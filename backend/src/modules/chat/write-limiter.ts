import type { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { consumeOrRefuse, createRateLimiter } from '../../rate-limiter-store.js';
import { DEFAULT_REALTIME_LIMITS, type RealtimeLimits } from '../../realtime/gateway.js';

/**
 * Chat writes over HTTP (posting, opening a direct message, creating, renaming or archiving a
 * channel: every non-GET route of modules/channels/routes.ts) get a budget per user of the size a user's WebSocket frames have: `rateBurst` at once, `ratePerSecond`
 * on average (counted in windows of rateBurst / ratePerSecond seconds), counted apart from them. Every post is broadcast
 * to the channel, so without it one account could flood every member's screen through HTTP while
 * its socket is limited. With Redis the budget is one for the user across all instances.
 */
export class ChatWriteLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(limits: Pick<RealtimeLimits, 'rateBurst' | 'ratePerSecond'> = DEFAULT_REALTIME_LIMITS, redis?: Redis) {
    this.limiter = createRateLimiter('chat-http', limits.rateBurst, limits.rateBurst / limits.ratePerSecond, redis);
  }

  /** Takes one write from the user's budget, or throws 429 with Retry-After. */
  async take(userId: string): Promise<void> {
    await consumeOrRefuse(this.limiter, userId);
  }
}
