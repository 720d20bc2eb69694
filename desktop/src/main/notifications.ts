import type { DesktopNotification, NavigationTarget, NotificationResult, TrayMeeting } from '@collaro/shared';
import type { DesktopState, DesktopStateStore } from './desktop-state.js';

export const MEETING_REMINDER_LEAD_MS = 5 * 60_000;
/** Reminders are scheduled only this far ahead; the renderer refreshes the meeting list long before. */
const REMINDER_HORIZON_MS = 24 * 60 * 60_000;

export type SuppressionReason = Exclude<NotificationResult, { shown: true }>['reason'];

/** Quiet while do-not-disturb is on, and while a screen is shared (nobody wants a DM preview on a shared screen). */
export function notificationSuppression(
  notification: DesktopNotification,
  state: Pick<DesktopState, 'availability' | 'call'>,
  appFocused: boolean,
): SuppressionReason | null {
  if (state.call.sharing) return 'screen-sharing';
  if (state.availability === 'do-not-disturb') return 'do-not-disturb';
  // The open app already shows new messages; meetings still deserve a nudge.
  if (appFocused && (notification.kind === 'mention' || notification.kind === 'direct-message')) return 'app-focused';
  return null;
}

export interface NotificationContent {
  title: string;
  body: string;
  /** Offered as a button where the platform supports actions (macOS); a click does the same everywhere. */
  actionLabel: string | null;
  target: NavigationTarget;
}

export function describeNotification(notification: DesktopNotification): NotificationContent {
  switch (notification.kind) {
    case 'meeting-starting':
      return {
        title: `${notification.title} starts in 5 minutes`,
        body: 'Click to open the pre-join screen.',
        actionLabel: 'Join',
        target: { kind: 'meeting', meetingId: notification.meetingId },
      };
    case 'meeting-invitation':
      return {
        title: `${notification.inviterName} invited you to a meeting`,
        body: notification.title,
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
    case 'direct-message':
      return {
        title: notification.authorName,
        body: notification.preview,
        actionLabel: null,
        target: { kind: 'channel', channelId: notification.channelId },
      };
  }
}

export interface NotificationLike {
  on(event: 'click' | 'action' | 'close', listener: () => void): unknown;
  show(): void;
}

export interface NotificationOptionsLike {
  title: string;
  body: string;
  silent: boolean;
  actions?: { type: 'button'; text: string }[];
}

export interface Scheduler {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface NotificationDeps {
  state: DesktopStateStore;
  isSupported: () => boolean;
  createNotification: (options: NotificationOptionsLike) => NotificationLike;
  isAppFocused: () => boolean;
  /** A click brings the window forward and tells the renderer where to go. */
  onClicked: (target: NavigationTarget) => void;
  setBadgeCount: (count: number) => void;
  platform: NodeJS.Platform;
  scheduler?: Scheduler;
}

export class NotificationService {
  readonly #deps: NotificationDeps;
  readonly #scheduler: Scheduler;
  // Electron drops a notification's click handlers once the object is garbage collected.
  readonly #live = new Set<NotificationLike>();
  readonly #reminders = new Map<string, { startsAt: string; handle: unknown }>();
  readonly #reminded = new Set<string>();
  #unsubscribe: (() => void) | null = null;

  constructor(deps: NotificationDeps) {
    this.#deps = deps;
    this.#scheduler = deps.scheduler ?? systemScheduler;
  }

  start(): void {
    this.#unsubscribe = this.#deps.state.subscribe((state, previous) => {
      if (state.meetings !== previous.meetings) this.scheduleMeetingReminders(state.meetings);
      if (state.unread !== previous.unread) this.#deps.setBadgeCount(state.unread);
    });
  }

  dispose(): void {
    this.#unsubscribe?.();
    for (const reminder of this.#reminders.values()) this.#scheduler.clearTimeout(reminder.handle);
    this.#reminders.clear();
    this.#live.clear();
  }

  show(notification: DesktopNotification): NotificationResult {
    const suppressed = notificationSuppression(notification, this.#deps.state.get(), this.#deps.isAppFocused());
    if (suppressed) return { shown: false, reason: suppressed };
    if (!this.#deps.isSupported()) return { shown: false, reason: 'unsupported' };
    const content = describeNotification(notification);
    const options: NotificationOptionsLike = { title: content.title, body: content.body, silent: false };
    if (content.actionLabel && this.#deps.platform === 'darwin') options.actions = [{ type: 'button', text: content.actionLabel }];
    const shown = this.#deps.createNotification(options);
    this.#live.add(shown);
    const open = (): void => {
      this.#live.delete(shown);
      this.#deps.onClicked(content.target);
    };
    shown.on('click', open);
    shown.on('action', open);
    shown.on('close', () => this.#live.delete(shown));
    shown.show();
    return { shown: true };
  }

  /** One reminder per meeting, five minutes before it starts; rescheduled when a meeting moves. */
  scheduleMeetingReminders(meetings: readonly TrayMeeting[]): void {
    const now = this.#scheduler.now();
    const wanted = new Map(meetings.map((meeting) => [meeting.id, meeting]));
    for (const [id, reminder] of this.#reminders) {
      if (wanted.get(id)?.startsAt !== reminder.startsAt) {
        this.#scheduler.clearTimeout(reminder.handle);
        this.#reminders.delete(id);
      }
    }
    for (const meeting of meetings) {
      if (this.#reminders.has(meeting.id) || this.#reminded.has(`${meeting.id}@${meeting.startsAt}`)) continue;
      const startsAt = new Date(meeting.startsAt).getTime();
      if (startsAt <= now || startsAt - now > REMINDER_HORIZON_MS) continue;
      const remind = (): void => {
        this.#reminders.delete(meeting.id);
        this.#reminded.add(`${meeting.id}@${meeting.startsAt}`);
        this.show({ kind: 'meeting-starting', meetingId: meeting.id, title: meeting.title, startsAt: meeting.startsAt });
      };
      const delay = startsAt - MEETING_REMINDER_LEAD_MS - now;
      this.#reminders.set(meeting.id, { startsAt: meeting.startsAt, handle: this.#scheduler.setTimeout(remind, Math.max(0, delay)) });
    }
  }

  get scheduledReminderCount(): number {
    return this.#reminders.size;
  }
}
