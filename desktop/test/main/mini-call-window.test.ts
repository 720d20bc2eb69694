import { EventEmitter } from 'node:events';
import { IDLE_CALL_STATE, type MiniCallView } from '@collaro/shared';
import { describe, expect, it } from 'vitest';
import { DesktopStateStore } from '../../src/main/desktop-state.js';
import { MiniCallWindowService } from '../../src/main/mini-call-window.js';

class FakeMiniWindow extends EventEmitter {
  destroyed = false;
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

function setup(enabledAtFirst: boolean) {
  const state = new DesktopStateStore();
  let enabled = enabledAtFirst;
  let appVisible = true;
  const settingListeners = new Set<() => void>();
  const opened: FakeMiniWindow[] = [];
  const views: MiniCallView[] = [];
  const wanted: boolean[] = [];
  const service = new MiniCallWindowService({
    state,
    enabled: { get: () => enabled, onChange: (listener) => (settingListeners.add(listener), () => settingListeners.delete(listener)) },
    isAppWindowVisible: () => appVisible,
    openWindow: () => {
      const window = new FakeMiniWindow();
      opened.push(window);
      return window;
    },
    sendView: (view) => views.push(view),
    setSpeakerWanted: (value) => wanted.push(value),
  });
  service.start();
  return {
    state,
    service,
    opened,
    views,
    wanted,
    setEnabled(value: boolean) {
      enabled = value;
      settingListeners.forEach((listener) => listener());
    },
    setAppVisible(value: boolean) {
      appVisible = value;
      service.refresh();
    },
  };
}

const inCall = { ...IDLE_CALL_STATE, inCall: true, meetingId: null };

describe('the small call window', () => {
  it('opens only in a call with the app window hidden and the setting on, and closes when the window shows or the call ends', () => {
    const t = setup(true);
    t.setAppVisible(false);
    expect(t.opened).toHaveLength(0);
    t.state.update({ call: inCall });
    expect(t.opened).toHaveLength(1);
    expect(t.wanted).toEqual([true]);
    t.service.setSpeaker({ name: 'Ada Lovelace', muted: false, frame: null });
    expect(t.views.at(-1)).toEqual({ speaker: { name: 'Ada Lovelace', muted: false, frame: null }, muted: false });
    t.state.update({ call: { ...inCall, muted: true } });
    expect(t.views.at(-1)).toMatchObject({ muted: true });
    t.setAppVisible(true);
    expect(t.opened[0]!.destroyed).toBe(true);
    expect(t.wanted).toEqual([true, false]);
    t.setAppVisible(false);
    expect(t.opened).toHaveLength(2);
    t.state.update({ call: IDLE_CALL_STATE });
    expect(t.opened[1]!.destroyed).toBe(true);
    expect(t.service.isOpen).toBe(false);
  });

  it('stays off while the setting is off (the default), and follows the setting when it changes mid-call', () => {
    const t = setup(false);
    t.state.update({ call: inCall });
    t.setAppVisible(false);
    expect(t.opened).toHaveLength(0);
    t.setEnabled(true);
    expect(t.opened).toHaveLength(1);
    t.setEnabled(false);
    expect(t.opened[0]!.destroyed).toBe(true);
  });

  it('stays closed once the person closes it, until the app window has been shown again', () => {
    const t = setup(true);
    t.state.update({ call: inCall });
    t.setAppVisible(false);
    t.opened[0]!.close();
    expect(t.wanted).toEqual([true, false]);
    t.state.update({ call: { ...inCall, muted: true } });
    expect(t.opened).toHaveLength(1);
    t.setAppVisible(true);
    t.setAppVisible(false);
    expect(t.opened).toHaveLength(2);
  });
});
