import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { CallMemberState, CallOutcome } from '@collaro/shared';
import type { Database, Queryable } from '../../db/client.js';
import { callMembers, calls, meetings } from '../../db/schema/index.js';

/** A call with what its status depends on: the state of the meeting it runs as. */
const callColumns = {
  id: calls.id,
  orgId: calls.orgId,
  channelId: calls.channelId,
  meetingId: calls.meetingId,
  callerId: calls.callerId,
  ringsUntil: calls.ringsUntil,
  outcome: calls.outcome,
  endedAt: calls.endedAt,
  createdAt: calls.createdAt,
  meetingStatus: meetings.status,
  provider: meetings.provider,
};

type MeetingRecord = typeof meetings.$inferSelect;

/** Every column of the call, plus the status and video provider of the meeting it runs as. */
export type CallRow = typeof calls.$inferSelect & {
  meetingStatus: MeetingRecord['status'];
  provider: MeetingRecord['provider'];
};

export type CallMemberRow = Pick<typeof callMembers.$inferSelect, 'userId' | 'state'>;

function selectCalls(db: Queryable) {
  return db.select(callColumns).from(calls).innerJoin(meetings, eq(meetings.id, calls.meetingId));
}

export async function findCall(db: Queryable, callId: string): Promise<CallRow | undefined> {
  const [row] = await selectCalls(db).where(eq(calls.id, callId)).limit(1);
  return row;
}

/** The call if `userId` is one of its members (the caller or someone rung), in one round trip. */
export async function findCallMembership(db: Queryable, callId: string, userId: string): Promise<CallRow | undefined> {
  const [row] = await db
    .select(callColumns)
    .from(calls)
    .innerJoin(meetings, eq(meetings.id, calls.meetingId))
    .innerJoin(callMembers, and(eq(callMembers.callId, calls.id), eq(callMembers.userId, userId)))
    .where(eq(calls.id, callId))
    .limit(1);
  return row;
}

/** The conversation's call that has not been marked over, if any (there is at most one). */
export async function findOpenCall(db: Queryable, channelId: string): Promise<CallRow | undefined> {
  const [row] = await selectCalls(db)
    .where(and(eq(calls.channelId, channelId), isNull(calls.endedAt)))
    .limit(1);
  return row;
}

/** Calls not marked over that `userId` is a member of. */
export async function listOpenCallsOf(db: Queryable, userId: string): Promise<CallRow[]> {
  return db
    .select(callColumns)
    .from(calls)
    .innerJoin(meetings, eq(meetings.id, calls.meetingId))
    .innerJoin(callMembers, and(eq(callMembers.callId, calls.id), eq(callMembers.userId, userId)))
    .where(isNull(calls.endedAt))
    .orderBy(asc(calls.createdAt))
    .limit(50);
}

/**
 * Stores a call and its members together; undefined when the conversation already has an open
 * call (the partial unique index decides, so of two callers pressing at once exactly one wins).
 */
export async function insertCall(
  db: Database,
  values: { orgId: string; channelId: string; meetingId: string; callerId: string; ringsUntil: Date },
  members: CallMemberRow[],
): Promise<{ id: string } | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(calls).values(values).onConflictDoNothing().returning({ id: calls.id });
    if (!row) return undefined;
    await tx.insert(callMembers).values(members.map((member) => ({ ...member, orgId: values.orgId, callId: row.id })));
    return row;
  });
}

/** Every member of these calls, the caller first, then by id. */
export async function listCallMembers(db: Queryable, callIds: readonly string[]): Promise<Map<string, CallMemberRow[]>> {
  const result = new Map<string, CallMemberRow[]>(callIds.map((id) => [id, []]));
  if (callIds.length === 0) return result;
  const rows = await db
    .select({ callId: callMembers.callId, userId: callMembers.userId, state: callMembers.state })
    .from(callMembers)
    .where(inArray(callMembers.callId, [...callIds]))
    .orderBy(asc(sql`${callMembers.state} <> 'caller'`), asc(callMembers.userId));
  for (const row of rows) result.get(row.callId)?.push({ userId: row.userId, state: row.state });
  return result;
}

/** Moves one member from one of `from` to `to`; false when they were elsewhere (someone else moved them first). */
export async function moveMember(db: Queryable, callId: string, userId: string, from: readonly CallMemberState[], to: CallMemberState, now: Date) {
  const rows = await db
    .update(callMembers)
    .set({ state: to, respondedAt: now })
    .where(and(eq(callMembers.callId, callId), eq(callMembers.userId, userId), inArray(callMembers.state, [...from])))
    .returning({ userId: callMembers.userId });
  return rows.length > 0;
}

/** Whoever is still being rung in these calls has missed them. */
export async function missRinging(db: Queryable, callIds: readonly string[], now: Date) {
  if (callIds.length === 0) return;
  await db
    .update(callMembers)
    .set({ state: 'missed', respondedAt: now })
    .where(and(inArray(callMembers.callId, [...callIds]), eq(callMembers.state, 'ringing')));
}

/** Calls whose ringing time is up and whose outcome nobody has written yet. */
export async function listDueCalls(db: Queryable, now: Date, limit = 100): Promise<string[]> {
  const rows = await db
    .select({ id: calls.id })
    .from(calls)
    .where(and(isNull(calls.outcome), lte(calls.ringsUntil, now)))
    .limit(limit);
  return rows.map((row) => row.id);
}

/**
 * Writes how the ringing ended. The `outcome is null` condition makes this the one writer among
 * instances and requests settling the same call at once; the others get undefined.
 */
export async function settleCall(db: Queryable, callId: string, outcome: CallOutcome, now: Date, over: boolean) {
  const [row] = await db
    .update(calls)
    .set({ outcome, ...(over ? { endedAt: now } : {}) })
    .where(and(eq(calls.id, callId), isNull(calls.outcome)))
    .returning({ id: calls.id });
  return row;
}

/** Marks a call over, freeing its conversation for the next one. */
export async function markCallOver(db: Queryable, callId: string, now: Date) {
  await db
    .update(calls)
    .set({ endedAt: now })
    .where(and(eq(calls.id, callId), isNull(calls.endedAt)));
}
