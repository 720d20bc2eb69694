import { z } from 'zod';
import { ChatMessageSchema } from './chat.js';
import { IdSchema } from './common.js';
import { JoinMeetingResponseSchema, MEETING_KINDS, MEETING_STATUSES } from './meetings.js';

/**
 * Guests: people without a Collaro account whom a host lets into one meeting. The host creates a
 * guest link; a guest opens it, gives a name and gets a guest token that is good for that meeting
 * (its room and its chat) and nothing else, until the meeting ends.
 */
export const GuestLinkTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a guest link');
export const GuestLinkTokenParamsSchema = z.object({ token: GuestLinkTokenSchema });

export const CreatedGuestLinkSchema = z.object({
  id: IdSchema,
  token: GuestLinkTokenSchema,
  /** The page a guest opens: `<PUBLIC_URL>/guest/<token>`. */
  url: z.url(),
});
export type CreatedGuestLink = z.infer<typeof CreatedGuestLinkSchema>;

/** What a guest link shows before the guest gives a name. */
export const GuestLinkInfoSchema = z.object({
  meetingTitle: z.string(),
  hostName: z.string(),
});
export type GuestLinkInfo = z.infer<typeof GuestLinkInfoSchema>;

export const GuestEntryBodySchema = z.object({
  name: z.string().trim().min(1, 'Enter the name the others will see').max(80, 'A name has at most 80 characters'),
});
export type GuestEntryBody = z.input<typeof GuestEntryBodySchema>;

/** A guest token: `cg_` and 43 base64url characters. Sent as `Authorization: Bearer` and in the WebSocket's auth frame. */
export const GUEST_TOKEN_PREFIX = 'cg_';

/** The meeting as a guest sees it: no invitees, no links, nothing about the organization. */
export const GuestMeetingSchema = z.object({
  id: IdSchema,
  title: z.string(),
  kind: z.enum(MEETING_KINDS),
  status: z.enum(MEETING_STATUSES),
  hostId: IdSchema,
});
export type GuestMeeting = z.infer<typeof GuestMeetingSchema>;

export const GuestSessionSchema = z.object({
  guestId: IdSchema,
  name: z.string(),
  meeting: GuestMeetingSchema,
  /** The meeting's chat channel, once someone has entered the room. */
  channelId: IdSchema.nullable(),
});
export type GuestSession = z.infer<typeof GuestSessionSchema>;

export const GuestEntrySchema = GuestSessionSchema.extend({ token: z.string() });
export type GuestEntry = z.infer<typeof GuestEntrySchema>;

export const GuestJoinResponseSchema = JoinMeetingResponseSchema;

export const GuestMessagesSchema = z.object({
  messages: z.array(ChatMessageSchema),
  /** Authors' names, including other guests who are in no organization. */
  authors: z.record(z.string(), z.string()),
});
export type GuestMessages = z.infer<typeof GuestMessagesSchema>;

export function guestLinkPath(token: string): string {
  return `/guest/${token}`;
}
