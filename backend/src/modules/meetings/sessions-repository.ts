import { and, desc, eq, gte, isNotNull, sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/client.js';
import { meetingParticipants, meetings, users } from '../../db/schema/index.js';
import type { MeetingRow } from './repository.js';

const endsAt = sql`${meetings.startsAt} + ${meetings.durationMinutes} * interval '1 minute'`;

/**
 * A meeting that went live without anyone coming in (an instant meeting whose host is still
 * choosing a camera) is given this long before it counts as empty.
 */
export const UNJOINED_MEETING_GRACE_MS = 15 * 60 * 1000;

/**
 * Ends the built-in mesh's live meetings that nobody has been in for `graceMs`: nobody in the
 * room, nobody who joined over HTTP within the grace period and is still connecting, nobody who
 * left within it, and the session itself older than that (UNJOINED_MEETING_GRACE_MS when nobody
 * has come in since it went live). The emptiness test is part of the
 * UPDATE, so a join racing with the sweep either keeps the meeting on or finds it over.
 *
 * A personal room goes back to waiting, as does a scheduled meeting whose time slot has not
 * passed yet (its invitees may still come at the planned time); any other meeting ends.
 */
export async function endEmptyMeshMeetings(db: Database, now: Date, graceMs: number): Promise<MeetingRow[]> {
  const cutoff = new Date(now.getTime() - graceMs).toISOString();
  const unjoinedCutoff = new Date(now.getTime() - Math.max(graceMs, UNJOINED_MEETING_GRACE_MS)).toISOString();
  const sessionStart = sql`coalesce(${meetings.startedAt}, ${meetings.startsAt})`;
  const nowIso = now.toISOString();
  const waitsAgain = sql`(${meetings.kind} = 'personal' or (${meetings.kind} = 'scheduled' and ${endsAt} > ${nowIso}))`;
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(meetings)
      .set({
        status: sql`case when ${waitsAgain} then 'scheduled' else 'ended' end`,
        // A scheduled meeting waiting again has not ended: its guest links keep working.
        endedAt: sql`case when ${meetings.kind} = 'scheduled' and ${endsAt} > ${nowIso} then ${meetings.endedAt} else ${nowIso}::timestamptz end`,
        updatedAt: now,
      })
      .where(
        sql`${meetings.status} = 'live' and ${meetings.provider} = 'local'
          and ${sessionStart} <= ${cutoff}
          and (${sessionStart} <= ${unjoinedCutoff} or exists (
            select 1 from ${meetingParticipants}
            where ${meetingParticipants.meetingId} = ${meetings.id} and ${meetingParticipants.joinedAt} >= ${sessionStart}
          ))
          and not exists (
            select 1 from ${meetingParticipants}
            where ${meetingParticipants.meetingId} = ${meetings.id}
              and ((${meetingParticipants.leftAt} is null and (${meetingParticipants.connectionId} is not null or ${meetingParticipants.joinedAt} > ${cutoff}))
                or ${meetingParticipants.leftAt} > ${cutoff})
          )`,
      )
      .returning();
    if (rows.length > 0) {
      // Whoever joined over HTTP long ago and never entered the room holds no place any more.
      await tx
        .update(meetingParticipants)
        .set({ leftAt: now })
        .where(
          sql`${meetingParticipants.meetingId} in (${sql.join(
            rows.map((row) => sql`${row.id}`),
            sql`, `,
          )}) and ${meetingParticipants.leftAt} is null`,
        );
    }
    return rows;
  });
}

/**
 * When the meeting's current session began; null when no session is on (a personal room or a
 * scheduled meeting waiting, or a meeting that is over). Removals count only within a session.
 */
export function sessionStartOf(meeting: MeetingRow): Date | null {
  if (meeting.status !== 'live') return null;
  return meeting.startedAt ?? meeting.startsAt;
}

/** Whether the host removed this user during the session that began at `since`. */
export async function wasRemovedInSession(db: Queryable, meetingId: string, userId: string, since: Date) {
  const [row] = await db
    .select({ id: meetingParticipants.id })
    .from(meetingParticipants)
    .where(
      and(
        eq(meetingParticipants.meetingId, meetingId),
        eq(meetingParticipants.userId, userId),
        isNotNull(meetingParticipants.removedBy),
        gte(meetingParticipants.leftAt, since),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** Everyone removed during the session that began at `since`, most recent first, once each. */
export async function listSessionRemovals(db: Queryable, meetingId: string, since: Date) {
  const rows = await db
    .select({ userId: meetingParticipants.userId, name: users.name, removedBy: meetingParticipants.removedBy, removedAt: meetingParticipants.leftAt })
    .from(meetingParticipants)
    .innerJoin(users, eq(users.id, meetingParticipants.userId))
    .where(and(eq(meetingParticipants.meetingId, meetingId), isNotNull(meetingParticipants.removedBy), gte(meetingParticipants.leftAt, since)))
    .orderBy(desc(meetingParticipants.leftAt));
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.userId) && seen.add(row.userId)).map((row) => ({ ...row, removedBy: row.removedBy!, removedAt: row.removedAt! }));
}

/** Lets a removed user back into the current session; false when they were not removed in it. */
export async function liftSessionRemoval(db: Queryable, meetingId: string, userId: string, since: Date) {
  const rows = await db
    .update(meetingParticipants)
    .set({ removedBy: null })
    .where(
      and(
        eq(meetingParticipants.meetingId, meetingId),
        eq(meetingParticipants.userId, userId),
        isNotNull(meetingParticipants.removedBy),
        gte(meetingParticipants.leftAt, since),
      ),
    )
    .returning({ id: meetingParticipants.id });
  return rows.length > 0;
}
