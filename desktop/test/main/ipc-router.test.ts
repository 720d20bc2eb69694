import { ipcChannelName, ipcInvokeContract, type DesktopWindowKind, type IpcInvokeChannel } from '@collaro/shared';
import { describe, expect, it } from 'vitest';
import { createAppOrigins } from '../../src/main/app-origins.js';
import { createEventSender, createIpcRouter, type IpcHandlers, type InvokeEventLike } from '../../src/main/ipc-router.js';
import { WindowRegistry, type RegisteredWindow } from '../../src/main/window-registry.js';

const origins = createAppOrigins(null);
const meetingId = '3f2b8c1e-9a4d-4e2f-8b1a-0c9d8e7f6a5b';

class FakeWindow implements RegisteredWindow {
  readonly sent: [string, unknown][] = [];
  #closed: (() => void) | null = null;
  destroyed = false;
  readonly webContents;
  constructor(id: number) {
    this.webContents = {
      id,
      send: (channel: string, ...args: unknown[]) => this.sent.push([channel, args[0]]),
      isDestroyed: () => this.destroyed,
    };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  once(_event: 'closed', listener: () => void): this {
    this.#closed = listener;
    return this;
  }
  close(): void {
    this.destroyed = true;
    this.#closed?.();
  }
}

function setup() {
  const windows = new WindowRegistry();
  const app = new FakeWindow(1);
  const picker = new FakeWindow(2);
  windows.register(app, 'app');
  windows.register(picker, 'picker');
  const calls: [string, unknown, DesktopWindowKind][] = [];
  const record =
    <C extends IpcInvokeChannel>(channel: C) =>
    (input: unknown, caller: { kind: DesktopWindowKind }) => {
      calls.push([channel, input, caller.kind]);
    };
  const handlers: IpcHandlers = {
    'app.info': () => ({ version: '1.0.0', platform: 'linux', packaged: false }),
    'settings.get': () => ({
      backendUrl: 'http://127.0.0.1:4000',
      backendUrlConfirmed: false,
      startAtLogin: false,
      miniCallWindow: false,
      joinNextShortcut: null,
      joinNextShortcutStatus: 'off',
    }),
    'settings.set': (patch) => ({
      backendUrl: patch.backendUrl ?? 'http://127.0.0.1:4000',
      backendUrlConfirmed: true,
      startAtLogin: false,
      miniCallWindow: false,
      joinNextShortcut: null,
      joinNextShortcutStatus: 'off',
    }),
    'settings.checkServer': (origin) => ({ ok: true, origin }),
    'notifications.show': () => ({ shown: true }),
    'tray.setMeetings': record('tray.setMeetings'),
    'tray.setStatus': record('tray.setStatus'),
    'tray.setUnread': record('tray.setUnread'),
    'call.setState': record('call.setState'),
    'call.setSpeaker': record('call.setSpeaker'),
    'miniCall.command': record('miniCall.command'),
    'calls.ring': () => ({ shown: true }),
    'calls.stopRinging': record('calls.stopRinging'),
    'deepLinks.ready': record('deepLinks.ready'),
    'screenShare.listSources': () => ({ sources: [], systemAudioAvailable: false }),
    'screenShare.choose': () => {
      throw new Error('No screen share is waiting for a choice');
    },
    'screenShare.stop': record('screenShare.stop'),
    'meetings.answerJoinNext': record('meetings.answerJoinNext'),
    'permissions.get': () => ({ permissions: [], systemDoNotDisturb: { state: 'unknown', source: 'test' }, screenCapture: 'x11' }),
    'permissions.openSettings': () => ({ opened: false, message: 'none' }),
  };
  const registered = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  const router = createIpcRouter({
    ipcMain: { handle: (channel, listener) => registered.set(channel, listener), removeHandler: (channel) => registered.delete(channel) },
    windows,
    origins,
    handlers,
    log: () => undefined,
  });
  router.start();
  const invoke = (channel: IpcInvokeChannel, event: InvokeEventLike, ...args: unknown[]) => registered.get(ipcChannelName(channel))!(event, ...args);
  return { windows, app, picker, router, registered, calls, invoke };
}

const fromApp = { sender: { id: 1 }, senderFrame: { url: 'collaro-app://app/channels/1', parent: null } };
const fromPicker = { sender: { id: 2 }, senderFrame: { url: 'collaro-app://picker/picker.html', parent: null } };

describe('IPC sender checks', () => {
  it('answers the app window on the app’s channels', async () => {
    const { invoke, calls } = setup();
    expect(await invoke('tray.setUnread', fromApp, 4)).toEqual({ ok: true, value: undefined });
    expect(calls).toEqual([['tray.setUnread', 4, 'app']]);
  });

  it('refuses a WebContents that is not a Collaro window', async () => {
    const { invoke, calls } = setup();
    const reply = await invoke('tray.setUnread', { sender: { id: 99 }, senderFrame: { url: 'collaro-app://app/', parent: null } }, 4);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden-sender', message: 'tray.setUnread refused: the sender is not a Collaro window' } });
    expect(calls).toEqual([]);
  });

  it('refuses the app window after it navigated to a foreign page, and sub-frames', async () => {
    const { invoke } = setup();
    const foreign = await invoke('settings.get', { sender: { id: 1 }, senderFrame: { url: 'https://evil.example.net/', parent: null } });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    const subFrame = await invoke('settings.get', { sender: { id: 1 }, senderFrame: { url: 'collaro-app://app/', parent: {} } });
    expect(subFrame).toMatchObject({ ok: false, error: { message: 'settings.get refused: only the top frame may call it' } });
  });

  it('keeps each window to its own channels: the picker cannot change settings, the app cannot pick a source', async () => {
    const { invoke } = setup();
    expect(await invoke('settings.set', fromPicker, { startAtLogin: true })).toMatchObject({
      ok: false,
      error: { message: 'settings.set refused: not available to the picker window' },
    });
    expect(await invoke('screenShare.listSources', fromApp)).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(await invoke('screenShare.listSources', fromPicker)).toEqual({ ok: true, value: { sources: [], systemAudioAvailable: false } });
  });

  it('forgets a window once it is closed', async () => {
    const { invoke, picker } = setup();
    picker.close();
    expect(await invoke('screenShare.listSources', fromPicker)).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
  });
});

describe('IPC argument validation', () => {
  it('rejects arguments that break the contract, naming the field', async () => {
    const { invoke, calls } = setup();
    expect(await invoke('tray.setUnread', fromApp, -1)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await invoke('tray.setStatus', fromApp, 'away')).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const badMeeting = await invoke('tray.setMeetings', fromApp, [{ id: 'x', title: 'Standup', startsAt: 'tomorrow', endsAt: 'later' }]);
    expect(badMeeting).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('at 0.id') } });
    expect(await invoke('settings.set', fromApp, { backendUrl: 'javascript:alert(1)' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await invoke('settings.set', fromApp, { backendUrl: 'https://a.example', extra: true })).toMatchObject({ ok: false });
    expect(await invoke('call.setState', fromApp, { inCall: false, muted: true, sharing: false, meetingId: null })).toMatchObject({ ok: false });
    expect(await invoke('tray.setUnread', fromApp, 1, 2)).toMatchObject({ ok: false, error: { message: 'tray.setUnread: takes at most one argument' } });
    expect(calls).toEqual([]);
  });

  it('passes the parsed value on: a server address is reduced to its origin', async () => {
    const { invoke } = setup();
    expect(await invoke('settings.set', fromApp, { backendUrl: ' https://collaro.example.com/some/path ' })).toMatchObject({
      ok: true,
      value: { backendUrl: 'https://collaro.example.com' },
    });
  });

  it('reports a handler failure as a refusal instead of throwing across IPC', async () => {
    const { invoke } = setup();
    expect(await invoke('screenShare.choose', fromPicker, { action: 'cancel' })).toEqual({
      ok: false,
      error: { code: 'failed', message: 'screenShare.choose failed: No screen share is waiting for a choice' },
    });
  });

  it('registers one handler per contract channel and removes them all on dispose', () => {
    const { registered, router } = setup();
    expect(registered.size).toBe(Object.keys(ipcInvokeContract).length);
    router.dispose();
    expect(registered.size).toBe(0);
  });
});

describe('events to the app window', () => {
  it('validates the payload and sends it to the app window only', () => {
    const { windows, app, picker } = setup();
    const emit = createEventSender(windows, () => undefined);
    expect(emit('tray.joinMeeting', { meetingId })).toBe(true);
    expect(app.sent).toEqual([[ipcChannelName('tray.joinMeeting'), { meetingId }]]);
    expect(picker.sent).toEqual([]);
    expect(emit('tray.joinMeeting', { meetingId: 'not-a-meeting' })).toBe(false);
    app.close();
    expect(emit('call.leave', { source: 'tray' })).toBe(false);
  });
});
