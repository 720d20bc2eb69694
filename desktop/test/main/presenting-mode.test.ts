import { IDLE_CALL_STATE, type Availability, type DesktopNotification } from '@collaro/shared';
import { describe, expect, it } from 'vitest';
import { DesktopStateStore } from '../../src/main/desktop-state.js';
import { NotificationService, type NotificationOptionsLike } from '../../src/main/notifications.js';
import { PresentingModeService } from '../../src/main/presenting-mode.js';

const meetingId = '22222222-2222-4222-8222-222222222222';
const channelId = '11111111-1111-4111-8111-111111111111';
const sharing = { ...IDLE_CALL_STATE, inCall: true, sharing: true, meetingId };
const inCall = { ...IDLE_CALL_STATE, inCall: true, meetingId };

function setup(systemDoNotDisturb = false) {
  const state = new DesktopStateStore();
  const announced: Availability[] = [];
  const shown: { options: NotificationOptionsLike; fire: (event: string, ...args: unknown[]) => void; closed: boolean }[] = [];
  const dismissed: string[] = [];
  const clicked: unknown[] = [];
  const presenting = new PresentingModeService({ state, announce: (availability) => announced.push(availability), onEnded: () => notifications.releaseHeld() });
  const notifications: NotificationService = new NotificationService({
    state,
    isSupported: () => true,
    createNotification: (options) => {
      const listeners = new Map<string, (...args: unknown[]) => void>();
      const entry = { options, closed: false, fire: (event: string, ...args: unknown[]) => listeners.get(event)?.(...args) };
      return {
        on: (event, listener) => listeners.set(event, listener),
        show: () => shown.push(entry),
        close: () => {
          entry.closed = true;
          listeners.get('close')?.({});
        },
      };
    },
    isAppFocused: () => false,
    onClicked: (target) => clicked.push(target),
    setBadgeCount: () => undefined,
    platform: 'linux',
    systemDoNotDisturb: () => systemDoNotDisturb,
    automaticDoNotDisturb: () => presenting.automaticDoNotDisturb(),
    onDismissed: (id) => dismissed.push(id),
  });
  presenting.start();
  notifications.start();
  return { state, presenting, notifications, announced, shown, dismissed, clicked };
}

const mention: DesktopNotification = { kind: 'mention', channelId, channelName: 'plans', authorName: 'Ada', preview: 'the launch date' };
const inMinutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

describe('presenting mode', () => {
  it('switches do-not-disturb on for the share and puts the status back exactly', () => {
    const { state, announced } = setup();
    state.update({ call: sharing });
    expect(state.get().availability).toBe('do-not-disturb');
    state.update({ call: inCall });
    expect(state.get().availability).toBe('available');
    expect(announced).toEqual(['do-not-disturb', 'available']);
  });

  it('keeps do-not-disturb the person had before the share', () => {
    const { state, presenting, announced } = setup();
    presenting.choose('do-not-disturb');
    state.update({ call: sharing });
    state.update({ call: inCall });
    expect(state.get().availability).toBe('do-not-disturb');
    expect(announced).toEqual(['do-not-disturb']);
  });

  it('lets a status chosen during the share stand afterwards, even the one already showing', () => {
    const { state, presenting } = setup();
    state.update({ call: sharing });
    presenting.choose('available');
    state.update({ call: inCall });
    expect(state.get().availability).toBe('available');

    state.update({ call: sharing });
    presenting.choose('do-not-disturb');
    state.update({ call: IDLE_CALL_STATE });
    expect(state.get().availability).toBe('do-not-disturb');
  });

  it('holds messages during the share and shows them when it ends; a reminder shows without its contents', () => {
    const { state, notifications, shown } = setup();
    state.update({ call: sharing });
    expect(notifications.show(mention)).toEqual({ shown: false, reason: 'screen-sharing' });
    expect(notifications.show({ kind: 'meeting_reminder', meetingId, title: 'Secret review', startsAt: inMinutes(4) })).toEqual({ shown: true });
    expect(shown.map((entry) => [entry.options.title, entry.options.body])).toEqual([['Meeting reminder', '']]);
    state.update({ call: inCall });
    expect(shown[1]!.options).toMatchObject({ title: 'Ada mentioned you in #plans', body: 'the launch date' });
  });

  it('sums up several held messages in one banner, and drops them when do-not-disturb is on by then', () => {
    const { state, notifications, presenting, shown } = setup();
    state.update({ call: sharing });
    notifications.show(mention);
    notifications.show({ kind: 'direct_message', channelId, authorName: 'Bo', preview: 'lunch?' });
    state.update({ call: inCall });
    expect(shown.map((entry) => entry.options.title)).toEqual(['2 notifications while you were presenting']);
    state.update({ call: sharing });
    notifications.show(mention);
    presenting.choose('do-not-disturb');
    state.update({ call: inCall });
    expect(shown).toHaveLength(1);
  });

  it('respects the system’s do-not-disturb', () => {
    const { notifications } = setup(true);
    expect(notifications.show(mention)).toEqual({ shown: false, reason: 'system-do-not-disturb' });
    expect(notifications.quietReason()).toBe('system-do-not-disturb');
  });
});

describe('the reminder at the start time', () => {
  it('stays until joined: joining the meeting closes it, and that is no dismissal', () => {
    const { state, notifications, shown, dismissed } = setup();
    notifications.show({ kind: 'meeting_reminder', meetingId, title: 'Kick-off', startsAt: inMinutes(0) });
    expect(shown[0]!.options).toMatchObject({ title: 'Kick-off has started', timeoutType: 'never', actions: [{ text: 'Join' }, { text: 'Dismiss' }] });
    state.update({ call: inCall });
    expect(shown[0]!.closed).toBe(true);
    expect(dismissed).toEqual([]);
  });

  it('tells the server when the person closes it or presses Dismiss, and opens the meeting on Join', () => {
    const { notifications, shown, dismissed, clicked } = setup();
    notifications.show({ kind: 'meeting_reminder', meetingId, title: 'Kick-off', startsAt: inMinutes(0) });
    shown[0]!.fire('close', {});
    notifications.show({ kind: 'meeting_reminder', meetingId, title: 'Kick-off', startsAt: inMinutes(0) });
    shown[1]!.fire('action', { actionIndex: 1 });
    notifications.show({ kind: 'meeting_reminder', meetingId, title: 'Kick-off', startsAt: inMinutes(0) });
    shown[2]!.fire('close', { reason: 'timedOut' });
    notifications.show({ kind: 'meeting_reminder', meetingId, title: 'Kick-off', startsAt: inMinutes(0) });
    shown[3]!.fire('action', { actionIndex: 0 });
    expect(dismissed).toEqual([meetingId, meetingId]);
    expect(clicked).toEqual([{ kind: 'meeting', meetingId }]);
  });
});
