import type { DesktopNotification, NavigationTarget, NotificationResult } from '@collaro/shared';
import type { DesktopStateStore } from './desktop-state.js';
import {
  describeNotification,
  heldSummary,
  isStartedReminder,
  notificationSuppression,
  presentingContent,
  type NotificationContent,
  type SuppressionReason,
} from './notification-content.js';

export { describeNotification, notificationSuppression, startingPhrase, type NotificationContent, type SuppressionReason } from './notification-content.js';

export interface NotificationLike {
  /** `action` listeners get Electron's event details (with `actionIndex`) and, deprecated, the index itself. */
  on(event: 'click' | 'action' | 'close', listener: (...args: unknown[]) => void): unknown;
  show(): void;
  close?(): void;
}

export interface NotificationOptionsLike {
  title: string;
  body: string;
  silent: boolean;
  actions?: { type: 'button'; text: string }[];
  /** A ringing call stays until answered or replaced (Windows, Linux) and asks for attention (Linux). */
  timeoutType?: 'default' | 'never';
  urgency?: 'normal' | 'critical' | 'low';
}

/** A notification main composed itself (a ringing call): its buttons report their index. */
export interface PresentedNotification {
  close(): void;
}

function actionIndexOf(args: unknown[]): number {
  const details = args[0] as { actionIndex?: unknown } | undefined;
  if (typeof details?.actionIndex === 'number') return details.actionIndex;
  return typeof args[1] === 'number' ? args[1] : 0;
}

export interface NotificationDeps {
  state: DesktopStateStore;
  isSupported: () => boolean;
  createNotification: (options: NotificationOptionsLike) => NotificationLike;
  isAppFocused: () => boolean;
  /** A click brings the window forward and tells the renderer where to go. */
  onClicked: (target: NavigationTarget) => void;
  setBadgeCount: (count: number) => void;
  platform: NodeJS.Platform;
  now?: () => number;
  /** Whether the operating system's own do-not-disturb is on (see system-do-not-disturb.ts). */
  systemDoNotDisturb?: () => boolean;
  /** True while do-not-disturb is on only because the screen is shared (see presenting-mode.ts). */
  automaticDoNotDisturb?: () => boolean;
  /** The person closed a meeting reminder, or pressed its Dismiss. */
  onDismissed?: (meetingId: string) => void;
}

/** Messages held during a share beyond this are counted, not kept. */
const MAX_HELD = 50;

/**
 * Shows what the renderer asks for, as system notifications. Meeting reminders come from one place,
 * the server (a `notify` frame the renderer passes on): main schedules none of its own, so a meeting
 * is announced once.
 */
export class NotificationService {
  readonly #deps: NotificationDeps;
  // Electron drops a notification's click handlers once the object is garbage collected.
  readonly #live = new Set<NotificationLike>();
  /** Reminders of meetings that have begun, on screen until joined or dismissed, by meeting id. */
  readonly #startedReminders = new Map<string, NotificationLike>();
  #held: DesktopNotification[] = [];
  #unsubscribe: (() => void) | null = null;

