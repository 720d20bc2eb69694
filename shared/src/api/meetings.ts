import { z } from 'zod';
import { IdSchema } from './common.js';
import { multiLineText, singleLineText } from './text.js';
import { MeetingParticipantSchema } from '../ws/meeting-frames.js';

/** `call`: the meeting a ringing call from a direct message runs as; only the conversation's members see it. */
export const MEETING_KINDS = ['instant', 'scheduled', 'personal', 'call'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_STATUSES = ['scheduled', 'live', 'ended', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const VIDEO_PROVIDERS = ['local', 'stream'] as const;
export type VideoProviderName = (typeof VIDEO_PROVIDERS)[number];

export const MEETING_SCOPES = ['upcoming', 'live', 'previous'] as const;
export type MeetingScope = (typeof MEETING_SCOPES)[number];

export const MAX_MEETING_INVITEES = 200;
export const DEFAULT_MEETING_DURATION_MINUTES = 30;

const TitleSchema = singleLineText(200);
const DescriptionSchema = multiLineText(5000);
const StartsAtSchema = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time such as 2030-01-31T09:00:00Z' });
const DurationSchema = z.number().int().min(1).max(1440);
const InviteeIdsSchema = z
  .array(IdSchema)
  .max(MAX_MEETING_INVITEES)
  .refine((ids) => new Set(ids).size === ids.length, 'lists the same user twice');

export const MeetingParamsSchema = z.object({ id: IdSchema });

export const CreateMeetingBodySchema = z.object({
  orgId: IdSchema,
  title: TitleSchema,
  description: DescriptionSchema.optional(),
  /** Absent: an instant meeting that starts now. */
  startsAt: StartsAtSchema.optional(),
  durationMinutes: DurationSchema.optional(),
  teamId: IdSchema.optional(),
  inviteeIds: InviteeIdsSchema.optional(),
  /** True: only the invitees (and the team, and admins) may join; otherwise anyone in the organization with the link. */
  inviteesOnly: z.boolean().optional(),
});
export type CreateMeetingBody = z.input<typeof CreateMeetingBodySchema>;

export const UpdateMeetingBodySchema = z
  .object({
    title: TitleSchema.optional(),
    description: DescriptionSchema.optional(),
    startsAt: StartsAtSchema.optional(),
    durationMinutes: DurationSchema.optional(),
    inviteeIds: InviteeIdsSchema.optional(),
    inviteesOnly: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'names nothing to change');
export type UpdateMeetingBody = z.input<typeof UpdateMeetingBodySchema>;

export const ListMeetingsQuerySchema = z.object({
  orgId: IdSchema,
  scope: z.enum(MEETING_SCOPES).default('upcoming'),
});

export const PersonalRoomQuerySchema = z.object({ orgId: IdSchema });

/** "Join next meeting" looks this far ahead for a meeting that has not started yet. */
export const JOIN_NEXT_WINDOW_MINUTES = 10;
/** Without `orgId`, every organization the user belongs to. */
export const NextMeetingQuerySchema = z.object({ orgId: IdSchema.optional() });

export const MeetingSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  teamId: IdSchema.nullable(),
  kind: z.enum(MEETING_KINDS),
  title: z.string(),
  description: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  durationMinutes: z.number().int(),
  hostId: IdSchema,
  status: z.enum(MEETING_STATUSES),
  provider: z.enum(VIDEO_PROVIDERS),
  inviteeIds: z.array(IdSchema),
  /** Only the invitees, the meeting's team and organization admins may join (otherwise anyone in the organization with the link). */
  inviteesOnly: z.boolean(),
  sequence: z.number().int(),
  /** The https link for calendars and browsers: `<server>/m/<id>`. */
  joinUrl: z.string(),
  /** The link that opens the desktop app: `collaro://meeting/<id>`. */
  deepLink: z.string(),
});
export type Meeting = z.infer<typeof MeetingSchema>;
export const MeetingListSchema = z.object({ meetings: z.array(MeetingSchema) });
/** The meeting "join next meeting" opens, or null when nothing is live or starting soon. */
export const NextMeetingResponseSchema = z.object({ meeting: MeetingSchema.nullable() });
export type NextMeetingResponse = z.infer<typeof NextMeetingResponseSchema>;

export const IceServerSchema = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;
export const IceServersSchema = z.array(IceServerSchema);

export const LocalJoinResponseSchema = z.object({
  provider: z.literal('local'),
  meetingId: IdSchema,
  /** The id this user has in the meeting's signaling (their user id). */
  participantId: IdSchema,
  iceServers: IceServersSchema,
  participantLimit: z.number().int().positive(),
  isHost: z.boolean(),
  /**
   * Who is in the room already, so the client can start its offers while its `meeting.join`
   * frame is on the way (the gateway handles that frame before any signal that follows it).
   */
  participants: z.array(MeetingParticipantSchema),
});
export type LocalJoinResponse = z.infer<typeof LocalJoinResponseSchema>;

export const StreamJoinResponseSchema = z.object({
  provider: z.literal('stream'),
  meetingId: IdSchema,
  apiKey: z.string(),
  token: z.string(),
  /** Seconds since the epoch when the token stops working (at most an hour away). */
  tokenExpiresAt: z.number().int(),
  /** The Stream user the token is for: a member's Collaro id, or `guest-<guest id>` for a meeting's guest. */
  userId: z.string().regex(/^[\w@-]{1,128}$/),
  callType: z.string(),
  callId: z.string(),
  isHost: z.boolean(),
});
export type StreamJoinResponse = z.infer<typeof StreamJoinResponseSchema>;

export const JoinMeetingResponseSchema = z.discriminatedUnion('provider', [LocalJoinResponseSchema, StreamJoinResponseSchema]);
export type JoinMeetingResponse = z.infer<typeof JoinMeetingResponseSchema>;

export const MeetingRecordingSchema = z.object({
  filename: z.string(),
  url: z.string(),
  startTime: z.string(),
  endTime: z.string(),
});
export type MeetingRecording = z.infer<typeof MeetingRecordingSchema>;
export const MeetingRecordingListSchema = z.object({ recordings: z.array(MeetingRecordingSchema) });

export const CalendarTokenResponseSchema = z.object({
  /** Shown once: only its hash is kept, so losing it means rotating again. */
  token: z.string(),
  feedUrl: z.string(),
  webcalUrl: z.string(),
});
export type CalendarTokenResponse = z.infer<typeof CalendarTokenResponseSchema>;

export const CalendarFeedParamsSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a calendar feed token'),
});

/** The parts of a Stream webhook event Collaro acts on; other fields are ignored. */
export const StreamWebhookEventSchema = z.object({
  type: z.string().min(1),
  call_cid: z.string().min(1).optional(),
  /** When the event happened, inside the signed body: stale events are refused. */
  created_at: z.iso.datetime({ offset: true }),
});
export type StreamWebhookEvent = z.infer<typeof StreamWebhookEventSchema>;
