import type { RedisLink } from '../plugins/redis.js';

/**
 * Remembers which sessions were active a moment ago, so an authenticated request does not need a
 * database round trip just to learn that its session was not revoked.
 *
 * Revocation stays immediate: revoking on this instance drops the entry at once, and with
 * `REDIS_URL` set every other instance hears of it over pub/sub within milliseconds (see
 * SessionRevocations). The TTL is the backstop for a revocation message lost while Redis was
 * unreachable. A revoked session is remembered as such for the TTL, so a lookup that read the
 * session just before it was revoked cannot put it back.
 */
export class SessionCache {
  private readonly active = new Map<string, { userId: string; checkedAt: number }>();
  private readonly revoked = new Map<string, number>();

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
    const revokedAt = this.revoked.get(sessionId);
    if (revokedAt !== undefined) {
      if (this.clock() - revokedAt < this.ttlMs) return;
      this.revoked.delete(sessionId);
    }
    if (this.active.size >= this.maxEntries) this.active.delete(this.active.keys().next().value!);
    this.active.set(sessionId, { userId, checkedAt: this.clock() });
  }

  forget(sessionId: string) {
    this.active.delete(sessionId);
    if (this.revoked.size >= this.maxEntries) this.revoked.delete(this.revoked.keys().next().value!);
    this.revoked.set(sessionId, this.clock());
  }
}

const CHANNEL = 'collaro:sessions:revoked';

/** Revocations waiting for Redis to come back, at most this many (the oldest are dropped past it). */
const MAX_PENDING = 10_000;

/**
 * Tells every part of the app that cares (the session cache, the realtime gateway's open sockets)
 * that a session ended, on this instance at once and on every other one through the app's Redis
 * link when there is one. A revocation made while Redis is unreachable is sent once it is back,
 * since an open socket elsewhere would otherwise keep working until its token expires.
 */
export class SessionRevocations {
  private readonly listeners = new Set<(sessionId: string) => void>();
  private readonly pending = new Set<string>();

  constructor(private readonly link: RedisLink | null) {
    if (!link) return;
    link.subscribe(CHANNEL, (sessionId, fromThisInstance) => {
      if (!fromThisInstance) this.emit(sessionId);
    });
    link.onStatus((status) => {
      if (status === 'shared') this.flush();
    });
  }

  onRevoked(listener: (sessionId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(sessionId: string) {
    this.emit(sessionId);
    if (!this.link || this.link.publish(CHANNEL, sessionId)) return;
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.values().next().value!);
    this.pending.add(sessionId);
  }

  private flush() {
    for (const sessionId of this.pending) {
      if (!this.link!.publish(CHANNEL, sessionId)) return;
      this.pending.delete(sessionId);
    }
  }

  private emit(sessionId: string) {
    for (const listener of this.listeners) listener(sessionId);
  }
}
