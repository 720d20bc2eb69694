import { z } from 'zod';
import { IdSchema } from './common.js';
import { VIDEO_PROVIDERS } from './meetings.js';

/**
 * Ringing calls: started from a direct message, they ring its other members and run as a meeting
 * (kind `call`) on the server's video provider, so joining one is joining that meeting.
 */

/** How long a call rings when CALL_RING_SECONDS is not set. */
export const DEFAULT_CALL_RING_SECONDS = 30;

/**
 * `ringing`: nobody has answered yet. `ongoing`: someone answered and the call's meeting is on.
 * `ended`: nobody answered (declined, missed or cancelled), or the meeting is over.
 */
export const CALL_STATUSES = ['ringing', 'ongoing', 'ended'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** Where each person stands: the caller, or a callee who is being rung, answered, declined or missed it. */
export const CALL_MEMBER_STATES = ['caller', 'ringing', 'accepted', 'declined', 'missed'] as const;
export type CallMemberState = (typeof CALL_MEMBER_STATES)[number];

/** How the ringing ended, once nobody is being rung any more. */
export const CALL_OUTCOMES = ['answered', 'declined', 'missed', 'cancelled'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

const IsoDateTime = z.iso.datetime({ offset: true });

export const CallMemberSchema = z.object({
  userId: IdSchema,
  state: z.enum(CALL_MEMBER_STATES),
});
export type CallMember = z.infer<typeof CallMemberSchema>;

export const CallSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  /** The direct message the call was started from; its members are the call's members. */
  channelId: IdSchema,
  /** The meeting the call runs as: join it with `POST /api/meetings/:meetingId/join`. */
  meetingId: IdSchema,
  callerId: IdSchema,
  provider: z.enum(VIDEO_PROVIDERS),
  status: z.enum(CALL_STATUSES),
  /** Null while someone is still being rung. */
  outcome: z.enum(CALL_OUTCOMES).nullable(),
  /** Everyone in the direct message, the caller first. */
  members: z.array(CallMemberSchema),
  /** When ringing stops for whoever has not answered. */
  ringsUntil: IsoDateTime,
  createdAt: IsoDateTime,
});
export type Call = z.infer<typeof CallSchema>;

export const CallParamsSchema = z.object({ callId: IdSchema });

/** `created: false` when a call was already on in the conversation: the caller is then one of its members. */
export const StartCallResponseSchema = z.object({ call: CallSchema, created: z.boolean() });
export type StartCallResponse = z.infer<typeof StartCallResponseSchema>;

/** The caller's calls that are not over: ringing them, rung by them, or on. */
export const ActiveCallListSchema = z.object({ calls: z.array(CallSchema) });

/** What a call left in its conversation: one line, written once, when the ringing ended without everyone answering. */
export const CallLineSchema = z.object({
  type: z.literal('call'),
  callId: IdSchema,
  callerId: IdSchema,
  outcome: z.enum(CALL_OUTCOMES),
  declinedIds: z.array(IdSchema),
  missedIds: z.array(IdSchema),
});
export type CallLine = z.infer<typeof CallLineSchema>;

/** Chat lines written by Collaro itself rather than typed by someone. */
export const SystemEventSchema = z.discriminatedUnion('type', [CallLineSchema]);
export type SystemEvent = z.infer<typeof SystemEventSchema>;

export function memberState(call: Pick<Call, 'members'>, userId: string): CallMemberState | null {
  return call.members.find((member) => member.userId === userId)?.state ?? null;
}

/** The sentence a call line reads as, given how to name people. */
export function describeCallLine(line: CallLine, nameOf: (userId: string) => string): string {
  const caller = nameOf(line.callerId);
  const list = (ids: string[]) => ids.map(nameOf).join(', ');
  const missed = line.missedIds.length > 0 ? ` · ${list(line.missedIds)} missed it` : '';
  const declined = line.declinedIds.length > 0 ? ` · ${list(line.declinedIds)} declined` : '';
  switch (line.outcome) {
    case 'declined':
      return `${list(line.declinedIds)} declined a call from ${caller}`;
    case 'answered':
      return `Call from ${caller}${declined}${missed}`;
    case 'cancelled':
      return `Missed call from ${caller} (cancelled before anyone answered)${declined}`;
    case 'missed':
      return `Missed call from ${caller}${declined}`;
  }
}
