import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { preparedPerDatabase, type Database, type Queryable } from '../db/client.js';
import { refreshTokens, sessions } from '../db/schema/index.js';

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
    .where(
      and(
        eq(sessions.id, sql.placeholder('sessionId')),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql.placeholder('now')),
      ),
    )
    .limit(1)
    .prepare('active_session_user'),
);

export async function findActiveSessionUser(db: Database, sessionId: string, now: Date) {
  const [row] = await activeSessionUserStatement(db).execute({ sessionId, now: now.toISOString() });
  return row?.userId;
}

export type RefreshOutcome =
  | { kind: 'rotated'; sessionId: string; userId: string }
  | { kind: 'reused'; sessionId: string }
  | { kind: 'invalid' };

/**
 * Marks a refresh token used, atomically, so two concurrent refreshes cannot both succeed.
 * A token that was already rotated means someone replayed it: the caller revokes the session.
 */
export async function consumeRefreshToken(db: Database, tokenHash: string, now: Date): Promise<RefreshOutcome> {
  const [claimed] = await db
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.rotatedAt)))
    .returning({ sessionId: refreshTokens.sessionId });
  if (!claimed) {
    const [existing] = await db
      .select({ sessionId: refreshTokens.sessionId })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash))
      .limit(1);
    return existing ? { kind: 'reused', sessionId: existing.sessionId } : { kind: 'invalid' };
  }
  const userId = await findActiveSessionUser(db, claimed.sessionId, now);
  return userId ? { kind: 'rotated', sessionId: claimed.sessionId, userId } : { kind: 'invalid' };
}

export async function revokeSession(db: Queryable, sessionId: string, now: Date) {
  await db
    .update(sessions)
    .set({ revokedAt: sql`coalesce(${sessions.revokedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(sessions.id, sessionId));
}
