import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { MeetingKind, MeetingScope, VideoProviderName } from '@collaro/shared';
import type { Database, Queryable } from '../../db/client.js';
import { meetingInvitees, meetingParticipants, meetings, memberships, teamMembers, users } from '../../db/schema/index.js';

export type MeetingRow = typeof meetings.$inferSelect;

const endsAt = sql`${meetings.startsAt} + ${meetings.durationMinutes} * interval '1 minute'`;

export interface NewMeeting {
  orgId: string;
  teamId: string | null;
  kind: MeetingKind;
  title: string;
  description: string;
  startsAt: Date;
  durationMinutes: number;
  hostId: string;
  inviteesOnly: boolean;
  status: MeetingRow['status'];
  provider: VideoProviderName;
}

export async function insertMeeting(db: Database, values: NewMeeting, inviteeIds: readonly string[]) {
  return db.transaction(async (tx) => {
    const [meeting] = await tx.insert(meetings).values(values).returning();
    const row = meeting!;
    if (inviteeIds.length > 0) {
      await tx.insert(meetingInvitees).values(inviteeIds.map((userId) => ({ orgId: row.orgId, meetingId: row.id, userId })));
    }
    return row;
  });
}

/** Undoes a creation the video provider refused, so no meeting exists without its call. */
export async function deleteMeeting(db: Queryable, meetingId: string) {
  await db.delete(meetings).where(eq(meetings.id, meetingId));
}

/** A user's personal room in one organization, created on first use with the same id ever after. */
export async function findOrCreatePersonalRoom(db: Queryable, values: NewMeeting) {
  await db.insert(meetings).values(values).onConflictDoNothing();
  const [row] = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.orgId, values.orgId), eq(meetings.hostId, values.hostId), eq(meetings.kind, 'personal')))
    .limit(1);
  return row!;
}

export async function findMeeting(db: Queryable, meetingId: string) {
  const [row] = await db.select().from(meetings).where(eq(meetings.id, meetingId)).limit(1);
  return row;
}

/**
 * The meeting with the caller's standing towards it, in one round trip: organization role (null
 * outside the organization), whether they are invited, and their role on the meeting's team.
 */
export async function findMeetingWithAccess(db: Queryable, meetingId: string, userId: string) {
  const [row] = await db
    .select({
      meeting: meetings,
      orgRole: memberships.role,
      grantedPermissions: memberships.grantedPermissions,
      invitedUserId: meetingInvitees.userId,
      teamRole: teamMembers.role,
    })
    .from(meetings)
    .leftJoin(memberships, and(eq(memberships.orgId, meetings.orgId), eq(memberships.userId, userId)))
    .leftJoin(meetingInvitees, and(eq(meetingInvitees.meetingId, meetings.id), eq(meetingInvitees.userId, userId)))
    .leftJoin(teamMembers, and(eq(teamMembers.teamId, meetings.teamId), eq(teamMembers.userId, userId)))
    .where(eq(meetings.id, meetingId))
    .limit(1);
  return row;
}

export async function listInviteeIds(db: Queryable, meetingIds: readonly string[]) {
  const byMeeting = new Map<string, string[]>(meetingIds.map((id) => [id, []]));
  if (meetingIds.length === 0) return byMeeting;
  const rows = await db
    .select({ meetingId: meetingInvitees.meetingId, userId: meetingInvitees.userId })
    .from(meetingInvitees)
    .where(inArray(meetingInvitees.meetingId, [...meetingIds]))
    .orderBy(asc(meetingInvitees.createdAt), asc(meetingInvitees.userId));
  for (const row of rows) byMeeting.get(row.meetingId)?.push(row.userId);
  return byMeeting;
}

export async function listUsersByIds(db: Queryable, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, [...userIds]));
}

/** The meetings a user takes part in: hosts, is invited to, or (team meetings) is on the team of. */
function takesPart(userId: string): SQL {
  return or(
    eq(meetings.hostId, userId),
    sql`exists (select 1 from ${meetingInvitees} where ${meetingInvitees.meetingId} = ${meetings.id} and ${meetingInvitees.userId} = ${userId})`,
    sql`(${meetings.teamId} is not null and exists (select 1 from ${teamMembers} where ${teamMembers.teamId} = ${meetings.teamId} and ${teamMembers.userId} = ${userId}))`,
  )!;
}

function scopeFilter(scope: MeetingScope, now: Date): SQL {
  switch (scope) {
    case 'upcoming':
      return and(eq(meetings.status, 'scheduled'), sql`${endsAt} > ${now.toISOString()}`)!;
    case 'live':
      return eq(meetings.status, 'live');
    case 'previous':
      return and(
        sql`${meetings.kind} <> 'personal'`,
        or(inArray(meetings.status, ['ended', 'cancelled']), and(eq(meetings.status, 'scheduled'), sql`${endsAt} <= ${now.toISOString()}`)),
      )!;
  }
}

export async function listVisibleMeetings(db: Queryable, options: { orgId: string; userId: string; seesAll: boolean; scope: MeetingScope; now: Date }) {
  const visible = options.seesAll ? undefined : takesPart(options.userId);
  return (
    db
      .select()
      .from(meetings)
      // Calls live in their direct messages, not in meeting lists.
      .where(and(eq(meetings.orgId, options.orgId), sql`${meetings.kind} <> 'call'`, scopeFilter(options.scope, options.now), visible))
      .orderBy(options.scope === 'upcoming' ? asc(meetings.startsAt) : desc(meetings.startsAt), asc(meetings.id))
      .limit(200)
  );
}

