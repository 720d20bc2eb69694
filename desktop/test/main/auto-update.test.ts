import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutoUpdateService, UPDATE_CHECK_INTERVAL_MS, UPDATE_DEFER_MS, type CancellationLike, type UpdatePromptAnswer } from '../../src/main/auto-update.js';
import { DesktopStateStore } from '../../src/main/desktop-state.js';

const inCall = { inCall: true, muted: false, sharing: false, meetingId: null, cameraOff: false, talking: false };
const idle = { inCall: false, muted: false, sharing: false, meetingId: null, cameraOff: false, talking: false };
const settle = async () => {
  for (let round = 0; round < 5; round += 1) await Promise.resolve();
};

/** electron-updater as Collaro drives it: a feed offering `latest`, downloads the test finishes. */
class FakeUpdater extends EventEmitter {
  autoDownload = true;
  autoInstallOnAppQuit = false;
  latest: string | null = null;
  feedDown = false;
  checks = 0;
  installs = 0;
  downloads: { version: string; cancelled: boolean; finish(): void; fail(error: Error): void }[] = [];
  async checkForUpdates(): Promise<unknown> {
    this.checks += 1;
    if (this.feedDown) {
      const error = new Error('net::ERR_CONNECTION_REFUSED');
      this.emit('error', error);
      throw error;
    }
    if (this.latest) this.emit('update-available', { version: this.latest });
    return null;
  }
  downloadUpdate(cancellation?: CancellationLike & { cancelled?: boolean }): Promise<unknown> {
    const version = this.latest!;
    return new Promise((resolve, reject) => {
      const download = {
        version,
        cancelled: false,
        finish: () => {
          this.emit('update-downloaded', { version });
          resolve([]);
        },
        fail: (error: Error) => reject(error),
      };
      this.downloads.push(download);
      (cancellation as FakeCancellation).onCancel = () => {
        download.cancelled = true;
        reject(new Error('cancelled'));
      };
    });
  }
  quitAndInstall(): void {
    this.installs += 1;
  }
}

class FakeCancellation implements CancellationLike {
  onCancel: () => void = () => undefined;
  cancel(): void {
    this.onCancel();
  }
}

function setup(options: { isPackaged?: boolean; answers?: UpdatePromptAnswer[] } = {}) {
  const state = new DesktopStateStore();
  const updater = new FakeUpdater();
  const prompts: string[] = [];
  const answers = [...(options.answers ?? [])];
  const logged: string[] = [];
  let loaded = 0;
  let preparedToQuit = 0;
  const service = new AutoUpdateService({
    isPackaged: options.isPackaged ?? true,
    loadUpdater: async () => {
      loaded += 1;
      return { autoUpdater: updater, newCancellation: () => new FakeCancellation() };
    },
    state,
    prompt: async (version) => {
      prompts.push(version);
      return answers.shift() ?? 'later';
    },
    prepareToQuit: () => (preparedToQuit += 1),
    log: (message) => logged.push(message),
  });
  return { service, state, updater, prompts, logged, loaded: () => loaded, preparedToQuit: () => preparedToQuit };
}

