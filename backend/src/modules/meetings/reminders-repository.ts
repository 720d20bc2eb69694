import { and, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { meetingInvitees, meetingParticipants, meetingReminderDismissals, meetings, memberships, teamMembers } from '../../db/schema/index.js';

const endsAt = sql`${meetings.startsAt} + ${meetings.durationMinutes} * interval '1 minute'`;

/**
 * Claims the scheduled meetings whose start time has come and whose reminder has not been repeated
 * yet: one statement, so of several backend instances exactly one repeats each. A meeting whose
 * start is more than `graceMinutes` ago (the server was down) is not announced late.
 */
export async function claimDueStartReminders(db: Queryable, now: Date, graceMinutes: number) {
  const earliest = new Date(now.getTime() - graceMinutes * 60 * 1000);
  return db
    .update(meetings)
    .set({ startRemindedAt: now })
    .where(
      and(
        eq(meetings.kind, 'scheduled'),
        // Someone may already have started it: the others still need their nudge.
        inArray(meetings.status, ['scheduled', 'live']),
        isNull(meetings.startRemindedAt),
        lte(meetings.startsAt, now),
        gt(meetings.startsAt, earliest),
      ),
    )
    .returning();
}

/** Of `userIds`, those who joined the meeting (at any time) or dismissed its reminder. */
export async function listAnsweredReminders(db: Queryable, meetingId: string, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const [joined, dismissed] = await Promise.all([
    db
      .selectDistinct({ userId: meetingParticipants.userId })
      .from(meetingParticipants)
      .where(and(eq(meetingParticipants.meetingId, meetingId), inArray(meetingParticipants.userId, [...userIds]))),
    db
      .select({ userId: meetingReminderDismissals.userId })
      .from(meetingReminderDismissals)
      .where(and(eq(meetingReminderDismissals.meetingId, meetingId), inArray(meetingReminderDismissals.userId, [...userIds]))),
  ]);
  return new Set([...joined, ...dismissed].map((row) => row.userId));
}

/** Idempotent: dismissing twice, or from two devices, leaves one row. */
export async function dismissReminder(db: Queryable, meeting: { id: string; orgId: string }, userId: string, now: Date) {
  await db.insert(meetingReminderDismissals).values({ orgId: meeting.orgId, meetingId: meeting.id, userId, dismissedAt: now }).onConflictDoNothing();
}

/**
 * The meetings "join next meeting" may choose from, in every organization the user still belongs
 * to: those they take part in (host, invitee, or on the meeting's team) that are live, or scheduled
 * to start within `withinMinutes` and not over. Ringing calls have their own way in; a personal room
 * counts only while it is on.
 */
export async function listJoinableSoon(db: Queryable, userId: string, now: Date, withinMinutes: number, orgId?: string) {
  const horizon = new Date(now.getTime() + withinMinutes * 60 * 1000).toISOString();
  const takesPart = or(
    eq(meetings.hostId, userId),
    sql`exists (select 1 from ${meetingInvitees} where ${meetingInvitees.meetingId} = ${meetings.id} and ${meetingInvitees.userId} = ${userId})`,
    sql`(${meetings.teamId} is not null and exists (select 1 from ${teamMembers} where ${teamMembers.teamId} = ${meetings.teamId} and ${teamMembers.userId} = ${userId}))`,
  );
  const member = sql`exists (select 1 from ${memberships} where ${memberships.orgId} = ${meetings.orgId} and ${memberships.userId} = ${userId})`;
  const onOrSoon = or(
    and(eq(meetings.status, 'live'), sql`${meetings.kind} <> 'call'`),
    and(eq(meetings.status, 'scheduled'), eq(meetings.kind, 'scheduled'), lte(meetings.startsAt, new Date(horizon)), sql`${endsAt} > ${now.toISOString()}`),
  );
  return db
    .select()
    .from(meetings)
    .where(and(onOrSoon, takesPart, member, orgId ? eq(meetings.orgId, orgId) : undefined))
    .limit(100);
}
