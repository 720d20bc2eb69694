import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/client.js';
import { meetingParticipants, meetings, memberships, users } from '../../db/schema/index.js';

/**
 * Who is in a meeting: participations opened by joining over HTTP, and the built-in mesh's rooms
 * (a participation carried by a realtime connection).
 */

/** Records that a user joined; a user already in the meeting keeps their open record. */
export async function openParticipation(db: Queryable, meeting: { id: string; orgId: string }, userId: string, now: Date) {
  await db.insert(meetingParticipants).values({ orgId: meeting.orgId, meetingId: meeting.id, userId, joinedAt: now }).onConflictDoNothing();
}

export async function findOpenParticipation(db: Queryable, meetingId: string, userId: string) {
  const [row] = await db
    .select()
    .from(meetingParticipants)
    .where(and(eq(meetingParticipants.meetingId, meetingId), eq(meetingParticipants.userId, userId), isNull(meetingParticipants.leftAt)))
    .limit(1);
  return row;
}

export interface MediaState {
  audioMuted: boolean;
  videoMuted: boolean;
  screenSharing: boolean;
}

/** Puts an open participation on `connectionId`; false when it closed in the meantime. */
export async function enterRoom(db: Queryable, participationId: string, connectionId: string, now: Date) {
  const rows = await db
    .update(meetingParticipants)
    .set({ connectionId, connectedAt: now, audioMuted: false, videoMuted: false, screenSharing: false })
    .where(and(eq(meetingParticipants.id, participationId), isNull(meetingParticipants.leftAt)))
    .returning({ id: meetingParticipants.id });
  return rows.length > 0;
}

/**
 * Open participations, host first, then by arrival, with what the room and the mesh limit need.
 * `inRoomOnly` keeps those with a live room connection: who is in the room now.
 */
function openParticipations(db: Queryable, meetingId: string, inRoomOnly: boolean) {
  return db
    .select({
      userId: meetingParticipants.userId,
      name: users.name,
      isHost: sql<boolean>`${meetingParticipants.userId} = ${meetings.hostId}`,
      audioMuted: meetingParticipants.audioMuted,
      videoMuted: meetingParticipants.videoMuted,
      screenSharing: meetingParticipants.screenSharing,
      connectionId: meetingParticipants.connectionId,
      joinedAt: meetingParticipants.joinedAt,
    })
    .from(meetingParticipants)
    .innerJoin(users, eq(users.id, meetingParticipants.userId))
    .innerJoin(meetings, eq(meetings.id, meetingParticipants.meetingId))
    .where(
      and(
        eq(meetingParticipants.meetingId, meetingId),
        isNull(meetingParticipants.leftAt),
        inRoomOnly ? sql`${meetingParticipants.connectionId} is not null` : undefined,
      ),
    )
    .orderBy(desc(sql`${meetingParticipants.userId} = ${meetings.hostId}`), asc(meetingParticipants.connectedAt), asc(meetingParticipants.userId));
}

export const listOpenParticipations = (db: Queryable, meetingId: string) => openParticipations(db, meetingId, false);

export const listRoomParticipants = (db: Queryable, meetingId: string) => openParticipations(db, meetingId, true);

/** The room connections of `userIds` in this meeting; users not in the room are absent from the map. */
export async function findRoomConnections(db: Queryable, meetingId: string, userIds: readonly string[]) {
  const rows = await db
    .select({ userId: meetingParticipants.userId, connectionId: meetingParticipants.connectionId })
    .from(meetingParticipants)
    .where(
      and(
        eq(meetingParticipants.meetingId, meetingId),
        inArray(meetingParticipants.userId, [...userIds]),
        isNull(meetingParticipants.leftAt),
        sql`${meetingParticipants.connectionId} is not null`,
      ),
    );
  return new Map(rows.map((row) => [row.userId, row.connectionId!]));
}

export type OpenParticipation = Awaited<ReturnType<typeof listOpenParticipations>>[number];

/**
 * Opens the user's participation if `admits` allows it given who holds a place now, as one
 * transaction: the meeting row's lock queues simultaneous joins of the same meeting, from every
 * backend instance, so each one counts the places the joins before it took. Without it twelve
 * people joining at once all saw a room with space. Returns the places held before this join, or
 * undefined when refused.
 */
export async function claimPlace(
  db: Database,
  meeting: { id: string; orgId: string },
  userId: string,
  now: Date,
  admits: (open: OpenParticipation[]) => boolean,
): Promise<OpenParticipation[] | undefined> {
  return db.transaction(async (tx) => {
    await tx.select({ id: meetings.id }).from(meetings).where(eq(meetings.id, meeting.id)).for('no key update');
    const open = await listOpenParticipations(tx, meeting.id);
    if (!admits(open)) return undefined;
    await openParticipation(tx, meeting, userId, now);
    return open;
  });
}

/** The user's open place in the meeting, as long as `connectionId` still carries it. */
function openPlaceOn(meetingId: string, userId: string, connectionId: string) {
  return and(
    eq(meetingParticipants.meetingId, meetingId),
    eq(meetingParticipants.userId, userId),
    eq(meetingParticipants.connectionId, connectionId),
    isNull(meetingParticipants.leftAt),
  );
}

/** Ends the user's participation if `connectionId` still carries it; false when it had moved or ended. */
export async function leaveRoom(db: Queryable, meetingId: string, userId: string, connectionId: string, now: Date) {
  const rows = await db
    .update(meetingParticipants)
    .set({ leftAt: now })
    .where(openPlaceOn(meetingId, userId, connectionId))
    .returning({ id: meetingParticipants.id });
  return rows.length > 0;
}

export async function setMediaState(db: Queryable, meetingId: string, userId: string, connectionId: string, state: MediaState) {
  const rows = await db
    .update(meetingParticipants)
    .set(state)
    .where(openPlaceOn(meetingId, userId, connectionId))
    .returning({ id: meetingParticipants.id });
  return rows.length > 0;
}

/** Ends a participant's place at the host's request; returns the connection that carried it, if any. */
export async function removeParticipant(db: Queryable, meetingId: string, userId: string, byUserId: string, now: Date) {
  const rows = await db
    .update(meetingParticipants)
    .set({ leftAt: now, removedBy: byUserId })
    .where(and(eq(meetingParticipants.meetingId, meetingId), eq(meetingParticipants.userId, userId), isNull(meetingParticipants.leftAt)))
    .returning({ connectionId: meetingParticipants.connectionId });
  return rows[0];
}

/**
 * Ends the places these users hold in live meetings of organizations they no longer belong to,
 * returning each with the connection that carried it (null when they had not entered the room).
 */
export async function closePlacesOutsideOrgs(db: Queryable, userIds: readonly string[], now: Date) {
  if (userIds.length === 0) return [];
  return db
    .update(meetingParticipants)
    .set({ leftAt: now })
    .where(
      and(
        inArray(meetingParticipants.userId, [...userIds]),
        isNull(meetingParticipants.leftAt),
        sql`${meetingParticipants.meetingId} in (select ${meetings.id} from ${meetings} where ${meetings.status} = 'live')`,
        sql`not exists (select 1 from ${memberships} where ${memberships.orgId} = ${meetingParticipants.orgId} and ${memberships.userId} = ${meetingParticipants.userId})`,
      ),
    )
    .returning({ meetingId: meetingParticipants.meetingId, userId: meetingParticipants.userId, connectionId: meetingParticipants.connectionId });
}
