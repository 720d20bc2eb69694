import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { anyUuid } from '../../db/any-of.js';
import { memberships } from '../../db/schema/index.js';

/**
 * Which of `userIds` belong to the organization: the one check before anyone is added to a team,
 * a channel, a direct message or a meeting's invitations.
 */
export async function orgMembersAmong(db: Queryable, orgId: string, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), anyUuid(memberships.userId, userIds)));
  return new Set(rows.map((row) => row.userId));
}
