import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/client.js';
import { channels, meetingGuestLinks, meetingGuests, meetings, users } from '../../db/schema/index.js';

/**
 * A guest link (and the guest tokens made from it) works while its meeting goes on: the meeting is
 * scheduled or live and has not ended since the link was made. A personal room goes back to
 * "scheduled" when its session ends, so `ended_at` after the link's birth is what kills it there.
 */
const linkIsAlive = sql`${meetings.status} in ('scheduled', 'live') and (${meetings.endedAt} is null or ${meetings.endedAt} < ${meetingGuestLinks.createdAt})`;

export async function insertGuestLink(db: Queryable, input: { orgId: string; meetingId: string; tokenHash: string; createdBy: string }) {
  const [row] = await db.insert(meetingGuestLinks).values(input).returning({ id: meetingGuestLinks.id });
  return row!;
}

/** The link with its meeting and host's name, if it still works. */
export async function findLiveGuestLink(db: Queryable, tokenHash: string) {
  const [row] = await db
    .select({ linkId: meetingGuestLinks.id, orgId: meetings.orgId, meetingId: meetings.id, meetingTitle: meetings.title, hostName: users.name })
    .from(meetingGuestLinks)
    .innerJoin(meetings, eq(meetings.id, meetingGuestLinks.meetingId))
    .innerJoin(users, eq(users.id, meetings.hostId))
    .where(and(eq(meetingGuestLinks.tokenHash, tokenHash), linkIsAlive));
  return row;
}

/** A guest's own users row (no email, no password, no membership) and their token's hash, together. */
export async function insertGuest(db: Database, input: { name: string; orgId: string; meetingId: string; linkId: string; tokenHash: string }) {
  return db.transaction(async (tx) => {
    const [user] = await tx.insert(users).values({ name: input.name }).returning({ id: users.id });
    await tx
      .insert(meetingGuests)
      .values({ userId: user!.id, orgId: input.orgId, meetingId: input.meetingId, linkId: input.linkId, tokenHash: input.tokenHash });
    return user!.id;
  });
}

/** The guest a token belongs to, while their link still works. */
export async function findLiveGuest(db: Queryable, tokenHash: string) {
  const [row] = await db
    .select({ userId: meetingGuests.userId, meetingId: meetingGuests.meetingId, name: users.name })
    .from(meetingGuests)
    .innerJoin(users, eq(users.id, meetingGuests.userId))
    .innerJoin(meetingGuestLinks, eq(meetingGuestLinks.id, meetingGuests.linkId))
    .innerJoin(meetings, eq(meetings.id, meetingGuests.meetingId))
    .where(and(eq(meetingGuests.tokenHash, tokenHash), linkIsAlive));
  return row;
}

/** Whether a guest's link still works (a live WebSocket re-checks before each room or chat action). */
export async function isGuestAlive(db: Queryable, userId: string, meetingId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: meetingGuests.userId })
    .from(meetingGuests)
    .innerJoin(meetingGuestLinks, eq(meetingGuestLinks.id, meetingGuests.linkId))
    .innerJoin(meetings, eq(meetings.id, meetingGuests.meetingId))
    .where(and(eq(meetingGuests.userId, userId), eq(meetingGuests.meetingId, meetingId), linkIsAlive));
  return row !== undefined;
}

/** The meeting a user is a guest of; undefined for everyone with an account. */
export async function findGuestMeetingId(db: Queryable, userId: string): Promise<string | undefined> {
  const [row] = await db.select({ meetingId: meetingGuests.meetingId }).from(meetingGuests).where(eq(meetingGuests.userId, userId));
  return row?.meetingId;
}

export async function namesOf(db: Queryable, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The chat channel of the meeting a user is a guest of, once it exists. */
export async function findGuestChannelId(db: Queryable, userId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: channels.id })
    .from(meetingGuests)
    .innerJoin(channels, and(eq(channels.kind, 'meeting'), eq(channels.meetingId, meetingGuests.meetingId)))
    .where(eq(meetingGuests.userId, userId));
  return row?.id;
}
