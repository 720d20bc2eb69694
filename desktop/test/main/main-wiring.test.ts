import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeElectron, fakeEvent, type FakeElectron } from './fake-electron.js';

/** The real src/main/index.ts, started against a recording Electron: the services are wired as the app runs them. */
const current = vi.hoisted(() => ({ electron: null as FakeElectron | null, trayHost: true }));
vi.mock('electron', () => current.electron!.module);
// Whether the desktop shows tray icons is the test's choice, not the test machine's.
vi.mock('../../src/main/tray-host.js', () => ({ hasTrayHost: async () => current.trayHost }));

const meetingId = '3f2b8c1e-9a4d-4e2f-8b1a-0c9d8e7f6a5b';
const userData = mkdtempSync(path.join(tmpdir(), 'collaro-wiring-'));
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Imports index.ts afresh; vitest keeps the electron mock, so one fake serves every start. */
async function startMain(argv: string[]): Promise<FakeElectron> {
  vi.resetModules();
  current.electron ??= createFakeElectron({ userData, singleInstanceLock: true });
  const originalArgv = process.argv;
  process.argv = argv;
  try {
    await import('../../src/main/index.js');
  } finally {
    process.argv = originalArgv;
  }
  await settle();
  return current.electron;
}

function invoker(electron: FakeElectron) {
  return (channel: string, window: { webContents: { id: number }; url: string }, ...args: unknown[]) =>
    electron.ipcHandlers.get(`collaro:${channel}`)!({ sender: window.webContents, senderFrame: { url: window.url, parent: null } }, ...args) as Promise<{
      ok: boolean;
      value?: unknown;
      error?: { code: string; message: string };
    }>;
}

afterAll(() => {
  // Quitting disposes every service, so no timer of the tray or the updater outlives the test.
  current.electron?.module.app.emit('will-quit');
  rmSync(userData, { recursive: true, force: true });
});

