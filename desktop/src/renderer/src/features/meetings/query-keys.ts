import type { MeetingScope } from '@collaro/shared';

/**
 * The meetings feature's TanStack Query keys, the only place they are spelled. One meeting's keys
 * share its `['meeting', id]` prefix, so invalidating the meeting reloads its parts too; the home
 * screen reads `['meetings', orgId, 'upcoming']`, so the list keys keep that shape.
 */
export const meetingKeys = {
  all: ['meetings'] as const,
  list: (orgId: string, scope: MeetingScope) => ['meetings', orgId, scope] as const,
  one: (meetingId: string) => ['meeting', meetingId] as const,
  personalRoom: (orgId: string) => ['meetings', orgId, 'personal-room'] as const,
  recordings: (meetingId: string) => ['meeting', meetingId, 'recordings'] as const,
  removals: (meetingId: string) => ['meeting', meetingId, 'removals'] as const,
  chatChannel: (meetingId: string) => ['meeting', meetingId, 'chat-channel'] as const,
  /** What a guest link says (who invited, which meeting), read before the guest has a token. */
  guestLink: (token: string) => ['guest-link', token] as const,
  guestSession: (guestId: string) => ['guest', guestId, 'session'] as const,
};
