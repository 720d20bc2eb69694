import type { DesktopStateStore } from './desktop-state.js';

/** What Collaro uses of electron-updater's `autoUpdater`. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  downloadUpdate(cancellationToken?: CancellationLike): Promise<unknown>;
  quitAndInstall(): void;
  on(event: 'update-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface CancellationLike {
  cancel(): void;
}

export interface UpdaterModule {
  autoUpdater: UpdaterLike;
  newCancellation(): CancellationLike;
}

/** electron-updater, loaded only when a packaged app first checks: development never loads it. */
export async function loadElectronUpdater(): Promise<UpdaterModule> {
  const { autoUpdater, CancellationToken } = (await import('electron-updater')).default;
  return { autoUpdater, newCancellation: () => new CancellationToken() };
}

export type UpdatePromptAnswer = 'restart' | 'later';

export interface MessageBoxLike {
  showMessageBox(options: {
    type: 'info';
    title: string;
    message: string;
    detail: string;
    buttons: string[];
    defaultId: number;
    cancelId: number;
    noLink: boolean;
  }): Promise<{ response: number }>;
}

/** The "Restart to update" prompt as a native message box. */
export function messageBoxPrompt(dialog: MessageBoxLike): (version: string) => Promise<UpdatePromptAnswer> {
  return async (version) => {
    const { response } = await dialog.showMessageBox({
      type: 'info',
      title: 'Update ready',
      message: `Collaro ${version} is ready to install`,
      detail: 'Restart Collaro to finish updating. If you choose Later, the tray keeps a “Restart to update” item and the update is installed when you quit.',
      buttons: ['Restart to update', 'Later'],
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    });
    return response === 0 ? 'restart' : 'later';
  };
}

export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60_000;
/** After "Later", the same version is not offered again by a prompt for this long (the tray item stays). */
export const UPDATE_DEFER_MS = 24 * 60 * 60_000;

export interface AutoUpdateDeps {
  isPackaged: boolean;
  loadUpdater: () => Promise<UpdaterModule>;
  state: DesktopStateStore;
  prompt: (version: string) => Promise<UpdatePromptAnswer>;
  /** Lets the windows close for good: installing an update quits Collaro. */
  prepareToQuit: () => void;
  log: (message: string) => void;
  now?: () => number;
  checkIntervalMs?: number;
}

/**
 * Checks the publish feed of electron-builder.yml and installs new releases, without ever getting in
 * the way of a meeting: nothing is checked or downloaded during a call (a download under way is
 * cancelled and resumed afterwards), the "Restart to update" prompt waits for the call to end, a
 * restart asked for during a call happens after it, and "Later" defers. A tray app rarely quits, so
 * the tray keeps offering the restart; an update not applied is installed when the person quits.
 * Only a packaged app updates: in development there is no feed and nothing to replace.
 */
export class AutoUpdateService {
  readonly #deps: AutoUpdateDeps;
  #module: UpdaterModule | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #unsubscribe: (() => void) | null = null;
  #checking = false;
  #checkAfterCall = false;
  /** The version found and not yet downloaded, and the cancellation of its download under way. */
  #available: string | null = null;
  #download: CancellationLike | null = null;
  #prompting = false;
  readonly #deferredUntil = new Map<string, number>();

  constructor(deps: AutoUpdateDeps) {
    this.#deps = deps;
  }

  get enabled(): boolean {
    return this.#deps.isPackaged;
  }

