export interface UpdaterLike {
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60_000;

/**
 * Checks the publish feed of electron-builder.yml for a newer release and installs it on quit.
 * Only a packaged app updates: in development there is no feed and nothing to replace.
 */
export class AutoUpdateService {
  readonly #deps: { isPackaged: boolean; updater: () => Promise<UpdaterLike>; log: (message: string) => void };
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(deps: { isPackaged: boolean; updater: () => Promise<UpdaterLike>; log: (message: string) => void }) {
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
    void this.check();
    this.#timer = setInterval(() => void this.check(), UPDATE_CHECK_INTERVAL_MS);
  }

  async check(): Promise<void> {
    try {
      const updater = await this.#deps.updater();
      await updater.checkForUpdatesAndNotify();
    } catch (error) {
      // Offline or no release yet: try again at the next interval.
      this.#deps.log(`Update check failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
