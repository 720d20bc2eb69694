import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from '../../src/main/content-security-policy.js';
import { DesktopStateStore } from '../../src/main/desktop-state.js';
import { renderIconPixels, renderIconPng } from '../../src/main/icon-renderer.js';
import { KeepAwakeDuringCallService } from '../../src/main/keep-awake.js';
import { MUTE_SHORTCUT, MuteShortcutService } from '../../src/main/mute-shortcut.js';

const inCall = { inCall: true, muted: false, sharing: false, meetingId: null, cameraOff: false, talking: false };
const idle = { inCall: false, muted: false, sharing: false, meetingId: null, cameraOff: false, talking: false };

describe('during a call', () => {
  it('keeps the display awake only while in a call', () => {
    const state = new DesktopStateStore();
    const started = new Set<number>();
    let next = 1;
    const service = new KeepAwakeDuringCallService({
      state,
      powerSaveBlocker: {
        start: () => {
          started.add(next);
          return next++;
        },
        stop: (id) => started.delete(id),
        isStarted: (id) => started.has(id),
      },
    });
    service.start();
    expect(service.isBlocking).toBe(false);
    state.update({ call: inCall });
    state.update({ call: { ...inCall, muted: true } });
    expect(started.size).toBe(1);
    state.update({ call: idle });
    expect(service.isBlocking).toBe(false);
    expect(started.size).toBe(0);
  });

  it('toggles mute from a global shortcut that exists only during the call', () => {
    const state = new DesktopStateStore();
    const shortcuts = new Map<string, () => void>();
    let toggles = 0;
    const service = new MuteShortcutService({
      state,
      globalShortcut: {
        register: (accelerator, callback) => {
          shortcuts.set(accelerator, callback);
          return true;
        },
        unregister: (accelerator) => shortcuts.delete(accelerator),
      },
      onToggle: () => (toggles += 1),
      log: () => undefined,
    });
    service.start();
    expect(shortcuts.has(MUTE_SHORTCUT)).toBe(false);
    state.update({ call: inCall });
    shortcuts.get(MUTE_SHORTCUT)!();
    expect(toggles).toBe(1);
    state.update({ call: idle });
    expect(shortcuts.size).toBe(0);
  });

  it('carries on without the shortcut when another application owns it', () => {
    const state = new DesktopStateStore();
    const logged: string[] = [];
    const service = new MuteShortcutService({
      state,
      globalShortcut: { register: () => false, unregister: () => undefined },
      onToggle: () => undefined,
      log: (message) => logged.push(message),
    });
    service.start();
    state.update({ call: inCall });
    expect(service.isRegistered).toBe(false);
    expect(logged).toEqual([`${MUTE_SHORTCUT} is taken by another application`]);
  });
});

describe('icons and development CSP', () => {
  it('draws valid PNG icons whose badge colour tells the state apart', () => {
    const png = renderIconPng(32, 'unread');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(32);
    const pixel = (pixels: Uint8Array, x: number, y: number) => [...pixels.subarray((y * 32 + x) * 4, (y * 32 + x) * 4 + 4)];
    expect(pixel(renderIconPixels(32, 'unread'), 26, 5)).toEqual([239, 68, 68, 255]);
    expect(pixel(renderIconPixels(32, 'in-call'), 26, 5)).toEqual([22, 163, 74, 255]);
    expect(pixel(renderIconPixels(32, 'none'), 0, 0)[3]).toBe(0);
  });

  it('lets the dev server connect for hot reload only in development', () => {
    const policy = buildContentSecurityPolicy({ backendUrl: 'http://127.0.0.1:4000', devServerUrl: 'http://localhost:5173' });
    expect(policy).toContain('http://localhost:5173 ws://localhost:5173');
    expect(policy).toContain('ws://127.0.0.1:4000');
  });
});
