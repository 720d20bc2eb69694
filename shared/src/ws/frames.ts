import { z } from 'zod';
import { ChatMessageSchema, ClientMessageIdSchema, EmojiSchema, MessageBodySchema } from '../api/chat.js';
import { IdSchema } from '../api/common.js';
import { NOTIFICATION_KINDS } from '../notifications.js';
import { callServerFrames } from './call-frames.js';
import { meetingClientFrames, meetingServerFrames } from './meeting-frames.js';

/**
 * Every WebSocket frame, both directions, declared once and validated on both ends.
 * A frame is one JSON text message keyed by `type`.
 */

/** A client frame larger than this closes the connection with 1009 (message too big). */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;
/** A connection must send a valid `auth` frame this soon after opening. */
export const AUTH_TIMEOUT_MS = 5_000;
/** Most missed events one `resume` replays per channel; past it the server answers `chat.refetch`. */
export const RESUME_REPLAY_LIMIT = 500;
/**
 * Most channels one `resume` frame may name (more is refused with `invalid_frame`; a client with more
 * channels sends several frames). A channel named twice is resumed once, from the lower cursor.
 */
export const RESUME_MAX_CHANNELS = 100;
/** Most missed events one `resume` frame replays in all; channels past it get `chat.refetch`. */
export const RESUME_FRAME_REPLAY_LIMIT = 1_000;

/** Close codes the gateway uses, so clients can tell "sign in again" from "reconnect". */
export const WS_CLOSE_CODES = {
  /** The token in an `auth` frame was missing, malformed, revoked or expired. */
  authFailed: 4401,
  /** No `auth` frame arrived within AUTH_TIMEOUT_MS, or another frame came first. */
  authTimeout: 4408,
  /** The token expired and no fresh `auth` frame replaced it in time. */
  tokenExpired: 4419,
  /** A re-authentication presented a different user than the connection belongs to. */
  userMismatch: 4409,
  /** The client read too slowly and its send buffer passed the bound. */
  slowConsumer: 4429,
  /** The client kept more frames waiting than the server queues for one connection, or kept sending after `rate_limited`. */
  backlog: 4430,
  /** Standard codes, listed for completeness. */
  messageTooBig: 1009,
  goingAway: 1001,
} as const;

/** Close codes after which reconnecting with the same token is pointless: get a new one first. */
export const WS_REAUTH_CLOSE_CODES: readonly number[] = [WS_CLOSE_CODES.authFailed, WS_CLOSE_CODES.tokenExpired];

