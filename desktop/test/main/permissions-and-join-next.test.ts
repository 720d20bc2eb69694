import { parseGlobalAccelerator, type JoinNextRequest } from '@collaro/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandRunner } from '../../src/main/command-runner.js';
import { JoinNextMeetingService } from '../../src/main/join-next-meeting.js';
import { enableWaylandScreenCapture, PermissionsService } from '../../src/main/permissions.js';
import { readSystemDoNotDisturb } from '../../src/main/system-do-not-disturb.js';

const meetingId = '22222222-2222-4222-8222-222222222222';

function permissions(platform: NodeJS.Platform, options: { env?: NodeJS.ProcessEnv; status?: string; run?: CommandRunner; supported?: boolean } = {}) {
  const opened: string[] = [];
  const service = new PermissionsService({
    platform,
    env: options.env ?? {},
    getMediaAccessStatus: () => options.status ?? 'denied',
    notificationsSupported: () => options.supported ?? true,
    systemDoNotDisturb: () => ({ state: 'unknown', source: 'test' }),
    openExternal: async (url) => void opened.push(url),
    run: options.run ?? (async () => Promise.reject(new Error('no bus'))),
  });
  return { service, opened };
}

describe('the permissions report', () => {
  it('reads macOS’s media permissions and opens only the matching Privacy pages', async () => {
    const { service, opened } = permissions('darwin', { status: 'denied' });
    const report = await service.report();
    expect(report.permissions.map((permission) => [permission.kind, permission.state, permission.canOpenSettings])).toEqual([
      ['camera', 'denied', true],
      ['microphone', 'denied', true],
      ['screen', 'denied', true],
      ['notifications', 'unknown', true],
    ]);
    for (const kind of ['camera', 'microphone', 'screen', 'notifications'] as const) await service.openSettings(kind);
    expect(opened).toEqual([
      'x-apple.systempreferences:com.apple.preference.security?Privacy_Camera',
      'x-apple.systempreferences:com.apple.preference.security?Privacy_Microphone',
      'x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture',
      'x-apple.systempreferences:com.apple.preference.notifications',
    ]);
  });

  it('on Windows sends camera and microphone to ms-settings and has no page for the screen', async () => {
    const { service, opened } = permissions('win32', { status: 'granted' });
    const report = await service.report();
    expect(report.permissions.find((permission) => permission.kind === 'screen')).toMatchObject({ state: 'not-required', canOpenSettings: false });
    expect(await service.openSettings('screen')).toMatchObject({ opened: false });
    await service.openSettings('camera');
    await service.openSettings('microphone');
    expect(opened).toEqual(['ms-settings:privacy-webcam', 'ms-settings:privacy-microphone']);
  });

  it('on Linux under Wayland reports the portal, and opens nothing', async () => {
    const portal: CommandRunner = async (_file, args) => (args.join(' ').includes('ScreenCast') ? 'variant uint32 5' : Promise.reject(new Error('no')));
    const without = await permissions('linux', { env: { XDG_SESSION_TYPE: 'wayland' } }).service.report();
    expect(without.screenCapture).toBe('portal');
    expect(without.permissions.find((permission) => permission.kind === 'screen')?.state).toBe('unavailable');
    const withPortal = permissions('linux', { env: { XDG_SESSION_TYPE: 'wayland' }, run: portal });
    expect((await withPortal.service.report()).permissions.find((permission) => permission.kind === 'screen')?.state).toBe('granted');
    expect(await withPortal.service.openSettings('camera')).toMatchObject({ opened: false });
    expect(withPortal.opened).toEqual([]);
    expect((await permissions('linux', { env: { XDG_SESSION_TYPE: 'x11' }, supported: false }).service.report()).permissions.map((p) => p.state)).toEqual([
      'not-required',
      'not-required',
      'not-required',
      'unavailable',
    ]);
  });

  it('switches on PipeWire capture under Wayland only, keeping other features', () => {
    const switches = new Map<string, string>([['enable-features', 'Foo']]);
    const commandLine = {
      appendSwitch: (name: string, value = '') => void switches.set(name, value),
      getSwitchValue: (name: string) => switches.get(name) ?? '',
    };
    enableWaylandScreenCapture(commandLine, 'linux', { XDG_SESSION_TYPE: 'x11' });
    expect(switches.get('enable-features')).toBe('Foo');
    enableWaylandScreenCapture(commandLine, 'linux', { XDG_SESSION_TYPE: 'wayland' });
    expect(switches.get('enable-features')).toBe('Foo,WebRTCPipeWireCapturer');
  });
});

