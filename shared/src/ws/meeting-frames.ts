import { z } from 'zod';
import { IdSchema } from '../api/common.js';

/**
 * Meeting frames: the built-in mesh's room (join, leave, live participant list, host mute and
 * remove, meeting ended) and WebRTC signaling (`rtc.signal`). The gateway spreads these arrays into
 * the unions in `frames.ts`; each client frame has a handler in backend/src/modules/meetings/frame-handlers.ts.
 */

/** Longest SDP relayed; audio + video + screen with many codecs stays well under it. */
export const MAX_SDP_LENGTH = 48 * 1024;

export const RtcSessionDescriptionSchema = z.object({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().max(MAX_SDP_LENGTH),
});

export const RtcIceCandidateSchema = z.object({
  candidate: z.string().max(2048),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1024).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

/** One WebRTC negotiation message between two participants. `candidate: null` ends the trickle. */
export const RtcSignalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('description'), description: RtcSessionDescriptionSchema }),
  z.object({ kind: z.literal('candidate'), candidate: RtcIceCandidateSchema.nullable() }),
]);
export type RtcSignal = z.infer<typeof RtcSignalSchema>;

export const MeetingParticipantSchema = z.object({
  userId: IdSchema,
  name: z.string(),
  isHost: z.boolean(),
  audioMuted: z.boolean(),
  videoMuted: z.boolean(),
  screenSharing: z.boolean(),
});
export type MeetingParticipant = z.infer<typeof MeetingParticipantSchema>;

// ---- client -> server ------------------------------------------------------------------------

/** Enter a meeting's room after `POST /api/meetings/:id/join` answered `provider: "local"`. */
export const MeetingJoinFrameSchema = z.object({ type: z.literal('meeting.join'), meetingId: IdSchema });
export const MeetingLeaveFrameSchema = z.object({ type: z.literal('meeting.leave'), meetingId: IdSchema });
/** Relayed to `to` only when both are in the same meeting's room. */
export const RtcSignalClientFrameSchema = z.object({
  type: z.literal('rtc.signal'),
  meetingId: IdSchema,
  to: IdSchema,
  signal: RtcSignalSchema,
});
/** The sender's own microphone, camera and screen state, for everyone's participant list. */
export const MeetingMediaFrameSchema = z.object({
  type: z.literal('meeting.media'),
  meetingId: IdSchema,
  audioMuted: z.boolean(),
  videoMuted: z.boolean(),
  screenSharing: z.boolean(),
});
/** Host (or organization admin): ask a participant to mute their microphone. */
export const MeetingMuteFrameSchema = z.object({ type: z.literal('meeting.mute'), meetingId: IdSchema, userId: IdSchema });
/** Host (or organization admin): remove a participant; they cannot join again during this session unless let back in. */
export const MeetingRemoveFrameSchema = z.object({ type: z.literal('meeting.remove'), meetingId: IdSchema, userId: IdSchema });

export const meetingClientFrames = [
  MeetingJoinFrameSchema,
  MeetingLeaveFrameSchema,
  RtcSignalClientFrameSchema,
  MeetingMediaFrameSchema,
  MeetingMuteFrameSchema,
  MeetingRemoveFrameSchema,
] as const;

// ---- server -> client ------------------------------------------------------------------------

/**
 * Frames meant for one connection of a user carry its `connectionId` (from `meeting.joined`);
 * the user's other connections ignore them.
 */
export const MeetingJoinedFrameSchema = z.object({
  type: z.literal('meeting.joined'),
  meetingId: IdSchema,
  connectionId: z.string(),
  /** Everyone in the room, the joiner included. The joiner makes the offers to the others. */
  participants: z.array(MeetingParticipantSchema),
});
export const MeetingParticipantsFrameSchema = z.object({
  type: z.literal('meeting.participants'),
  meetingId: IdSchema,
  participants: z.array(MeetingParticipantSchema),
});
export const RtcSignalServerFrameSchema = z.object({
  type: z.literal('rtc.signal'),
  meetingId: IdSchema,
  from: IdSchema,
  connectionId: z.string(),
  signal: RtcSignalSchema,
});
export const MeetingMuteRequestedFrameSchema = z.object({
  type: z.literal('meeting.mute_requested'),
  meetingId: IdSchema,
  connectionId: z.string(),
  byUserId: IdSchema,
});
export const MeetingRemovedFrameSchema = z.object({
  type: z.literal('meeting.removed'),
  meetingId: IdSchema,
  connectionId: z.string(),
  /** `removed_from_organization`: the person left, or was removed from, the meeting's organization. */
  reason: z.enum(['removed_by_host', 'joined_elsewhere', 'removed_from_organization']),
  byUserId: IdSchema.optional(),
});
export const MeetingEndedFrameSchema = z.object({
  type: z.literal('meeting.ended'),
  meetingId: IdSchema,
  reason: z.enum(['ended', 'cancelled']),
});

export const meetingServerFrames = [
  MeetingJoinedFrameSchema,
  MeetingParticipantsFrameSchema,
  RtcSignalServerFrameSchema,
  MeetingMuteRequestedFrameSchema,
  MeetingRemovedFrameSchema,
  MeetingEndedFrameSchema,
] as const;
