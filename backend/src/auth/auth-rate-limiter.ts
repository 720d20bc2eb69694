import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
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
  private readonly byIp: RateLimiterMemory;
  private readonly byEmail: RateLimiterMemory;

  constructor(limits: AuthRateLimits) {
    this.byIp = new RateLimiterMemory({ keyPrefix: 'auth-ip', points: limits.perIp, duration: limits.windowSeconds });
    this.byEmail = new RateLimiterMemory({ keyPrefix: 'auth-email', points: limits.perEmail, duration: limits.windowSeconds });
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
