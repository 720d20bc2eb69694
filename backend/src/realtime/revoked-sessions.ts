import { WS_CLOSE_CODES } from '@collaro/shared';
import type { TopicHub } from './topic-hub.js';

/** How long a revoked session is remembered, for an `auth` frame whose token was checked just before the revocation. */
const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 10_000;

/**
 * Closes the sockets of sessions that ended (logout, a replayed refresh token) with
 * WS_CLOSE_CODES.authFailed, so a socket opened earlier stops sending and receiving at once rather
 * than when its token expires. Revocations are rare, so finding the session's sockets by walking
 * this instance's connections costs less than keeping an index by session on every connection.
 */
export class RevokedSessions {
  private readonly recent = new Map<string, number>();

  constructor(private readonly hub: TopicHub) {}

  revoke(sessionId: string, now = Date.now()) {
    if (this.recent.size >= MAX_REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(sessionId, now);
    for (const connection of this.hub.connections) {
      if (connection.sessionId === sessionId) connection.close(WS_CLOSE_CODES.authFailed, 'session ended: sign in again');
    }
  }

  /** Whether the session was revoked a moment ago (its token may have been accepted while that happened). */
  has(sessionId: string | null): boolean {
    return sessionId !== null && this.recent.has(sessionId);
  }

  prune(now = Date.now()) {
    for (const [sessionId, at] of this.recent) {
      if (now - at < REMEMBER_MS) break;
      this.recent.delete(sessionId);
    }
  }
}
