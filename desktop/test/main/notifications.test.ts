import { IDLE_CALL_STATE, type DesktopNotification, type NavigationTarget } from '@collaro/shared';
import { describe, expect, it } from 'vitest';
import { DesktopStateStore } from '../../src/main/desktop-state.js';
import { NotificationService, type NotificationOptionsLike, type Scheduler } from '../../src/main/notifications.js';

const channelId = '11111111-1111-4111-8111-111111111111';
const meetingId = '22222222-2222-4222-8222-222222222222';
const mention: DesktopNotification = { kind: 'mention', channelId, channelName: 'backend', authorName: 'Ada', preview: '@you can you review?' };
const directMessage: DesktopNotification = { kind: 'direct-message', channelId, authorName: 'Ada', preview: 'lunch?' };
const invitation: DesktopNotification = { kind: 'meeting-invitation', meetingId, title: 'Quick sync', inviterName: 'Ada' };

class FakeScheduler implements Scheduler {
  time = Date.UTC(2030, 0, 15, 9, 0);
  readonly timers = new Map<number, { at: number; callback: () => void }>();
  #next = 1;
  now = () => this.time;
  setTimeout = (callback: () => void, delayMs: number) => {
    const id = this.#next++;
    this.timers.set(id, { at: this.time + delayMs, callback });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers.delete(handle as number);
  };
  advanceTo(time: number): void {
    this.time = time;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at <= time) {
        this.timers.delete(id);
        timer.callback();
      }
    }
  }
}

function setup(platform: NodeJS.Platform = 'linux') {
  const state = new DesktopStateStore();
  const shown: { options: NotificationOptionsLike; fire: (event: 'click' | 'action') => void }[] = [];
  const clicked: NavigationTarget[] = [];
  const badges: number[] = [];
  const scheduler = new FakeScheduler();
  let focused = false;
  const service = new NotificationService({
    state,
    isSupported: () => true,
    createNotification: (options) => {
      const listeners = new Map<string, () => void>();
      const notification = {
        on: (event: 'click' | 'action' | 'close', listener: () => void) => listeners.set(event, listener),
        show: () => shown.push({ options, fire: (event) => listeners.get(event)?.() }),
      };
      return notification;
    },
    isAppFocused: () => focused,
    onClicked: (target) => clicked.push(target),
    setBadgeCount: (count) => badges.push(count),
    platform,
    scheduler,
  });
  service.start();
  return { state, service, shown, clicked, badges, scheduler, focus: (value: boolean) => (focused = value) };
}

describe('notifications', () => {
  it('shows a mention and opens its channel on click', () => {
    const { service, shown, clicked } = setup();
    expect(service.show(mention)).toEqual({ shown: true });
    expect(shown[0]!.options).toMatchObject({ title: 'Ada mentioned you in #backend', body: '@you can you review?' });
    shown[0]!.fire('click');
    expect(clicked).toEqual([{ kind: 'channel', channelId }]);
  });

  it('shows nothing while do-not-disturb is on', () => {
    const { service, state, shown } = setup();
    state.update({ availability: 'do-not-disturb' });
    for (const notification of [mention, directMessage, invitation]) {
      expect(service.show(notification)).toEqual({ shown: false, reason: 'do-not-disturb' });
    }
    expect(shown).toEqual([]);
  });

  it('shows nothing while the screen is shared, not even a meeting', () => {
    const { service, state, shown } = setup();
    state.update({ call: { inCall: true, muted: false, sharing: true, meetingId } });
    expect(service.show(directMessage)).toEqual({ shown: false, reason: 'screen-sharing' });
    expect(service.show(invitation)).toEqual({ shown: false, reason: 'screen-sharing' });
    expect(shown).toEqual([]);
    state.update({ call: IDLE_CALL_STATE });
    expect(service.show(invitation)).toEqual({ shown: true });
  });

  it('leaves chat to the open, focused app but still announces meetings', () => {
    const { service, focus } = setup();
    focus(true);
    expect(service.show(directMessage)).toEqual({ shown: false, reason: 'app-focused' });
    expect(service.show(invitation)).toEqual({ shown: true });
  });

  it('offers Join as a button on macOS; the button opens the meeting', () => {
    const { service, shown, clicked } = setup('darwin');
    service.show(invitation);
    expect(shown[0]!.options.actions).toEqual([{ type: 'button', text: 'Join' }]);
    shown[0]!.fire('action');
    expect(clicked).toEqual([{ kind: 'meeting', meetingId }]);
  });

  it('reminds five minutes before a meeting, once, and follows a rescheduled meeting', () => {
    const { state, service, shown, scheduler, clicked } = setup();
    const startsAt = new Date(scheduler.time + 30 * 60_000).toISOString();
    const standup = { id: meetingId, title: 'Standup', startsAt, endsAt: new Date(scheduler.time + 45 * 60_000).toISOString() };
    state.update({ meetings: [standup] });
    expect(service.scheduledReminderCount).toBe(1);
    scheduler.advanceTo(scheduler.time + 24 * 60_000);
    expect(shown).toEqual([]);
    scheduler.advanceTo(scheduler.time + 60_000);
    expect(shown.map((entry) => entry.options.title)).toEqual(['Standup starts in 5 minutes']);
    shown[0]!.fire('click');
    expect(clicked).toEqual([{ kind: 'meeting', meetingId }]);
    state.update({ meetings: [{ ...standup }] });
    expect(service.scheduledReminderCount).toBe(0);

    const moved = { ...standup, startsAt: new Date(scheduler.time + 60 * 60_000).toISOString() };
    state.update({ meetings: [moved] });
    expect(service.scheduledReminderCount).toBe(1);
    state.update({ meetings: [] });
    expect(service.scheduledReminderCount).toBe(0);
  });

  it('does not remind of a meeting while do-not-disturb is on', () => {
    const { state, shown, scheduler } = setup();
    state.update({ availability: 'do-not-disturb' });
    state.update({ meetings: [{ id: meetingId, title: 'Standup', startsAt: new Date(scheduler.time + 6 * 60_000).toISOString(), endsAt: new Date(scheduler.time + 20 * 60_000).toISOString() }] });
    scheduler.advanceTo(scheduler.time + 2 * 60_000);
    expect(shown).toEqual([]);
  });

  it('keeps the dock/taskbar badge in step with the unread count', () => {
    const { state, badges } = setup();
    state.update({ unread: 3 });
    state.update({ availability: 'do-not-disturb' });
    state.update({ unread: 0 });
    expect(badges).toEqual([3, 0]);
  });
});
