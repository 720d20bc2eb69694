import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src/main/settings-store.js';
import { restoreWindowBounds, trackWindowState, type TrackedWindow } from '../../src/main/window-state.js';

const directories: string[] = [];
const freshDirectory = () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'collaro-settings-'));
  directories.push(directory);
  return directory;
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('settings store', () => {
  it('starts on the local default server and asks for confirmation on first run', () => {
    const store = new SettingsStore(freshDirectory());
    expect(store.forRenderer()).toEqual({
      backendUrl: 'http://127.0.0.1:4000',
      backendUrlConfirmed: false,
      startAtLogin: false,
      miniCallWindow: false,
      joinNextShortcut: 'CommandOrControl+Shift+J',
      joinNextShortcutStatus: 'off',
    });
  });

  it('remembers a confirmed server, start-at-login, the join-next shortcut and the window across restarts', () => {
    const directory = freshDirectory();
    const store = new SettingsStore(directory);
    store.update({ backendUrl: 'https://collaro.example.com', backendUrlConfirmed: true, startAtLogin: true, joinNextShortcut: 'Alt+Shift+N' });
    store.update({ windowState: { x: 10, y: 20, width: 1000, height: 700, maximized: false } });
    const reopened = new SettingsStore(directory);
    expect(reopened.get()).toEqual({
      backendUrl: 'https://collaro.example.com',
      backendUrlConfirmed: true,
      startAtLogin: true,
      miniCallWindow: false,
      windowState: { x: 10, y: 20, width: 1000, height: 700, maximized: false },
      serverAuth: null,
      zoomLevel: 0,
      joinNextShortcut: 'Alt+Shift+N',
    });
    expect(reopened.forRenderer()).not.toHaveProperty('windowState');
  });

  it('survives a damaged file and an invalid hand-edited server address by asking again', () => {
    const damaged = freshDirectory();
    writeFileSync(path.join(damaged, 'settings.json'), '{ not json');
    expect(new SettingsStore(damaged).forRenderer().backendUrlConfirmed).toBe(false);

    const edited = freshDirectory();
    writeFileSync(path.join(edited, 'settings.json'), JSON.stringify({ backendUrl: 'file:///etc', backendUrlConfirmed: true }));
    expect(new SettingsStore(edited).forRenderer()).toMatchObject({ backendUrl: 'http://127.0.0.1:4000', backendUrlConfirmed: false });
  });

  it('tells listeners about changes and writes the file whole', () => {
    const directory = freshDirectory();
    const store = new SettingsStore(directory);
    const seen: boolean[] = [];
    store.onChange((settings) => seen.push(settings.startAtLogin));
    store.update({ startAtLogin: true });
    expect(seen).toEqual([true]);
    expect(JSON.parse(readFileSync(path.join(directory, 'settings.json'), 'utf8'))).toMatchObject({ startAtLogin: true });
  });
});

describe('window state', () => {
  const laptop = { x: 0, y: 0, width: 1440, height: 900 };
  const external = { x: 1440, y: 0, width: 2560, height: 1440 };

  it('reopens where the window was when that place is still on a display', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 900, maximized: true };
    expect(restoreWindowBounds(saved, [laptop, external])).toEqual({ ...saved });
  });

  it('comes back onto the primary display when the monitor it was on is gone', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 900, maximized: false };
    expect(restoreWindowBounds(saved, [laptop])).toEqual({ x: 120, y: 50, width: 1200, height: 800, maximized: false });
  });

  it('records the normal bounds after moves, and once more on close', () => {
    const listeners = new Map<string, () => void>();
    let bounds = { x: 5, y: 6, width: 900, height: 700 };
    const window: TrackedWindow = {
      getNormalBounds: () => bounds,
      isMaximized: () => false,
      isDestroyed: () => false,
      on: (event, listener) => listeners.set(event, listener),
    };
    const saved: unknown[] = [];
    const stop = trackWindowState(window, (state) => saved.push(state), 10_000);
    listeners.get('move')!();
    bounds = { x: 50, y: 60, width: 1000.4, height: 720 };
    listeners.get('close')!();
    expect(saved).toEqual([{ x: 50, y: 60, width: 1000, height: 720, maximized: false }]);
    stop();
  });
});
