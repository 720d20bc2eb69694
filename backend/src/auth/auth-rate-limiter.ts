import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { tooManyRequests } from '../http-errors.js';

export interface AuthRateLimits {
  perIp: number;
  perEmail: number;
  windowSeconds: number;
}

/**
 * Limits sign-in and sign-up attempts per client address and per email address, so neither a
 * single machine nor a botnet aimed at one account can guess passwords quickly.
 */
export class AuthRateLimiter {
  private readonly byIp: RateLimiterAbstract;
  private readonly byEmail: RateLimiterAbstract;

  /**
   * With a Redis client the counts are shared by every instance; if Redis becomes unreachable each
   * instance falls back to counting on its own rather than letting attempts through unlimited.
   */
  constructor(limits: AuthRateLimits, redis?: Redis) {
    const limiter = (keyPrefix: string, points: number) => {
      const options = { keyPrefix, points, duration: limits.windowSeconds };
      const memory = new RateLimiterMemory(options);
      return redis
        ? new RateLimiterRedis({ ...options, keyPrefix: `collaro:${keyPrefix}`, storeClient: redis, insuranceLimiter: memory })
        : memory;
    };
    this.byIp = limiter('auth-ip', limits.perIp);
    this.byEmail = limiter('auth-email', limits.perEmail);
  }

  async consume(ip: string, email: string) {
    try {
      await this.byIp.consume(ip);
      await this.byEmail.consume(email);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw tooManyRequests(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      throw rejection;
    }
  }
}
