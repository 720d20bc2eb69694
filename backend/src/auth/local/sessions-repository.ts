import { and, eq, gt, isNull, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { preparedPerDatabase, type Database, type Queryable } from '../../db/client.js';
import { refreshTokens, sessions } from '../../db/schema/index.js';
import { anyUuid } from '../../db/any-of.js';

export async function insertSession(db: Queryable, input: { userId: string; expiresAt: Date; userAgent?: string }) {
  const [row] = await db
    .insert(sessions)
    .values({ userId: input.userId, expiresAt: input.expiresAt, userAgent: input.userAgent?.slice(0, 512) })
    .returning({ id: sessions.id });
  return row!.id;
}

export async function insertRefreshToken(db: Queryable, sessionId: string, tokenHash: string) {
  await db.insert(refreshTokens).values({ sessionId, tokenHash });
}

// Every authenticated request that misses the session cache asks this.
const activeSessionUserStatement = preparedPerDatabase((db) =>
  db
    .select({ userId: sessions.userId })
    .from(sessions)
    .where(and(eq(sessions.id, sql.placeholder('sessionId')), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql.placeholder('now'))))
    .limit(1)
    .prepare('active_session_user'),
);

export async function findActiveSessionUser(db: Database, sessionId: string, now: Date) {
  const [row] = await activeSessionUserStatement(db).execute({ sessionId, now: now.toISOString() });
  return row?.userId;
}

/** The users of those of these sessions that are active, by session, in one query. */
export async function findActiveSessionUsers(db: Queryable, sessionIds: readonly string[], now: Date): Promise<Map<string, string>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db
    .select({ id: sessions.id, userId: sessions.userId })
    .from(sessions)
    .where(and(anyUuid(sessions.id, sessionIds), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  return new Map(rows.map((row) => [row.id, row.userId]));
}

export type RefreshOutcome = { kind: 'rotated'; sessionId: string; userId: string } | { kind: 'reused'; sessionId: string } | { kind: 'invalid' };

/**
 * A rotated token that comes back this soon, while the token that replaced it has never been used,
 * is a client retrying a refresh whose answer it never received (the page reloaded, or the
 * connection dropped, while the refresh was in flight): nobody holds the replacement, so the
 * retry gets a new pair instead of ending the session.
 */
export const REFRESH_RETRY_GRACE_MS = 15_000;

/**
 * The rotation time given to a replacement abandoned by such a retry: far outside any grace, so
 * whoever presents it later (a thief who did receive it) ends the session as a replay.
 */
const ABANDONED_AT = new Date(0);

const laterRotation = alias(refreshTokens, 'later_rotation');

/**
 * Rotates a refresh token: marks it used and stores its replacement in one transaction, so two
 * concurrent refreshes cannot both succeed, and a retry of the same token (a page that reloaded
 * while its refresh was in flight) never finds it used but its replacement not stored yet, which
 * would look like a replay and end the session. A token that was already rotated means someone
 * replayed it, and the caller revokes the session, unless it is a retry within
 * REFRESH_RETRY_GRACE_MS whose replacement was never used.
 */
export async function rotateRefreshToken(db: Database, tokenHash: string, replacementHash: string, now: Date): Promise<RefreshOutcome> {
  const sessionId = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(refreshTokens)
      .set({ rotatedAt: now })
      .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.rotatedAt)))
      .returning({ sessionId: refreshTokens.sessionId });
    const rotated = claimed?.sessionId ?? (await retryOfLostRefresh(tx, tokenHash, now));
    if (typeof rotated === 'string') await insertRefreshToken(tx, rotated, replacementHash);
    return rotated;
  });
  if (typeof sessionId !== 'string') return sessionId;
  const userId = await findActiveSessionUser(db, sessionId, now);
  return userId ? { kind: 'rotated', sessionId, userId } : { kind: 'invalid' };
}

/** The session to issue a new pair for, when an already rotated token is a retry rather than a replay. */
async function retryOfLostRefresh(db: Queryable, tokenHash: string, now: Date): Promise<string | RefreshOutcome> {
  const [existing] = await db
    .select({ sessionId: refreshTokens.sessionId, rotatedAt: refreshTokens.rotatedAt })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .limit(1);
  if (!existing) return { kind: 'invalid' };
  const replay: RefreshOutcome = { kind: 'reused', sessionId: existing.sessionId };
  if (!existing.rotatedAt || now.getTime() - existing.rotatedAt.getTime() > REFRESH_RETRY_GRACE_MS) return replay;
  // One statement: the unused replacement is abandoned only if no token of the session was rotated
  // after this one, so a replacement that has been used (or is being used right now) is never touched.
  const abandoned = await db
    .update(refreshTokens)
    .set({ rotatedAt: ABANDONED_AT })
    .where(
      and(
        eq(refreshTokens.sessionId, existing.sessionId),
        isNull(refreshTokens.rotatedAt),
        notExists(
          db
            .select({ sessionId: laterRotation.sessionId })
            .from(laterRotation)
            .where(and(eq(laterRotation.sessionId, existing.sessionId), gt(laterRotation.rotatedAt, existing.rotatedAt))),
        ),
      ),
    )
    .returning({ tokenHash: refreshTokens.tokenHash });
  return abandoned.length > 0 ? existing.sessionId : replay;
}

export async function revokeSession(db: Queryable, sessionId: string, now: Date) {
  await db
    .update(sessions)
    .set({ revokedAt: sql`coalesce(${sessions.revokedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(sessions.id, sessionId));
}
