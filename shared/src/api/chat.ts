import { z } from 'zod';
import { SystemEventSchema } from './calls.js';
import { DisplayNameSchema, IdSchema } from './common.js';
import { multiLineText, singleLineText } from './text.js';

/** Markdown with fenced code blocks and `<@userId>` mentions; long enough for a pasted stack trace, short enough for one frame. */
export const MESSAGE_BODY_MAX_LENGTH = 16_000;
/** A direct message is 1:1 or a small group: the caller plus at most this many others. */
export const DM_MAX_OTHER_MEMBERS = 8;
/** Most messages one page of history returns. */
export const MESSAGE_PAGE_MAX = 200;

export const CHANNEL_KINDS = ['team', 'dm', 'meeting'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const MessageBodySchema = multiLineText(MESSAGE_BODY_MAX_LENGTH).refine((body) => body.trim().length > 0, 'message body must not be empty');
export const ClientMessageIdSchema = z.uuid();
export const EmojiSchema = singleLineText(32);

export const ChannelSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  kind: z.enum(CHANNEL_KINDS),
  teamId: IdSchema.nullable(),
  meetingId: IdSchema.nullable(),
  name: z.string(),
  isDefault: z.boolean(),
  /** For direct messages: every member, the caller included; empty for team channels. */
  memberIds: z.array(IdSchema),
  /** Highest event sequence in the channel, so a client can tell whether it is behind. */
  lastEventSeq: z.number().int().nonnegative(),
  /** An archived team channel keeps its history but takes no new messages. */
  archived: z.boolean(),
});
export type Channel = z.infer<typeof ChannelSchema>;
export const ChannelListSchema = z.object({ channels: z.array(ChannelSchema) });

export const ReactionSchema = z.object({ emoji: z.string(), userIds: z.array(IdSchema) });
export type Reaction = z.infer<typeof ReactionSchema>;

export const ChatMessageSchema = z.object({
  id: IdSchema,
  channelId: IdSchema,
  /** Position of the message in its channel; never changes. */
  seq: z.number().int().positive(),
  /** Sequence of the latest change (post, edit, delete, reaction): the resume cursor. */
  eventSeq: z.number().int().positive(),
  clientId: ClientMessageIdSchema,
  authorId: IdSchema,
  /** Empty once deleted. */
  body: z.string(),
  replyToId: IdSchema.nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  editedAt: z.iso.datetime({ offset: true }).nullable(),
  deletedAt: z.iso.datetime({ offset: true }).nullable(),
  reactions: z.array(ReactionSchema),
  /** Set on lines Collaro writes itself (a missed or declined call): shown as an event, never edited. */
  system: SystemEventSchema.nullable(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ChannelParamsSchema = z.object({ channelId: IdSchema });

export const MessagePageQuerySchema = z
  .object({
    before: z.coerce.number().int().positive().optional(),
    after: z.coerce.number().int().nonnegative().optional(),
    limit: z.coerce.number().int().min(1).max(MESSAGE_PAGE_MAX).default(50),
  })
  .refine((query) => query.before === undefined || query.after === undefined, 'use either before or after, not both');
export type MessagePageQuery = z.input<typeof MessagePageQuerySchema>;

export const MessagePageSchema = z.object({
  messages: z.array(ChatMessageSchema),
  /** True when older (with `before` or no cursor) or newer (with `after`) messages remain. */
  hasMore: z.boolean(),
});
export type MessagePage = z.infer<typeof MessagePageSchema>;

export const PostMessageBodySchema = z.object({
  clientId: ClientMessageIdSchema,
  body: MessageBodySchema,
  replyToId: IdSchema.optional(),
});
export type PostMessageBody = z.infer<typeof PostMessageBodySchema>;
export const PostMessageResponseSchema = z.object({ message: ChatMessageSchema, duplicate: z.boolean() });

export const ChannelNameSchema = DisplayNameSchema;
export const CreateChannelBodySchema = z.object({ name: ChannelNameSchema });
/** Renaming, archiving or unarchiving a team channel; at least one of the two. */
export const UpdateChannelBodySchema = z
  .object({ name: ChannelNameSchema.optional(), archived: z.boolean().optional() })
  .refine((body) => body.name !== undefined || body.archived !== undefined, 'give a new name, archived, or both');
export type UpdateChannelBody = z.infer<typeof UpdateChannelBodySchema>;
export const CreateDirectMessageBodySchema = z.object({
  userIds: z.array(IdSchema).min(1).max(DM_MAX_OTHER_MEMBERS),
});

export const UnreadChannelSchema = z.object({
  channelId: IdSchema,
  orgId: IdSchema,
  unread: z.number().int().nonnegative(),
  mentions: z.number().int().nonnegative(),
  lastReadSeq: z.number().int().nonnegative(),
});
export type UnreadChannel = z.infer<typeof UnreadChannelSchema>;
export const UnreadSchema = z.object({ channels: z.array(UnreadChannelSchema) });
export type Unread = z.infer<typeof UnreadSchema>;

const MENTION = /<@([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})>/g;

/** User ids mentioned as `<@userId>` in a message body, each once, in order of appearance. */
export function extractMentions(body: string): string[] {
  const ids = new Set<string>();
  for (const match of body.matchAll(MENTION)) ids.add(match[1]!.toLowerCase());
  return [...ids];
}

export function mentionOf(userId: string): string {
  return `<@${userId}>`;
}
