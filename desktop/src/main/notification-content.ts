import type { DesktopNotification, NavigationTarget, NotificationResult } from '@collaro/shared';
import type { DesktopState } from './desktop-state.js';

export type SuppressionReason = Exclude<NotificationResult, { shown: true }>['reason'];

/**
 * Quiet while do-not-disturb is on (Collaro's or the system's). While a screen is shared, messages
 * are held (nobody wants a DM preview on a shared screen); a meeting reminder still
 * shows, without its contents (see `presentingContent`).
 */
export function notificationSuppression(
  notification: DesktopNotification,
  state: Pick<DesktopState, 'availability' | 'call'>,
  appFocused: boolean,
  quiet: { systemDoNotDisturb?: boolean; automaticDoNotDisturb?: boolean } = {},
): SuppressionReason | null {
  const reminder = notification.kind === 'meeting_reminder';
  if (state.call.sharing && !reminder) return 'screen-sharing';
  // The do-not-disturb presenting switched on by itself silences people, not the person's own next meeting.
  const presentersReminder = reminder && state.call.sharing && quiet.automaticDoNotDisturb === true;
  if (state.availability === 'do-not-disturb' && !presentersReminder) return 'do-not-disturb';
  if (quiet.systemDoNotDisturb) return 'system-do-not-disturb';
  // The open app already shows new messages; meetings still deserve a nudge.
  if (appFocused && (notification.kind === 'mention' || notification.kind === 'direct_message')) return 'app-focused';
  return null;
}

export interface NotificationContent {
  title: string;
  body: string;
  /** Offered as a button where the platform supports actions (macOS); a click does the same everywhere. */
  actionLabel: string | null;
  target: NavigationTarget;
}

/** "starts in 4 minutes", "starts in 1 minute", "has started": rounded up, so a reminder never says 0. */
export function startingPhrase(startsAt: string, now: number): string {
  const left = Math.ceil((new Date(startsAt).getTime() - now) / 60_000);
  if (left <= 0) return 'has started';
  return `starts in ${left} minute${left === 1 ? '' : 's'}`;
}

export function describeNotification(notification: DesktopNotification, now: number = Date.now()): NotificationContent {
  switch (notification.kind) {
    case 'meeting_reminder':
      return {
        title: `${notification.title} ${startingPhrase(notification.startsAt, now)}`,
        body: 'Click to open the pre-join screen.',
        actionLabel: 'Join',
        target: { kind: 'meeting', meetingId: notification.meetingId },
      };
    case 'mention':
      return {
        title: `${notification.authorName} mentioned you in #${notification.channelName}`,
        body: notification.preview,
        actionLabel: null,
        target: { kind: 'channel', channelId: notification.channelId },
      };
    case 'direct_message':
      return {
        title: notification.authorName,
        body: notification.preview,
        actionLabel: null,
        target: { kind: 'channel', channelId: notification.channelId },
      };
  }
}

/** What a banner may say while the screen is shared: what it is, never who or what. */
export function presentingContent(content: NotificationContent): NotificationContent {
  const title = content.target.kind === 'meeting' ? 'Meeting reminder' : 'New message';
  return { ...content, title, body: '' };
}

/** The one banner that stands for messages held during a share, shown when it ends. */
export function heldSummary(held: readonly DesktopNotification[], now: number): NotificationContent {
  const last = describeNotification(held[held.length - 1]!, now);
  if (held.length === 1) return last;
  return { title: `${held.length} notifications while you were presenting`, body: 'Click to open the latest.', actionLabel: null, target: last.target };
}

/** A reminder whose meeting has begun: it stays on screen until the person joins or dismisses it. */
export function isStartedReminder(notification: DesktopNotification, now: number): boolean {
  return notification.kind === 'meeting_reminder' && new Date(notification.startsAt).getTime() <= now;
}