describe('the system’s do-not-disturb', () => {
  it('prefers the notification server’s Inhibited, falls back to GNOME’s switch, and is unknown on macOS and Windows', async () => {
    const kde: CommandRunner = async (file) => (file === 'dbus-send' ? 'variant boolean true' : 'true');
    expect(await readSystemDoNotDisturb('linux', {}, kde)).toMatchObject({ state: 'on' });
    const gnome: CommandRunner = async (file) => (file === 'gsettings' ? 'false\n' : Promise.reject(new Error('UnknownProperty')));
    expect(await readSystemDoNotDisturb('linux', { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' }, gnome)).toMatchObject({
      state: 'on',
      source: expect.stringContaining('GNOME'),
    });
    expect(await readSystemDoNotDisturb('linux', { XDG_CURRENT_DESKTOP: 'XFCE' }, gnome)).toMatchObject({ state: 'unknown' });
    expect((await readSystemDoNotDisturb('darwin', {})).state).toBe('unknown');
    expect((await readSystemDoNotDisturb('win32', {})).state).toBe('unknown');
  });
});

describe('join next meeting', () => {
  afterEach(() => vi.useRealTimers());

  function setup(register = true) {
    const requests: JoinNextRequest[] = [];
    const opened: string[] = [];
    const notices: string[] = [];
    const registered = new Map<string, () => void>();
    let shortcut: string | null = 'CommandOrControl+Shift+J';
    let listener = () => undefined as void;
    let shown = 0;
    const service = new JoinNextMeetingService({
      globalShortcut: {
        register: (accelerator, callback) => register && (registered.set(accelerator, callback), true),
        unregister: (accelerator) => void registered.delete(accelerator),
      },
      shortcut: { get: () => shortcut, onChange: (next) => ((listener = next), () => undefined) },
      request: (request) => (requests.push(request), true),
      showApp: () => void shown++,
      openMeeting: (id) => void opened.push(id),
      notice: (title) => void notices.push(title),
      log: () => undefined,
    });
    service.start();
    return { service, requests, opened, notices, registered, shown: () => shown, change: (next: string | null) => ((shortcut = next), listener()) };
  }

  it('asks the app on the shortcut, opens what it found, and takes only the answer to the latest press', () => {
    const { service, registered, requests, opened, notices } = setup();
    registered.get('CommandOrControl+Shift+J')!();
    service.trigger('tray');
    service.answer({ requestId: requests[0]!.requestId, found: true, meetingId });
    expect(opened).toEqual([]);
    service.answer({ requestId: requests[1]!.requestId, found: false, reason: 'none', message: '' });
    expect(notices).toEqual(['No meeting to join']);
    expect(requests.map((request) => request.source)).toEqual(['shortcut', 'tray']);
  });

  it('shows the window when the app does not answer', () => {
    vi.useFakeTimers();
    const { service, shown } = setup();
    service.trigger('shortcut');
    vi.advanceTimersByTime(10_000);
    expect(shown()).toBe(1);
  });

  it('follows the setting, and says when another application holds the keys', () => {
    const { service, registered, change } = setup();
    change('Alt+Shift+N');
    expect([...registered.keys()]).toEqual(['Alt+Shift+N']);
    change(null);
    expect(service.status()).toBe('off');
    expect(setup(false).service.status()).toBe('taken');
  });

  it('accepts only accelerators Electron knows, with a modifier besides Shift', () => {
    expect(parseGlobalAccelerator('ctrl+shift+j')).toEqual({ ok: true, accelerator: 'Control+Shift+J' });
    expect(parseGlobalAccelerator('CmdOrCtrl+F12')).toEqual({ ok: true, accelerator: 'CommandOrControl+F12' });
    expect(parseGlobalAccelerator('Alt++')).toEqual({ ok: true, accelerator: 'Alt+Plus' });
    expect(parseGlobalAccelerator('Shift+J').ok).toBe(false);
    expect(parseGlobalAccelerator('Hyper+J').ok).toBe(false);
    expect(parseGlobalAccelerator('Ctrl+Banana').ok).toBe(false);
    expect(parseGlobalAccelerator('Ctrl+Ctrl+J').ok).toBe(false);
  });
});