describe('updates', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2030, 0, 15, 9) }));
  afterEach(() => vi.useRealTimers());

  it('are off in development and never load the updater there', async () => {
    const { service, loaded, logged } = setup({ isPackaged: false });
    service.start();
    await settle();
    expect(loaded()).toBe(0);
    expect(logged).toEqual(['Auto-update is off in development']);
    service.dispose();
  });

  it('download only when asked, and offer "Restart to update" in a prompt and in the tray state', async () => {
    const { service, state, updater, prompts, preparedToQuit } = setup({ answers: ['restart'] });
    updater.latest = '0.2.0';
    service.start();
    await settle();
    expect(updater.autoDownload).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.downloads.map((download) => download.version)).toEqual(['0.2.0']);
    updater.downloads[0]!.finish();
    await settle();
    expect(state.get().update).toEqual({ state: 'ready', version: '0.2.0', restartAfterCall: false });
    expect(prompts).toEqual(['0.2.0']);
    expect(preparedToQuit()).toBe(1);
    expect(updater.installs).toBe(1);
    service.dispose();
  });

  it('never check or download during a call: a download under way is cancelled and resumed afterwards', async () => {
    const { service, state, updater } = setup();
    updater.latest = '0.2.0';
    state.update({ call: inCall });
    service.start();
    await settle();
    expect(updater.checks).toBe(0);
    state.update({ call: idle });
    await settle();
    expect(updater.checks).toBe(1);
    expect(updater.downloads).toHaveLength(1);
    state.update({ call: inCall });
    await settle();
    expect(updater.downloads[0]!.cancelled).toBe(true);
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS);
    await settle();
    expect(updater.checks).toBe(1);
    expect(updater.downloads).toHaveLength(1);
    state.update({ call: idle });
    await settle();
    expect(updater.downloads).toHaveLength(2);
    expect(updater.downloads[1]!.cancelled).toBe(false);
    service.dispose();
  });

  it('never prompt or install during a call: a restart asked for in the call happens when it ends', async () => {
    const { service, state, updater, prompts } = setup({ answers: ['later'] });
    updater.latest = '0.2.0';
    service.start();
    await settle();
    state.update({ call: inCall });
    // A download that finishes during a call is held: no prompt until the call ends.
    updater.downloads[0]!.finish();
    await settle();
    expect(prompts).toEqual([]);
    service.restart();
    expect(updater.installs).toBe(0);
    expect(state.get().update).toEqual({ state: 'ready', version: '0.2.0', restartAfterCall: true });
    state.update({ call: { ...inCall, muted: true } });
    expect(updater.installs).toBe(0);
    state.update({ call: idle });
    expect(updater.installs).toBe(1);
    service.dispose();
  });

  it('let the person defer: "Later" is not asked again for a day, and the tray keeps the restart', async () => {
    const { service, state, updater, prompts } = setup({ answers: ['later', 'later'] });
    updater.latest = '0.2.0';
    service.start();
    await settle();
    updater.downloads[0]!.finish();
    await settle();
    expect(prompts).toEqual(['0.2.0']);
    expect(updater.installs).toBe(0);
    expect(state.get().update.state).toBe('ready');
    state.update({ call: inCall });
    state.update({ call: idle });
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS);
    await settle();
    expect(prompts).toEqual(['0.2.0']);
    vi.advanceTimersByTime(UPDATE_DEFER_MS);
    await settle();
    expect(prompts).toEqual(['0.2.0', '0.2.0']);
    // The tray's "Restart to update" still works after deferring.
    service.restart();
    expect(updater.installs).toBe(1);
    service.dispose();
  });

  it('keep Collaro usable when the update server cannot be reached, and try again later', async () => {
    const { service, updater, logged, state } = setup();
    updater.feedDown = true;
    service.start();
    await settle();
    expect(logged).toEqual(['Update failed: net::ERR_CONNECTION_REFUSED', 'Update check failed: net::ERR_CONNECTION_REFUSED']);
    expect(state.get().update).toEqual({ state: 'none' });
    updater.feedDown = false;
    updater.latest = '0.2.0';
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS);
    await settle();
    expect(updater.checks).toBe(2);
    updater.downloads[0]!.fail(new Error('socket hang up'));
    await settle();
    expect(logged.at(-1)).toBe('Update download stopped: socket hang up');
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS);
    await settle();
    expect(updater.downloads).toHaveLength(2);
    service.dispose();
  });

  it('keep Collaro usable when the updater itself cannot be loaded', async () => {
    const logged: string[] = [];
    const service = new AutoUpdateService({
      isPackaged: true,
      loadUpdater: async () => {
        throw new Error('Cannot find module electron-updater');
      },
      state: new DesktopStateStore(),
      prompt: async () => 'later',
      prepareToQuit: () => undefined,
      log: (message) => logged.push(message),
    });
    service.start();
    await settle();
    expect(logged).toEqual(['Update check failed: Cannot find module electron-updater']);
    service.dispose();
  });
});
