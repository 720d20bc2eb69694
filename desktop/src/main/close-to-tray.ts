export interface QuitApp {
  on(event: 'before-quit', listener: () => void): unknown;
  removeListener(event: 'before-quit', listener: () => void): unknown;
  quit(): void;
}

export interface ClosableAppWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  hide(): void;
}

export interface CloseToTrayDeps {
  app: QuitApp;
  platform: NodeJS.Platform;
  /** Whether the tray icon can be seen (see tray-host.ts); unknown until the first answer. */
  trayHost: Promise<boolean>;
  /** Called after the window was hidden, so the tray menu can say "Show Collaro". */
  onHidden: () => void;
  log: (message: string) => void;
}

/**
 * What closing the app window does. Collaro lives on in the tray (or the macOS Dock) so the next
 * meeting's reminder and Join still reach the person; where nothing would show it again (Linux
 * without a tray host) closing the window quits, rather than leaving an app running out of reach.
 */
export class CloseToTrayService {
  readonly #deps: CloseToTrayDeps;
  #quitting = false;
  /** Until the tray host answers, closing quits: better than hiding into a tray that may not exist. */
  #trayReachable: boolean;

  constructor(deps: CloseToTrayDeps) {
    this.#deps = deps;
    this.#trayReachable = deps.platform !== 'linux';
  }

  readonly #onBeforeQuit = (): void => {
    this.#quitting = true;
  };

  start(): void {
    this.#deps.app.on('before-quit', this.#onBeforeQuit);
    void this.#deps.trayHost.then(
      (reachable) => {
        this.#trayReachable = this.#deps.platform !== 'linux' || reachable;
        if (!this.#trayReachable) this.#deps.log('No system tray: closing the window quits Collaro');
      },
      () => undefined,
    );
  }

  dispose(): void {
    this.#deps.app.removeListener('before-quit', this.#onBeforeQuit);
  }

  /** True once the tray (or Dock) is known to bring the window back. */
  get trayReachable(): boolean {
    return this.#trayReachable;
  }

  /** Installing an update closes every window before `before-quit`: let them close. */
  prepareToQuit(): void {
    this.#quitting = true;
  }

  attach(window: ClosableAppWindow): void {
    window.on('close', (event) => {
      if (this.#quitting) return;
      if (this.#trayReachable) {
        event.preventDefault();
        window.hide();
        this.#deps.onHidden();
        return;
      }
      this.#quitting = true;
      this.#deps.app.quit();
    });
  }
}
