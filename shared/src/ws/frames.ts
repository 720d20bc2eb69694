import { z } from 'zod';
import {
  ChatMessageSchema,
  ClientMessageIdSchema,
  EmojiSchema,
  MessageBodySchema,
} from '../api/chat.js';
import { IdSchema } from '../api/common.js';
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
  /** Standard codes, listed for completeness. */
  messageTooBig: 1009,
  goingAway: 1001,
} as const;

/** Close codes after which reconnecting with the same token is pointless: get a new one first. */
export const WS_REAUTH_CLOSE_CODES: readonly number[] = [WS_CLOSE_CODES.authFailed, WS_CLOSE_CODES.tokenExpired];

export const PRESENCE_STATUSES = ['online', 'away', 'in_meeting', 'offline'] as const;
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

export const NOTIFICATION_KINDS = ['mention', 'direct_message', 'meeting_reminder', 'meeting_started'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

// ---- client -> server ------------------------------------------------------------------------

export const AuthFrameSchema = z.object({ type: z.literal('auth'), token: z.string().min(1).max(8192) });
export const ResumeFrameSchema = z.object({
  type: z.literal('resume'),
  /** The highest `eventSeq` the client holds per channel. */
  channels: z.array(z.object({ channelId: IdSchema, afterEventSeq: z.number().int().nonnegative() })).max(500),
});
export const ChatSendFrameSchema = z.object({
  type: z.literal('chat.send'),
  clientId: ClientMessageIdSchema,
  channelId: IdSchema,
  body: MessageBodySchema,
  replyToId: IdSchema.optional(),
});
export const ChatEditFrameSchema = z.object({
  type: z.literal('chat.edit'),
  messageId: IdSchema,
  body: MessageBodySchema,
});
export const ChatDeleteFrameSchema = z.object({ type: z.literal('chat.delete'), messageId: IdSchema });
export const ChatReactFrameSchema = z.object({
  type: z.literal('chat.react'),
  messageId: IdSchema,
  emoji: EmojiSchema,
  /** true adds the caller's reaction, false removes it. */
  add: z.boolean(),
});
export const ChatReadFrameSchema = z.object({ type: z.literal('chat.read'), channelId: IdSchema, seq: z.number().int().nonnegative() });
export const TypingFrameSchema = z.object({ type: z.literal('typing'), channelId: IdSchema });
export const PresenceSetFrameSchema = z.object({
  type: z.literal('presence.set'),
  /** What the user chose; "in a meeting" is set by the server while they are in one. */
  status: z.enum(['online', 'away']),
});
/** Asks for the presence of these people (say, those on screen), replacing the previous request. */
export const PresenceSubscribeFrameSchema = z.object({
  type: z.literal('presence.subscribe'),
  userIds: z.array(IdSchema).max(PRESENCE_SUBSCRIBE_MAX),
});
export const PingFrameSchema = z.object({ type: z.literal('ping'), nonce: z.string().max(64).optional() });

export const chatClientFrames = [
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

export const ClientFrameSchema = z.discriminatedUnion('type', [...chatClientFrames, ...meetingClientFrames]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
export type ClientFrameType = ClientFrame['type'];
export type ClientFrameOf<T extends ClientFrameType> = Extract<ClientFrame, { type: T }>;
export const CLIENT_FRAME_TYPES: readonly string[] = [...chatClientFrames, ...meetingClientFrames].map(
  (schema) => schema.shape.type.value,
);

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
export const ErrorFrameSchema = z.object({
  type: z.literal('error'),
  code: z.enum(FRAME_ERROR_CODES),
  message: z.string(),
  /** Which client frame this answers, when it could be read: its type and, for `chat.send`, its client id. */
  ref: z.object({ type: z.string().optional(), clientId: z.string().optional() }).optional(),
  /** For `rate_limited`: when the client may try again. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export const PongFrameSchema = z.object({ type: z.literal('pong'), nonce: z.string().optional() });

export const chatServerFrames = [
  ReadyFrameSchema,
  ChatAckFrameSchema,
  ChatMessageFrameSchema,
  ChatRefetchFrameSchema,
  ResumedFrameSchema,
  ReadMarkerFrameSchema,
  PresenceUpdateFrameSchema,
  PresenceSnapshotFrameSchema,
  PresenceChangesFrameSchema,
  TypingUpdateFrameSchema,
  NotifyFrameSchema,
  ChannelAddedFrameSchema,
  ErrorFrameSchema,
  PongFrameSchema,
] as const;

export const ServerFrameSchema = z.discriminatedUnion('type', [...chatServerFrames, ...meetingServerFrames]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
export type ServerFrameType = ServerFrame['type'];
export type ServerFrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;

export type ParsedFrame<F> =
  | { ok: true; frame: F }
  | { ok: false; code: 'malformed' | 'unknown_type' | 'invalid_frame'; message: string; type?: string; clientId?: string };

function parseWith<F>(
  schema: z.ZodType<F>,
  knownTypes: readonly string[] | null,
  text: string,
): ParsedFrame<F> {
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

/** Client frame types the chat gateway declares; everything else in the union comes from meetings. */
export type ChatClientFrameType = z.infer<(typeof chatClientFrames)[number]>['type'];
export type MeetingClientFrameType = Exclude<ClientFrameType, ChatClientFrameType>;
