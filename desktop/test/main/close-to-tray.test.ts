import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CloseToTrayService } from '../../src/main/close-to-tray.js';
import { hasTrayHost, type CommandRunner } from '../../src/main/tray-host.js';

class FakeApp extends EventEmitter {
  quits = 0;
  quit(): void {
    this.quits += 1;
    this.emit('before-quit');
  }
}

class FakeWindow extends EventEmitter {
  visible = true;
  closed = false;
  hide(): void {
    this.visible = false;
  }
  /** What Electron does when the person closes the window. */
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.closed = true;
  }
}

async function setup(platform: NodeJS.Platform, trayHost: boolean) {
  const app = new FakeApp();
  const hidden: string[] = [];
  const logged: string[] = [];
  const service = new CloseToTrayService({
    app,
    platform,
    trayHost: Promise.resolve(trayHost),
    onHidden: () => hidden.push('hidden'),
    log: (message) => logged.push(message),
  });
  service.start();
  await Promise.resolve();
  const window = new FakeWindow();
  service.attach(window);
  return { app, service, window, hidden, logged };
}

describe('closing the app window', () => {
  it('hides Collaro into the tray where a tray shows it', async () => {
    for (const [platform, host] of [
      ['linux', true],
      ['win32', false],
      ['darwin', false],
    ] as const) {
      const { app, window, hidden } = await setup(platform, host);
      window.close();
      expect([platform, window.closed, window.visible, app.quits, hidden]).toEqual([platform, false, false, 0, ['hidden']]);
    }
  });

  it('quits on Linux without a tray, instead of hiding into a tray no one can see', async () => {
    const { app, window, logged } = await setup('linux', false);
    window.close();
    expect(window.closed).toBe(true);
    expect(app.quits).toBe(1);
    expect(logged).toEqual(['No system tray: closing the window quits Collaro']);
  });

  it('lets the window close when Collaro quits or installs an update', async () => {
    const quitting = await setup('linux', true);
    quitting.app.emit('before-quit');
    quitting.window.close();
    expect(quitting.window.closed).toBe(true);
    const updating = await setup('win32', true);
    updating.service.prepareToQuit();
    updating.window.close();
    expect(updating.window.closed).toBe(true);
  });
});

describe('finding the tray on Linux', () => {
  const answering =
    (answers: Record<string, string | Error>): CommandRunner =>
    async (file) => {
      const answer = answers[file] ?? Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
      if (answer instanceof Error) throw answer;
      return answer;
    };

  it('asks the session bus whether a StatusNotifierWatcher runs', async () => {
    const asked: string[][] = [];
    const run: CommandRunner = async (file, args) => {
      asked.push([file, ...args]);
      return 'method return time=1 sender=org.freedesktop.DBus\n   boolean true\n';
    };
    expect(await hasTrayHost('linux', run)).toBe(true);
    expect(asked[0]).toContain('string:org.kde.StatusNotifierWatcher');
    expect(await hasTrayHost('linux', answering({ 'dbus-send': '   boolean false\n' }))).toBe(false);
  });

  it('falls back to gdbus, and counts no answer at all as no tray', async () => {
    expect(await hasTrayHost('linux', answering({ gdbus: '(true,)\n' }))).toBe(true);
    expect(await hasTrayHost('linux', answering({ gdbus: '(false,)\n' }))).toBe(false);
    expect(await hasTrayHost('linux', answering({ 'dbus-send': new Error('Failed to open connection to "session" message bus') }))).toBe(false);
  });

  it('takes the tray for granted on macOS and Windows', async () => {
    const run: CommandRunner = async () => {
      throw new Error('not asked');
    };
    expect(await hasTrayHost('darwin', run)).toBe(true);
    expect(await hasTrayHost('win32', run)).toBe(true);
  });
});