  start(): void {
    if (!this.enabled) {
      this.#deps.log('Auto-update is off in development');
      return;
    }
    this.#unsubscribe = this.#deps.state.subscribe((state, previous) => {
      if (state.call.inCall && !previous.call.inCall) this.#onCallStarted();
      if (!state.call.inCall && previous.call.inCall) this.#onCallEnded();
    });
    void this.check();
    this.#timer = setInterval(() => void this.check(), this.#deps.checkIntervalMs ?? UPDATE_CHECK_INTERVAL_MS);
  }

  dispose(): void {
    this.#unsubscribe?.();
    if (this.#timer) clearInterval(this.#timer);
    this.#download?.cancel();
    this.#download = null;
  }

  async check(): Promise<void> {
    if (this.#inCall()) {
      this.#checkAfterCall = true;
      return;
    }
    if (this.#checking || this.#deps.state.get().update.state === 'ready') {
      this.#offerRestart();
      return;
    }
    this.#checking = true;
    try {
      const updater = await this.#updater();
      await updater.checkForUpdates();
    } catch (error) {
      // Offline, or the feed is down: Collaro works on, and tries again at the next interval.
      this.#deps.log(`Update check failed: ${messageOf(error)}`);
    } finally {
      this.#checking = false;
    }
  }

  /** "Restart to update", from the prompt or the tray: now, or when the current call ends. */
  restart(): void {
    const update = this.#deps.state.get().update;
    if (update.state !== 'ready') return;
    if (this.#inCall()) {
      this.#deps.state.update({ update: { ...update, restartAfterCall: true } });
      return;
    }
    const updater = this.#module?.autoUpdater;
    if (!updater) return;
    this.#deps.log(`Restarting to install Collaro ${update.version}`);
    this.#deps.prepareToQuit();
    updater.quitAndInstall();
  }

  async #updater(): Promise<UpdaterLike> {
    if (this.#module) return this.#module.autoUpdater;
    const module = await this.#deps.loadUpdater();
    const updater = module.autoUpdater;
    // Downloads start only outside calls, and only from here.
    updater.autoDownload = false;
    updater.autoInstallOnAppQuit = true;
    updater.on('error', (error) => this.#deps.log(`Update failed: ${messageOf(error)}`));
    updater.on('update-available', (info) => {
      this.#available = info.version;
      this.#startDownload();
    });
    updater.on('update-downloaded', (info) => {
      this.#available = null;
      this.#download = null;
      this.#deps.state.update({ update: { state: 'ready', version: info.version, restartAfterCall: false } });
      this.#offerRestart();
    });
    this.#module = module;
    return updater;
  }

  #startDownload(): void {
    const module = this.#module;
    if (!module || this.#available === null || this.#download || this.#inCall()) return;
    const cancellation = module.newCancellation();
    this.#download = cancellation;
    const version = this.#available;
    module.autoUpdater.downloadUpdate(cancellation).catch((error: unknown) => {
      if (this.#download === cancellation) this.#download = null;
      // A download cancelled for a call is resumed when the call ends; any other failure waits for the next check.
      if (this.#available === version && !this.#inCall()) this.#available = null;
      this.#deps.log(`Update download stopped: ${messageOf(error)}`);
    });
  }

  #offerRestart(): void {
    const update = this.#deps.state.get().update;
    if (update.state !== 'ready' || this.#inCall() || this.#prompting) return;
    const now = this.#deps.now?.() ?? Date.now();
    if ((this.#deferredUntil.get(update.version) ?? 0) > now) return;
    this.#prompting = true;
    this.#deps
      .prompt(update.version)
      .then((answer) => {
        if (answer === 'restart') this.restart();
        else this.#deferredUntil.set(update.version, (this.#deps.now?.() ?? Date.now()) + UPDATE_DEFER_MS);
      })
      .catch((error: unknown) => this.#deps.log(`Update prompt failed: ${messageOf(error)}`))
      .finally(() => {
        this.#prompting = false;
      });
  }

  #onCallStarted(): void {
    const download = this.#download;
    if (!download) return;
    // The call gets the whole connection; the download starts again afterwards.
    this.#download = null;
    download.cancel();
  }

  #onCallEnded(): void {
    const update = this.#deps.state.get().update;
    if (update.state === 'ready' && update.restartAfterCall) {
      this.restart();
      return;
    }
    this.#startDownload();
    this.#offerRestart();
    if (this.#checkAfterCall) {
      this.#checkAfterCall = false;
      void this.check();
    }
  }

  #inCall(): boolean {
    return this.#deps.state.get().call.inCall;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
