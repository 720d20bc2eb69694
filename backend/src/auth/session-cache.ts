import type { Redis } from 'ioredis';

/**
 * Remembers which sessions were active a moment ago, so an authenticated request does not need a
 * database round trip just to learn that its session was not revoked.
 *
 * Revocation stays immediate: revoking on this instance drops the entry at once, and with
 * `REDIS_URL` set every other instance hears of it over pub/sub within milliseconds. The TTL is
 * the backstop for a revocation message lost while Redis was unreachable.
 */
export class SessionCache {
  private readonly active = new Map<string, { userId: string; checkedAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number,
    private readonly maxEntries = 50_000,
  ) {}

  get(sessionId: string): string | undefined {
    const entry = this.active.get(sessionId);
    if (!entry) return undefined;
    if (this.clock() - entry.checkedAt >= this.ttlMs) {
      this.active.delete(sessionId);
      return undefined;
    }
    return entry.userId;
  }

  remember(sessionId: string, userId: string) {
    if (this.active.size >= this.maxEntries) this.active.delete(this.active.keys().next().value!);
    this.active.set(sessionId, { userId, checkedAt: this.clock() });
  }

  forget(sessionId: string) {
    this.active.delete(sessionId);
  }
}

export interface SessionRevocationFeed {
  /** Tells every instance (this one included) that a session ended. */
  publish(sessionId: string): Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = 'collaro:sessions:revoked';

/**
 * Carries session revocations between backend instances over Redis pub/sub, publishing through
 * the app's shared Redis client and listening on a connection of its own (a subscribed
 * connection can do nothing else).
 */
export function connectRedisRevocationFeed(
  redis: Redis,
  onRevoked: (sessionId: string) => void,
  onError: (error: Error) => void,
): SessionRevocationFeed {
  // No waiting for the connection: an unreachable Redis must not keep the server from starting.
  // ioredis reconnects on its own and sends the queued subscription once Redis is back.
  const subscriber = redis.duplicate({ maxRetriesPerRequest: null });
  subscriber.on('error', onError);
  subscriber.on('message', (_channel: string, sessionId: string) => onRevoked(sessionId));
  subscriber.subscribe(CHANNEL).catch(onError);
  return {
    publish: async (sessionId) => {
      await redis.publish(CHANNEL, sessionId).catch(onError);
    },
    close: async () => {
      subscriber.disconnect();
    },
  };
}