/** What a calendar feed shows: the user's meetings from a day ago on, cancelled ones included so calendars drop them. */
export async function listFeedMeetings(db: Queryable, userId: string, now: Date) {
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString();
  return db
    .select()
    .from(meetings)
    .innerJoin(memberships, and(eq(memberships.orgId, meetings.orgId), eq(memberships.userId, userId)))
    .where(and(sql`${meetings.kind} not in ('personal', 'call')`, sql`${endsAt} > ${since}`, takesPart(userId)))
    .orderBy(asc(meetings.startsAt), asc(meetings.id))
    .limit(500)
    .then((rows) => rows.map((row) => row.meetings));
}

export interface MeetingChanges {
  title?: string;
  description?: string;
  startsAt?: Date;
  durationMinutes?: number;
  inviteesOnly?: boolean;
}

/** Applies a change calendars must see: SEQUENCE goes up, and a new start time re-arms the reminder. */
export async function updateMeeting(db: Database, meetingId: string, changes: MeetingChanges, inviteeIds?: readonly string[]) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(meetings)
      .set({
        ...changes,
        ...(changes.startsAt ? { remindedAt: null, startRemindedAt: null } : {}),
        sequence: sql`${meetings.sequence} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(meetings.id, meetingId), inArray(meetings.status, ['scheduled', 'live'])))
      .returning();
    if (!row) return undefined;
    if (inviteeIds) {
      await tx.delete(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId));
      if (inviteeIds.length > 0) {
        await tx.insert(meetingInvitees).values(inviteeIds.map((userId) => ({ orgId: row.orgId, meetingId, userId })));
      }
    }
    return row;
  });
}

export async function cancelMeeting(db: Database, meetingId: string, now: Date) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(meetings)
      .set({ status: 'cancelled', sequence: sql`${meetings.sequence} + 1`, endedAt: now, updatedAt: now })
      .where(and(eq(meetings.id, meetingId), inArray(meetings.status, ['scheduled', 'live'])))
      .returning();
    if (row) await closeAllParticipation(tx, meetingId, now);
    return row;
  });
}

/**
 * Ends a meeting for everyone. A personal room goes back to waiting (scheduled) rather than ending
 * for good, since its link is meant to be reused.
 */
export async function endMeeting(db: Database, meetingId: string, now: Date) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(meetings)
      .set({
        status: sql`case when ${meetings.kind} = 'personal' then 'scheduled' else 'ended' end`,
        endedAt: now,
        updatedAt: now,
      })
      .where(and(eq(meetings.id, meetingId), eq(meetings.status, 'live')))
      .returning();
    if (row) await closeAllParticipation(tx, meetingId, now);
    return row;
  });
}

export async function markMeetingLive(db: Queryable, meetingId: string, now: Date) {
  const [row] = await db
    .update(meetings)
    .set({ status: 'live', startedAt: now, updatedAt: now })
    .where(and(eq(meetings.id, meetingId), eq(meetings.status, 'scheduled')))
    .returning();
  return row;
}

export async function markRecordingReady(db: Queryable, meetingId: string, now: Date) {
  const [row] = await db.update(meetings).set({ recordingReadyAt: now, updatedAt: now }).where(eq(meetings.id, meetingId)).returning({ id: meetings.id });
  return row;
}

export async function setProviderCallId(db: Queryable, meetingId: string, providerCallId: string) {
  await db.update(meetings).set({ providerCallId }).where(eq(meetings.id, meetingId));
}

async function closeAllParticipation(db: Queryable, meetingId: string, now: Date) {
  await db
    .update(meetingParticipants)
    .set({ leftAt: now })
    .where(and(eq(meetingParticipants.meetingId, meetingId), isNull(meetingParticipants.leftAt)));
}

/**
 * Claims the scheduled meetings starting within `leadMinutes` whose reminder nobody has sent yet.
 * The `reminded_at is null` condition makes the claim atomic, so with several backend instances
 * each meeting is reminded by exactly one of them.
 */
export async function claimDueReminders(db: Queryable, now: Date, leadMinutes: number) {
  const horizon = new Date(now.getTime() + leadMinutes * 60 * 1000);
  return db
    .update(meetings)
    .set({ remindedAt: now })
    .where(
      and(
        eq(meetings.status, 'scheduled'),
        eq(meetings.kind, 'scheduled'),
        isNull(meetings.remindedAt),
        lte(meetings.startsAt, horizon),
        gt(meetings.startsAt, now),
      ),
    )
    .returning();
}

/** Everyone to tell when a meeting ends: host, invitees, and whoever took part. */
export async function listMeetingAudience(db: Queryable, meetingId: string) {
  const meeting = await findMeeting(db, meetingId);
  if (!meeting) return [];
  const [invitees, participants] = await Promise.all([
    db.select({ userId: meetingInvitees.userId }).from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId)),
    db.selectDistinct({ userId: meetingParticipants.userId }).from(meetingParticipants).where(eq(meetingParticipants.meetingId, meetingId)),
  ]);
  return [...new Set([meeting.hostId, ...invitees.map((row) => row.userId), ...participants.map((row) => row.userId)])];
}