/** `dnd`: the person switched do-not-disturb on (the desktop tray's availability); calls ring them silently. */
export const PRESENCE_STATUSES = ['online', 'away', 'dnd', 'in_meeting', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/**
 * Organizations up to this size get everyone's presence pushed to every member (snapshot on connect,
 * then updates). Above it, pushing every change to everyone grows with the square of the member
 * count, so a client asks with `presence.subscribe` for the people it shows.
 */
export const PRESENCE_ORG_PUSH_LIMIT = 500;
export const PRESENCE_SUBSCRIBE_MAX = 500;

export const FRAME_ERROR_CODES = [
  'malformed',
  'unknown_type',
  'invalid_frame',
  'rate_limited',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'internal',
] as const;
export type FrameErrorCode = (typeof FRAME_ERROR_CODES)[number];

// ---- client -> server ------------------------------------------------------------------------

export const AuthFrameSchema = z.object({ type: z.literal('auth'), token: z.string().min(1).max(8192) });
export const ResumeFrameSchema = z.object({
  type: z.literal('resume'),
  /** The highest `eventSeq` the client holds per channel. */
  channels: z.array(z.object({ channelId: IdSchema, afterEventSeq: z.number().int().nonnegative() })).max(RESUME_MAX_CHANNELS),
});
export const ChatSendFrameSchema = z.object({
  type: z.literal('chat.send'),
  clientId: ClientMessageIdSchema,
  channelId: IdSchema,
  body: MessageBodySchema,
  replyToId: IdSchema.optional(),
});
/**
 * Edits, deletions and reactions are answered by `chat.applied` carrying the same `clientId` (a
 * fresh id the client picks per command), or by an `error` whose `ref.clientId` names it.
 */
export const ChatEditFrameSchema = z.object({
  type: z.literal('chat.edit'),
  clientId: ClientMessageIdSchema,
  messageId: IdSchema,
  body: MessageBodySchema,
});
export const ChatDeleteFrameSchema = z.object({ type: z.literal('chat.delete'), clientId: ClientMessageIdSchema, messageId: IdSchema });
export const ChatReactFrameSchema = z.object({
  type: z.literal('chat.react'),
  clientId: ClientMessageIdSchema,
  messageId: IdSchema,
  emoji: EmojiSchema,
  /** true adds the caller's reaction, false removes it. */
  add: z.boolean(),
});
/** Marks the channel read up to `seq`; answered by `chat.read_marker` to each of the user's connections. */
export const ChatReadFrameSchema = z.object({ type: z.literal('chat.read'), channelId: IdSchema, seq: z.number().int().nonnegative() });
export const TypingFrameSchema = z.object({ type: z.literal('typing'), channelId: IdSchema });
export const PresenceSetFrameSchema = z.object({
  type: z.literal('presence.set'),
  /** What the user chose; "in a meeting" is set by the server while they are in one. */
  status: z.enum(['online', 'away', 'dnd']),
});
/** Asks for the presence of these people (say, those on screen), replacing the previous request. */
export const PresenceSubscribeFrameSchema = z.object({
  type: z.literal('presence.subscribe'),
  userIds: z.array(IdSchema).max(PRESENCE_SUBSCRIBE_MAX),
});
export const PingFrameSchema = z.object({ type: z.literal('ping'), nonce: z.string().max(64).optional() });

/** Every client frame but the meeting ones (meeting-frames.ts): the connection's own (auth, resume, ping), presence, typing and chat. */
export const coreClientFrames = [
  AuthFrameSchema,
  ResumeFrameSchema,
  ChatSendFrameSchema,
  ChatEditFrameSchema,
  ChatDeleteFrameSchema,
  ChatReactFrameSchema,
  ChatReadFrameSchema,
  TypingFrameSchema,
  PresenceSetFrameSchema,
  PresenceSubscribeFrameSchema,
  PingFrameSchema,
] as const;

export const ClientFrameSchema = z.discriminatedUnion('type', [...coreClientFrames, ...meetingClientFrames]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
export type ClientFrameType = ClientFrame['type'];
export type ClientFrameOf<T extends ClientFrameType> = Extract<ClientFrame, { type: T }>;
export const CLIENT_FRAME_TYPES: readonly string[] = [...coreClientFrames, ...meetingClientFrames].map((schema) => schema.shape.type.value);

// ---- server -> client ------------------------------------------------------------------------

export const ReadyFrameSchema = z.object({
  type: z.literal('ready'),
  userId: IdSchema,
  connectionId: z.string(),
  /** When the token expires (seconds since the epoch): send a fresh `auth` frame before then. */
  expiresAt: z.number(),
  /** True when this `ready` answers a re-authentication on an open connection. */
  reauthenticated: z.boolean(),
});
export const ChatAckFrameSchema = z.object({
  type: z.literal('chat.ack'),
  clientId: ClientMessageIdSchema,
  channelId: IdSchema,
  messageId: IdSchema,
  seq: z.number().int().positive(),
  eventSeq: z.number().int().positive(),
  /** True when this client id had already been stored: nothing new was written. */
  duplicate: z.boolean(),
});
export const ChatMessageFrameSchema = z.object({ type: z.literal('chat.message'), message: ChatMessageSchema });
/** A `chat.edit`, `chat.delete` or `chat.react` was applied: the message as it now is (the channel hears it as `chat.message`). */
export const ChatAppliedFrameSchema = z.object({ type: z.literal('chat.applied'), clientId: ClientMessageIdSchema, message: ChatMessageSchema });
export const ChatRefetchFrameSchema = z.object({
  type: z.literal('chat.refetch'),
  channelId: IdSchema,
  /** The channel's latest event sequence, to resume from once history is reloaded over HTTP. */
  lastEventSeq: z.number().int().nonnegative(),
});
export const ResumedFrameSchema = z.object({
  type: z.literal('resumed'),
  channels: z.array(z.object({ channelId: IdSchema, replayed: z.number().int().nonnegative(), refetch: z.boolean() })),
});
export const ReadMarkerFrameSchema = z.object({
  type: z.literal('chat.read_marker'),
  channelId: IdSchema,
  lastReadSeq: z.number().int().nonnegative(),
  unread: z.number().int().nonnegative(),
});
export const PresenceUpdateFrameSchema = z.object({
  type: z.literal('presence.update'),
  userId: IdSchema,
  status: z.enum(PRESENCE_STATUSES),
});
/** Statuses of some users, merged into what the client knows (answers `presence.subscribe`). */
export const PresenceChangesFrameSchema = z.object({
  type: z.literal('presence.changes'),
  users: z.array(z.object({ userId: IdSchema, status: z.enum(PRESENCE_STATUSES) })),
});
/** Everyone present in the caller's organizations of up to PRESENCE_ORG_PUSH_LIMIT members; anyone absent is offline. */
export const PresenceSnapshotFrameSchema = z.object({
  type: z.literal('presence.snapshot'),
  users: z.array(z.object({ userId: IdSchema, status: z.enum(PRESENCE_STATUSES) })),
});
export const TypingUpdateFrameSchema = z.object({
  type: z.literal('typing.update'),
  channelId: IdSchema,
  userId: IdSchema,
});
export const NotificationSchema = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  orgId: IdSchema,
  title: z.string(),
  body: z.string(),
  channelId: IdSchema.optional(),
  messageId: IdSchema.optional(),
  meetingId: IdSchema.optional(),
  fromUserId: IdSchema.optional(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type Notification = z.infer<typeof NotificationSchema>;
export const NotifyFrameSchema = z.object({ type: z.literal('notify'), notification: NotificationSchema });
export const ChannelAddedFrameSchema = z.object({ type: z.literal('channel.added'), channelId: IdSchema, orgId: IdSchema });
/** A channel was renamed, archived or unarchived: clients reload their channel list. */
export const ChannelUpdatedFrameSchema = z.object({ type: z.literal('channel.updated'), channelId: IdSchema, orgId: IdSchema });
/** A team was renamed or deleted, or someone's role in it changed: its members reload teams and channels. */
export const TeamUpdatedFrameSchema = z.object({ type: z.literal('team.updated'), teamId: IdSchema, orgId: IdSchema });
export const ErrorFrameSchema = z.object({
  type: z.literal('error'),
  code: z.enum(FRAME_ERROR_CODES),
  message: z.string(),
  /** Which client frame this answers, when it could be read: its type and, for frames that carry one, its client id. */
  ref: z.object({ type: z.string().optional(), clientId: z.string().optional() }).optional(),
  /** For `rate_limited`: when the client may try again. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export const PongFrameSchema = z.object({ type: z.literal('pong'), nonce: z.string().optional() });

export const chatServerFrames = [
  ReadyFrameSchema,
  ChatAckFrameSchema,
  ChatMessageFrameSchema,
  ChatAppliedFrameSchema,
  ChatRefetchFrameSchema,
  ResumedFrameSchema,
  ReadMarkerFrameSchema,
  PresenceUpdateFrameSchema,
  PresenceSnapshotFrameSchema,
  PresenceChangesFrameSchema,
  TypingUpdateFrameSchema,
  NotifyFrameSchema,
  ChannelAddedFrameSchema,
  ChannelUpdatedFrameSchema,
  TeamUpdatedFrameSchema,
  ErrorFrameSchema,
  PongFrameSchema,
] as const;

export const ServerFrameSchema = z.discriminatedUnion('type', [...chatServerFrames, ...meetingServerFrames, ...callServerFrames]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
export type ServerFrameType = ServerFrame['type'];
export type ServerFrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;

export type ParsedFrame<F> =
  { ok: true; frame: F } | { ok: false; code: 'malformed' | 'unknown_type' | 'invalid_frame'; message: string; type?: string; clientId?: string };

function parseWith<F>(schema: z.ZodType<F>, knownTypes: readonly string[] | null, text: string): ParsedFrame<F> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: 'malformed', message: 'Frame is not valid JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof (json as { type?: unknown }).type !== 'string') {
    return { ok: false, code: 'malformed', message: 'Frame must be a JSON object with a string "type"' };
  }
  const type = (json as { type: string }).type;
  const rawClientId = (json as { clientId?: unknown }).clientId;
  const clientId = typeof rawClientId === 'string' ? rawClientId.slice(0, 64) : undefined;
  if (knownTypes && !knownTypes.includes(type)) {
    return { ok: false, code: 'unknown_type', message: `Unknown frame type "${type.slice(0, 64)}"`, type: type.slice(0, 64), clientId };
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const message = result.error.issues.map((issue) => `${issue.path.join('.') || 'frame'}: ${issue.message}`).join('; ');
    return { ok: false, code: 'invalid_frame', message, type, clientId };
  }
  return { ok: true, frame: result.data };
}

/** Validates a client frame's text; never throws. */
export function parseClientFrame(text: string): ParsedFrame<ClientFrame> {
  return parseWith(ClientFrameSchema, CLIENT_FRAME_TYPES, text);
}

/** Validates a server frame's text; never throws. */
export function parseServerFrame(text: string): ParsedFrame<ServerFrame> {
  return parseWith(ServerFrameSchema, null, text);
}

/** Client frame types outside meetings: the connection's, presence, typing and chat; everything else in the union comes from meetings. */
export type CoreClientFrameType = z.infer<(typeof coreClientFrames)[number]>['type'];
export type MeetingClientFrameType = Exclude<ClientFrameType, CoreClientFrameType>;
