import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { calendarFeedTokens } from '../../db/schema/index.js';

/**
 * Each user's calendar feed token, stored only as a hash. One per user: issuing a new one replaces
 * the old, so a leaked feed address stops working once the user rotates it.
 */
export async function setCalendarTokenHash(db: Queryable, userId: string, tokenHash: string) {
  await db
    .insert(calendarFeedTokens)
    .values({ userId, tokenHash })
    .onConflictDoUpdate({ target: calendarFeedTokens.userId, set: { tokenHash, createdAt: new Date() } });
}

export async function findUserIdByCalendarTokenHash(db: Queryable, tokenHash: string) {
  const [row] = await db.select({ userId: calendarFeedTokens.userId }).from(calendarFeedTokens).where(eq(calendarFeedTokens.tokenHash, tokenHash)).limit(1);
  return row?.userId;
}
