/** What the service needs of a window's WebContents. */
export interface RecoverableContents {
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): unknown;
  reload(): void;
  isDestroyed(): boolean;
}

export interface RendererRecoveryDeps {
  /** Asks the user whether to reload once more or quit, after repeated crashes. */
  askToReload(): Promise<boolean>;
  quit(): void;
  log(message: string): void;
  now?: () => number;
}

/** This many crashes of one window within CRASH_WINDOW_MS and Collaro stops reloading on its own. */
export const MAX_AUTOMATIC_RELOADS = 2;
export const CRASH_WINDOW_MS = 60_000;

/**
 * A window whose renderer dies (a crash, an out-of-memory kill) is reloaded at once rather than left
 * blank. A renderer that keeps dying would reload forever, so after a few crashes in a minute the
 * user is asked: reload again, or quit.
 */
export class RendererRecoveryService {
  readonly #deps: RendererRecoveryDeps;
  readonly #crashes = new WeakMap<RecoverableContents, number[]>();
  #disposed = false;

  constructor(deps: RendererRecoveryDeps) {
    this.#deps = deps;
  }

  start(): void {}

  dispose(): void {
    this.#disposed = true;
  }

  watch(contents: RecoverableContents): void {
    contents.on('render-process-gone', (_event, details) => {
      // A clean exit is the app quitting, not a crash.
      if (details.reason === 'clean-exit' || this.#disposed) return;
      void this.#recover(contents, details.reason);
    });
  }

  async #recover(contents: RecoverableContents, reason: string): Promise<void> {
    const now = (this.#deps.now ?? Date.now)();
    const recent = (this.#crashes.get(contents) ?? []).filter((at) => now - at < CRASH_WINDOW_MS);
    recent.push(now);
    this.#crashes.set(contents, recent);
    this.#deps.log(`Window renderer gone (${reason}), ${recent.length} time(s) in the last minute`);
    if (recent.length > MAX_AUTOMATIC_RELOADS) {
      const reload = await this.#deps.askToReload();
      if (!reload) {
        this.#deps.quit();
        return;
      }
      this.#crashes.set(contents, []);
    }
    if (!contents.isDestroyed() && !this.#disposed) contents.reload();
  }
}

/** The question after repeated crashes, as a message box with Reload as the default. */
export function crashDialogPrompt(dialog: {
  showMessageBox(options: {
    type: 'error';
    title: string;
    message: string;
    detail: string;
    buttons: string[];
    defaultId: number;
    cancelId: number;
  }): Promise<{ response: number }>;
}): () => Promise<boolean> {
  return async () => {
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: 'Collaro',
      message: 'Collaro’s window stopped working several times.',
      detail: 'Reload it to try again, or quit Collaro and start it later.',
      buttons: ['Reload', 'Quit Collaro'],
      defaultId: 0,
      cancelId: 1,
    });
    return response === 0;
  };
}
