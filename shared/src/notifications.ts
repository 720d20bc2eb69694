import { z } from 'zod';

/**
 * What a notification is about, spelled one way everywhere: in the server's `notify` frames, in the
 * renderer, and in the desktop banners main shows (`notifications.show` in ipc.ts).
 * `meeting_started` repeats a `meeting_reminder` to invitees who have not joined once the meeting began.
 */
export const NOTIFICATION_KINDS = ['mention', 'direct_message', 'meeting_reminder', 'meeting_started'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A schema field holding one kind of the vocabulary: a misspelt kind does not type-check. */
export function notificationKind<K extends NotificationKind>(kind: K) {
  return z.literal(kind);
}