  constructor(deps: NotificationDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#unsubscribe = this.#deps.state.subscribe((state, previous) => {
      if (state.unread !== previous.unread) this.#deps.setBadgeCount(state.unread);
      // Joining the meeting answers its reminder, on whichever device the person joined from here.
      const joined = state.call.inCall ? state.call.meetingId : null;
      if (joined) this.#closeStartedReminder(joined);
    });
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#live.clear();
    this.#startedReminders.clear();
    this.#held = [];
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }

  /** Why nothing may be shown now, whatever it is: do-not-disturb (Collaro's or the system's) or a shared screen. */
  quietReason(): SuppressionReason | null {
    const state = this.#deps.state.get();
    if (state.call.sharing) return 'screen-sharing';
    if (state.availability === 'do-not-disturb') return 'do-not-disturb';
    if (this.#deps.systemDoNotDisturb?.()) return 'system-do-not-disturb';
    return this.#deps.isSupported() ? null : 'unsupported';
  }

  /** Shows `options` as is, for services that compose their own (call ringing); the caller checks `quietReason` first. */
  present(options: NotificationOptionsLike, handlers: { click: () => void; action: (index: number) => void }): PresentedNotification {
    const shown = this.#deps.createNotification(options);
    this.#live.add(shown);
    shown.on('click', () => handlers.click());
    shown.on('action', (...args) => handlers.action(actionIndexOf(args)));
    shown.on('close', () => this.#live.delete(shown));
    shown.show();
    return {
      close: () => {
        this.#live.delete(shown);
        shown.close?.();
      },
    };
  }

  show(notification: DesktopNotification): NotificationResult {
    const state = this.#deps.state.get();
    const suppressed = notificationSuppression(notification, state, this.#deps.isAppFocused(), {
      systemDoNotDisturb: this.#deps.systemDoNotDisturb?.() ?? false,
      automaticDoNotDisturb: this.#deps.automaticDoNotDisturb?.() ?? false,
    });
    if (suppressed === 'screen-sharing' && this.#held.length < MAX_HELD) this.#held.push(notification);
    if (suppressed) return { shown: false, reason: suppressed };
    if (!this.#deps.isSupported()) return { shown: false, reason: 'unsupported' };
    const described = describeNotification(notification, this.#now());
    const content = state.call.sharing ? presentingContent(described) : described;
    if (notification.kind === 'meeting_reminder' && isStartedReminder(notification, this.#now())) {
      this.#showStartedReminder(notification.meetingId, content);
    } else {
      this.#showContent(content);
    }
    return { shown: true };
  }

  /**
   * After a share: the messages held during it, as one banner (or the one message itself), unless
   * do-not-disturb is on by then. Called by the presenting mode once it has restored the status.
   */
  releaseHeld(): void {
    const held = this.#held;
    this.#held = [];
    if (held.length === 0 || this.quietReason()) return;
    this.#showContent(heldSummary(held, this.#now()));
  }

  /** A banner main composes itself (nothing to join, say), quiet only when notifications cannot show. */
  showNotice(title: string, body: string): NotificationResult {
    if (!this.#deps.isSupported()) return { shown: false, reason: 'unsupported' };
    const shown = this.#deps.createNotification({ title, body, silent: true });
    this.#live.add(shown);
    shown.on('close', () => this.#live.delete(shown));
    shown.show();
    return { shown: true };
  }

  #showContent(content: NotificationContent): void {
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
  }

  /** Join or Dismiss; it never times out, and closing it is dismissing it. */
  #showStartedReminder(meetingId: string, content: NotificationContent): void {
    this.#closeStartedReminder(meetingId);
    const shown = this.#deps.createNotification({
      title: content.title,
      body: content.body,
      silent: false,
      actions: [
        { type: 'button', text: 'Join' },
        { type: 'button', text: 'Dismiss' },
      ],
      timeoutType: 'never',
    });
    this.#live.add(shown);
    this.#startedReminders.set(meetingId, shown);
    const settle = (): boolean => {
      if (this.#startedReminders.get(meetingId) !== shown) return false;
      this.#startedReminders.delete(meetingId);
      this.#live.delete(shown);
      return true;
    };
    const join = (): void => {
      if (settle()) this.#deps.onClicked(content.target);
    };
    shown.on('click', join);
    shown.on('action', (...args) => {
      if (actionIndexOf(args) === 0) return join();
      if (settle()) {
        shown.close?.();
        this.#deps.onDismissed?.(meetingId);
      }
    });
    shown.on('close', (...args) => {
      // Windows reports a time-out as a close; only the person's own closing dismisses.
      const reason = (args[0] as { reason?: unknown } | undefined)?.reason;
      if (reason !== 'timedOut' && settle()) this.#deps.onDismissed?.(meetingId);
    });
    shown.show();
  }

  #closeStartedReminder(meetingId: string): void {
    const shown = this.#startedReminders.get(meetingId);
    if (!shown) return;
    // Deleted first, so the `close` this causes is not taken for the person's dismissal.
    this.#startedReminders.delete(meetingId);
    this.#live.delete(shown);
    shown.close?.();
  }
}
