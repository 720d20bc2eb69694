import type { CallAnswer, IncomingCall } from '@collaro/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallRingingService, RING_REPEAT_MS } from '../../src/main/call-ringing.js';
import { DesktopStateStore } from '../../src/main/desktop-state.js';
import { NotificationService, type NotificationOptionsLike } from '../../src/main/notifications.js';

const callId = '33333333-3333-4333-8333-333333333333';
const start = Date.UTC(2030, 0, 15, 9, 0);

interface Shown {
  options: NotificationOptionsLike;
  closed: boolean;
  fire: (event: 'click' | 'action', ...args: unknown[]) => void;
}

function setup() {
  const state = new DesktopStateStore();
  const shown: Shown[] = [];
  const answers: CallAnswer[] = [];
  const notifications = new NotificationService({
    state,
    isSupported: () => true,
    createNotification: (options) => {
      const listeners = new Map<string, (...args: unknown[]) => void>();
      const entry: Shown = { options, closed: false, fire: (event, ...args) => listeners.get(event)?.(...args) };
      return {
        on: (event: 'click' | 'action' | 'close', listener: (...args: unknown[]) => void) => listeners.set(event, listener),
        show: () => shown.push(entry),
        close: () => {
          entry.closed = true;
        },
      };
    },
    isAppFocused: () => true,
    onClicked: () => undefined,
    setBadgeCount: () => undefined,
    platform: 'linux',
  });
  const ringing = new CallRingingService({ notifications, state, onAnswer: (answer) => answers.push(answer) });
  ringing.start();
  const open = () => shown.filter((entry) => !entry.closed);
  return { state, ringing, shown, open, answers };
}

const incoming = (overrides: Partial<IncomingCall> = {}): IncomingCall => ({
  callId,
  callerName: 'Alice',
  otherNames: [],
  ringsUntil: new Date(Date.now() + 30_000).toISOString(),
  ...overrides,
});

describe('ringing an incoming call', () => {
  beforeEach(() => vi.useFakeTimers({ now: start }));
  afterEach(() => vi.useRealTimers());

  it('shows Accept and Decline, even over the focused app, and shows it again until the ringing time is up', () => {
    const { ringing, shown, open } = setup();
    expect(ringing.ring(incoming())).toEqual({ shown: true });
    expect(shown[0]!.options).toMatchObject({
      title: 'Alice is calling you',
      body: 'Direct call',
      silent: false,
      actions: [
        { type: 'button', text: 'Accept' },
        { type: 'button', text: 'Decline' },
      ],
      timeoutType: 'never',
    });
    vi.advanceTimersByTime(RING_REPEAT_MS);
    expect(shown).toHaveLength(2);
    // One ringing notification on screen at a time: the previous one makes way.
    expect(open()).toHaveLength(1);
    vi.advanceTimersByTime(30_000);
    expect(shown).toHaveLength(6);
    expect(open()).toHaveLength(0);
    expect(ringing.ringingCallIds()).toEqual([]);
  });

  it('reports Accept, Decline and a click to the renderer and stops ringing at once', () => {
    for (const [press, action] of [
      [(entry: Shown) => entry.fire('action', { actionIndex: 0 }, 0), 'accept'],
      [(entry: Shown) => entry.fire('action', { actionIndex: 1 }, 1), 'decline'],
      // Older Electron event shapes carry only the deprecated index argument.
      [(entry: Shown) => entry.fire('action', {}, 1), 'decline'],
      [(entry: Shown) => entry.fire('click'), 'open'],
    ] as const) {
      const { ringing, shown, open, answers } = setup();
      ringing.ring(incoming());
      press(shown[0]!);
      expect(answers).toEqual([{ callId, action }]);
      expect(open()).toHaveLength(0);
      vi.advanceTimersByTime(RING_REPEAT_MS * 2);
      expect(shown).toHaveLength(1);
    }
  });

  it('stops when the renderer says the call was answered elsewhere', () => {
    const { ringing, shown, open } = setup();
    ringing.ring(incoming());
    ringing.stop(callId);
    expect(open()).toHaveLength(0);
    vi.advanceTimersByTime(RING_REPEAT_MS * 2);
    expect(shown).toHaveLength(1);
  });

  it('stays silent under do-not-disturb, and falls silent when it is switched on mid-ring', () => {
    const { ringing, state, shown, open } = setup();
    state.update({ availability: 'do-not-disturb' });
    expect(ringing.ring(incoming())).toEqual({ shown: false, reason: 'do-not-disturb' });
    expect(shown).toHaveLength(0);

    state.update({ availability: 'available' });
    ringing.ring(incoming());
    state.update({ availability: 'do-not-disturb' });
    expect(open()).toHaveLength(0);
    vi.advanceTimersByTime(RING_REPEAT_MS * 2);
    expect(shown).toHaveLength(1);
  });

  it('names the others rung in a group call, and refuses a call whose ringing time is over', () => {
    const { ringing, shown } = setup();
    ringing.ring(incoming({ otherNames: ['Carol', 'Dan'] }));
    expect(shown[0]!.options.body).toBe('Group call with you and 2 others');
    expect(ringing.ring(incoming({ ringsUntil: new Date(start - 1).toISOString() }))).toEqual({ shown: false, reason: 'expired' });
  });
});
