import { EventEmitter } from 'node:events';
import type { EmulationContext } from './context.js';
import type { NotificationEmulation } from './system.js';

/** electron-updater's CancellationToken (from builder-util-runtime): a download given one stops when it is cancelled. */
export class CancellationTokenEmulation extends EventEmitter {
  cancelled = false;
  cancel(): void {
    this.cancelled = true;
    this.emit('cancel');
  }
}

/** What the update feed answers, set by the test: nothing new, a release, or no connection at all. */
export type UpdateFeed = { kind: 'none' } | { kind: 'available'; version: string } | { kind: 'unreachable'; message: string };

/**
 * electron-updater's `autoUpdater`, with its events in the order the real one emits them. The feed is
 * the test's to set; checks, downloads and installs are counted.
 */
export function createElectronUpdater(
  context: EmulationContext,
  deps: { quit: () => void; createNotification: (options: { title: string; body: string }) => NotificationEmulation; version: () => string },
) {
  let feed: UpdateFeed = { kind: 'none' };
  const counters = { checks: 0, downloads: 0, quitAndInstall: 0 };
  let downloaded = false;

  const updater = Object.assign(new EventEmitter(), {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    autoRunAppAfterInstall: true,
    allowPrerelease: false,
    allowDowngrade: false,
    forceDevUpdateConfig: false,
    fullChangelog: false,
    channel: null as string | null,
    logger: console,
    currentVersion: { version: deps.version() },

    _setFeed(next: UpdateFeed): void {
      feed = next;
      downloaded = false;
    },
    _counters: counters,
    _feed: () => feed,

    async checkForUpdates() {
      context.requireReady('autoUpdater.checkForUpdates()');
      counters.checks += 1;
      updater.emit('checking-for-update');
      if (feed.kind === 'unreachable') {
        const error = new Error(feed.message);
        updater.emit('error', error, error.message);
        throw error;
      }
      if (feed.kind === 'none') {
        const updateInfo = { version: deps.version(), files: [], releaseDate: new Date().toISOString() };
        updater.emit('update-not-available', updateInfo);
        return { isUpdateAvailable: false, updateInfo, versionInfo: updateInfo };
      }
      const updateInfo = { version: feed.version, files: [], releaseDate: new Date().toISOString(), releaseName: `Collaro ${feed.version}` };
      updater.emit('update-available', updateInfo);
      const downloadPromise = updater.autoDownload ? updater.downloadUpdate() : null;
      return { isUpdateAvailable: true, updateInfo, versionInfo: updateInfo, downloadPromise };
    },

    async checkForUpdatesAndNotify() {
      const result = await updater.checkForUpdates();
      if (result.isUpdateAvailable && 'downloadPromise' in result && result.downloadPromise) {
        await result.downloadPromise;
        // electron-updater's own notification, as the real checkForUpdatesAndNotify shows it.
        deps
          .createNotification({
            title: 'A new update is ready to install',
            body: `Collaro version ${result.updateInfo.version} has been downloaded and will be automatically installed on exit`,
          })
          .show();
      }
      return result;
    },

    async downloadUpdate(cancellationToken?: CancellationTokenEmulation): Promise<string[]> {
      if (feed.kind !== 'available') throw new Error('No update available, cannot download');
      counters.downloads += 1;
      updater.emit('download-progress', { percent: 100, bytesPerSecond: 1, total: 1, transferred: 1, delta: 1 });
      await new Promise((resolve) => setImmediate(resolve));
      if (cancellationToken?.cancelled) throw new Error('cancelled');
      downloaded = true;
      updater.emit('update-downloaded', { version: feed.version, files: [], releaseDate: new Date().toISOString(), downloadedFile: '/tmp/collaro-update' });
      return ['/tmp/collaro-update'];
    },

    quitAndInstall(): void {
      counters.quitAndInstall += 1;
      if (!downloaded) context.violation('autoUpdater.quitAndInstall() with nothing downloaded: electron-updater only quits');
      deps.quit();
    },

    setFeedURL(): void {},
    getFeedURL: () => null,
    isUpdaterActive: () => context.options.isPackaged,
    addAuthHeader: () => undefined,
  });
  return updater;
}

export type ElectronUpdaterEmulation = ReturnType<typeof createElectronUpdater>;

/** Electron's own `autoUpdater` (Squirrel): Collaro uses electron-updater, so every call is reported. */
export function createBuiltInAutoUpdater(context: EmulationContext) {
  const refuse = (name: string) => () => {
    throw context.violation(`electron's autoUpdater.${name} is not emulated: Collaro updates through electron-updater`);
  };
  return Object.assign(new EventEmitter(), {
    setFeedURL: refuse('setFeedURL'),
    getFeedURL: refuse('getFeedURL'),
    checkForUpdates: refuse('checkForUpdates'),
    quitAndInstall: refuse('quitAndInstall'),
  });
}
