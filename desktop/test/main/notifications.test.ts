import { IDLE_CALL_STATE, type DesktopNotification, type NavigationTarget } from '@collaro/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DesktopStateStore } from '../../src/main/desktop-state.js';
import { NotificationService, type NotificationOptionsLike } from '../../src/main/notifications.js';

const channelId = '11111111-1111-4111-8111-111111111111';
const meetingId = '22222222-2222-4222-8222-222222222222';
const mention: DesktopNotification = { kind: 'mention', channelId, channelName: 'backend', authorName: 'Ada', preview: '@you can you review?' };
const directMessage: DesktopNotification = { kind: 'direct_message', channelId, authorName: 'Ada', preview: 'lunch?' };

function setup(platform: NodeJS.Platform = 'linux') {
  const state = new DesktopStateStore();
  const shown: { options: NotificationOptionsLike; fire: (event: 'click' | 'action') => void }[] = [];
  const clicked: NavigationTarget[] = [];
  const badges: number[] = [];
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
  });
  service.start();
  return { state, service, shown, clicked, badges, focus: (value: boolean) => (focused = value) };
}

const startOfTest = Date.UTC(2030, 0, 15, 9, 0);
const minutes = (count: number) => new Date(Date.now() + count * 60_000).toISOString();
const soonReminder = (): DesktopNotification => ({ kind: 'meeting_reminder', meetingId, title: 'Quick sync', startsAt: minutes(10) });

describe('notifications', () => {
  // Every timer of the service, whatever its kind, runs on the test's clock.
  beforeEach(() => vi.useFakeTimers({ now: startOfTest }));
  afterEach(() => vi.useRealTimers());

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
    const reminder: DesktopNotification = { kind: 'meeting_reminder', meetingId, title: 'Standup', startsAt: minutes(5) };
    for (const notification of [mention, directMessage, reminder]) {
      expect(service.show(notification)).toEqual({ shown: false, reason: 'do-not-disturb' });
    }
    expect(shown).toEqual([]);
  });

  it('shows no message while the screen is shared', () => {
    const { service, state, shown } = setup();
    state.update({ call: { inCall: true, muted: false, sharing: true, meetingId, cameraOff: false, talking: false } });
    expect(service.show(directMessage)).toEqual({ shown: false, reason: 'screen-sharing' });
    expect(service.show(mention)).toEqual({ shown: false, reason: 'screen-sharing' });
    expect(shown).toEqual([]);
    state.update({ call: IDLE_CALL_STATE });
    expect(service.show(mention)).toEqual({ shown: true });
  });

  it('leaves chat to the open, focused app but still announces meetings', () => {
    const { service, focus } = setup();
    focus(true);
    expect(service.show(directMessage)).toEqual({ shown: false, reason: 'app-focused' });
    expect(service.show(soonReminder())).toEqual({ shown: true });
  });

  it('offers Join as a button on macOS; the button opens the meeting', () => {
    const { service, shown, clicked } = setup('darwin');
    service.show(soonReminder());
    expect(shown[0]!.options.actions).toEqual([{ type: 'button', text: 'Join' }]);
    shown[0]!.fire('action');
    expect(clicked).toEqual([{ kind: 'meeting', meetingId }]);
  });

  it('schedules no reminder of its own from the tray’s meeting list: the server’s reminder is the only one', () => {
    const { state, service, shown } = setup();
    const startsAt = minutes(30);
    state.update({ meetings: [{ id: meetingId, title: 'Standup', startsAt, endsAt: minutes(45) }] });
    vi.advanceTimersByTime(26 * 60_000);
    expect(shown).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    // The server's `notify` frame, passed on by the renderer, is shown once.
    expect(service.show({ kind: 'meeting_reminder', meetingId, title: 'Standup', startsAt })).toEqual({ shown: true });
    vi.advanceTimersByTime(10 * 60_000);
    expect(shown.map((entry) => entry.options.title)).toEqual(['Standup starts in 4 minutes']);
  });

  it('says how soon a meeting starts, or that it has started, from its start time', () => {
    const { service, shown, clicked } = setup();
    service.show({ kind: 'meeting_reminder', meetingId, title: 'Standup', startsAt: new Date(Date.now() + 5 * 60_000 - 10_000).toISOString() });
    service.show({ kind: 'meeting_reminder', meetingId, title: 'Standup', startsAt: new Date(Date.now() + 40_000).toISOString() });
    service.show({ kind: 'meeting_reminder', meetingId, title: 'Standup', startsAt: minutes(-1) });
    expect(shown.map((entry) => entry.options.title)).toEqual(['Standup starts in 5 minutes', 'Standup starts in 1 minute', 'Standup has started']);
    shown[2]!.fire('click');
    expect(clicked).toEqual([{ kind: 'meeting', meetingId }]);
  });

  it('keeps the dock/taskbar badge in step with the unread count', () => {
    const { state, badges } = setup();
    state.update({ unread: 3 });
    state.update({ availability: 'do-not-disturb' });
    state.update({ unread: 0 });
    expect(badges).toEqual([3, 0]);
  });
});