describe('main process wiring', () => {
  let electron: FakeElectron;
  let invoke: ReturnType<typeof invoker>;
  beforeAll(async () => {
    electron = await startMain(['/opt/Collaro/collaro', '--no-sandbox', `collaro://meeting/${meetingId}`]);
    invoke = invoker(electron);
  });
  const appWindow = () => electron.windows[0]!;
  const sentTo = (window: { webContents: { sent: [string, unknown][] } }, channel: string) =>
    window.webContents.sent.filter(([name]) => name === `collaro:${channel}`).map(([, payload]) => payload);

  it('registers the privileged app scheme (once, through Clerk’s bridge), the collaro:// protocol and Clerk’s sign-in return, and serves the app from collaro-app://app', () => {
    expect(electron.privilegedSchemes).toEqual([
      { scheme: 'collaro-app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true } },
    ]);
    expect(electron.calls.protocolClients).toEqual([['collaro-app'], ['collaro']]);
    expect(electron.windows).toHaveLength(1);
    expect(appWindow().url).toBe('collaro-app://app/');
    expect(appWindow().options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(appWindow().options.webPreferences!['preload'])).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('holds the cold-start link until the renderer says it is ready', async () => {
    expect(sentTo(appWindow(), 'deepLinks.open')).toEqual([]);
    expect(await invoke('deepLinks.ready', appWindow())).toEqual({ ok: true, value: undefined });
    expect(sentTo(appWindow(), 'deepLinks.open')).toEqual([{ ok: true, link: { kind: 'meeting', meetingId } }]);
  });

  it('delivers a second instance’s link at once, and refuses another server’s link visibly', () => {
    electron.module.app.emit('second-instance', {}, ['/opt/Collaro/collaro', 'https://evil.example.net/m/' + meetingId]);
    expect(sentTo(appWindow(), 'deepLinks.open').at(-1)).toMatchObject({ ok: false, error: expect.stringContaining('another server') });
  });

  it('answers the app window but not a stranger', async () => {
    expect(await invoke('settings.get', appWindow())).toEqual({
      ok: true,
      value: {
        backendUrl: 'http://127.0.0.1:4000',
        backendUrlConfirmed: false,
        startAtLogin: false,
        miniCallWindow: false,
        joinNextShortcut: 'CommandOrControl+Shift+J',
        joinNextShortcutStatus: 'registered',
      },
    });
    const stranger = { webContents: { id: 999 }, url: 'collaro-app://app/' };
    expect(await invoke('settings.get', stranger)).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
  });

  it('puts today’s meetings in the tray, and a Join click reaches the app', async () => {
    const startsAt = new Date(Date.now() + 60 * 60_000);
    const endsAt = new Date(startsAt.getTime() + 30 * 60_000);
    // Near midnight the meeting would be tomorrow's and rightly absent; keep the check to same-day cases.
    const sameDay = startsAt.getDate() === new Date().getDate();
    const reply = await invoke('tray.setMeetings', appWindow(), [
      { id: meetingId, title: 'Standup', startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
    ]);
    expect(reply.ok).toBe(true);
    const tray = electron.trays[0]!;
    const join = tray.menu.find((item) => item.label?.startsWith('Join “Standup”'));
    if (!sameDay) {
      expect(join).toBeUndefined();
      return;
    }
    join!.click!();
    expect(sentTo(appWindow(), 'tray.joinMeeting')).toEqual([{ meetingId }]);
  });

  it('grants the camera to the app and refuses it to anything else', () => {
    const decisions: boolean[] = [];
    const request = electron.sessionHandlers.permissionRequest!;
    request(appWindow().webContents, 'media', (granted) => decisions.push(granted), { requestingUrl: 'collaro-app://app/', mediaTypes: ['video'] });
    request(appWindow().webContents, 'media', (granted) => decisions.push(granted), { requestingUrl: 'https://evil.example.net/', mediaTypes: ['video'] });
    request(appWindow().webContents, 'geolocation', (granted) => decisions.push(granted), { requestingUrl: 'collaro-app://app/' });
    expect(decisions).toEqual([true, false, false]);
  });

  it('keeps the window on the app and sends a clicked web link to the system browser', () => {
    const event = fakeEvent();
    appWindow().webContents.emit('will-navigate', event, 'https://docs.example.com/guide');
    expect(event.defaultPrevented).toBe(true);
    expect(appWindow().webContents.windowOpenHandler!({ url: 'https://docs.example.com/other' })).toEqual({ action: 'deny' });
    expect(electron.openedExternally).toEqual(['https://docs.example.com/guide', 'https://docs.example.com/other']);
  });

  it('shares a screen through Collaro’s picker window and shows the always-on-top sharing bar', async () => {
    const answers: unknown[] = [];
    electron.sessionHandlers.displayMedia!({ securityOrigin: 'collaro-app://app', videoRequested: true, audioRequested: false }, (streams) =>
      answers.push(streams),
    );
    await settle();
    const picker = electron.windows.at(-1)!;
    expect(picker.url).toBe('collaro-app://picker/picker.html');
    expect(picker.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });
    expect(await invoke('screenShare.listSources', appWindow())).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    const listed = await invoke('screenShare.listSources', picker);
    expect(listed).toMatchObject({ ok: true, value: { sources: [{ id: 'screen:1:0' }, { id: 'window:77:0', name: 'Editor' }] } });
    expect(await invoke('screenShare.choose', picker, { action: 'share', sourceId: 'window:77:0', systemAudio: false })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(answers).toMatchObject([{ video: { id: 'window:77:0' } }]);
    expect(picker.destroyed).toBe(true);
    const bar = electron.windows.at(-1)!;
    expect(bar.url).toBe('collaro-app://picker/sharing-bar.html');
    expect(bar.alwaysOnTop).toBe(true);
    await invoke('call.setState', appWindow(), { inCall: true, muted: false, sharing: true, meetingId });
    // A call goes on with its window hidden: the page's timers are not throttled meanwhile.
    expect(appWindow().webContents.backgroundThrottling).toBe(false);
    expect(await invoke('notifications.show', appWindow(), { kind: 'direct_message', channelId: meetingId, authorName: 'Ada', preview: 'hi' })).toEqual({
      ok: true,
      value: { shown: false, reason: 'screen-sharing' },
    });
    expect(await invoke('screenShare.stop', bar)).toEqual({ ok: true, value: undefined });
    expect(bar.destroyed).toBe(true);
    expect(sentTo(appWindow(), 'screenShare.stopped')).toEqual([{ source: 'sharing-bar' }]);
  });

  it('refuses path traversal on the app protocol', async () => {
    const handler = electron.protocolHandlers.get('collaro-app')!;
    expect((await handler({ url: 'collaro-app://app/..%2f..%2fpackage.json' })).status).toBe(403);
  });

  it('reloads the app window when the server address changes', async () => {
    const before = appWindow().webContents.reloads;
    expect(await invoke('settings.set', appWindow(), { backendUrl: 'https://collaro.example.com/' })).toMatchObject({
      ok: true,
      value: { backendUrl: 'https://collaro.example.com', backendUrlConfirmed: true },
    });
    await settle();
    expect(appWindow().webContents.reloads).toBe(before + 1);
  });

  it('hides to the tray when the window is closed', async () => {
    await settle();
    appWindow().close();
    expect(appWindow().destroyed).toBe(false);
    expect(appWindow().visible).toBe(false);
  });
});

describe('start at login', () => {
  it('a start with --hidden stays in the tray, but shows the window where there is no tray to come back from', async () => {
    const electron = current.electron!;
    electron.setSingleInstanceLock(true);
    await startMain(['/opt/Collaro/collaro', '--hidden']);
    const hidden = electron.windows.at(-1)!;
    hidden.emit('ready-to-show');
    await settle();
    expect(hidden.visible).toBe(false);
    current.trayHost = false;
    try {
      await startMain(['/opt/Collaro/collaro', '--hidden']);
      const shown = electron.windows.at(-1)!;
      shown.emit('ready-to-show');
      await settle();
      expect(shown.visible).toBe(true);
    } finally {
      current.trayHost = true;
    }
    await startMain(['/opt/Collaro/collaro']);
    const ordinary = electron.windows.at(-1)!;
    ordinary.emit('ready-to-show');
    expect(ordinary.visible).toBe(true);
  });
});

describe('Linux without a tray', () => {
  it.skipIf(process.platform !== 'linux')('quits when the window is closed, instead of hiding where nothing shows it again (Linux only)', async () => {
    const electron = current.electron!;
    current.trayHost = false;
    try {
      electron.setSingleInstanceLock(true);
      const quitsBefore = electron.calls.quit;
      await startMain(['/opt/Collaro/collaro']);
      const window = electron.windows.at(-1)!;
      window.close();
      expect(window.destroyed).toBe(true);
      expect(electron.calls.quit).toBe(quitsBefore + 1);
    } finally {
      current.trayHost = true;
    }
  });
});

describe('single instance', () => {
  it('quits at once when Collaro is already running, leaving the link to the first instance', async () => {
    const electron = current.electron!;
    const windowsBefore = electron.windows.length;
    const quitsBefore = electron.calls.quit;
    electron.setSingleInstanceLock(false);
    await startMain(['/opt/Collaro/collaro', `collaro://meeting/${meetingId}`]);
    expect(electron.calls.quit).toBe(quitsBefore + 1);
    expect(electron.windows).toHaveLength(windowsBefore);
  });
});
