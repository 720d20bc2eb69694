import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { tooManyRequests } from './domain-errors.js';

/**
 * A counter of `points` per `durationSeconds` window. With a Redis client the counts are shared by
 * every instance; if Redis becomes unreachable each instance falls back to counting on its own
 * rather than letting requests through unlimited.
 */
export function createRateLimiter(keyPrefix: string, points: number, durationSeconds: number, redis?: Redis): RateLimiterAbstract {
  const options = { keyPrefix, points, duration: durationSeconds };
  const memory = new RateLimiterMemory(options);
  return redis ? new RateLimiterRedis({ ...options, keyPrefix: `collaro:${keyPrefix}`, storeClient: redis, insuranceLimiter: memory }) : memory;
}

/** Takes a point, or throws 429 with Retry-After when the key is over its budget. */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string, points = 1): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw tooManyRequests(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    throw rejection;
  }
}
