import type { DesktopStateStore } from './desktop-state.js';

/** Works from any app while Collaro is in a call; registered only then, so it never steals the keys otherwise. */
export const MUTE_SHORTCUT = 'CommandOrControl+Shift+M';

export interface GlobalShortcutLike {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export class MuteShortcutService {
  readonly #shortcuts: GlobalShortcutLike;
  readonly #state: DesktopStateStore;
  readonly #onToggle: () => void;
  readonly #log: (message: string) => void;
  #registered = false;
  #unsubscribe: (() => void) | null = null;

  constructor(deps: { globalShortcut: GlobalShortcutLike; state: DesktopStateStore; onToggle: () => void; log: (message: string) => void }) {
    this.#shortcuts = deps.globalShortcut;
    this.#state = deps.state;
    this.#onToggle = deps.onToggle;
    this.#log = deps.log;
  }

  start(): void {
    this.#unsubscribe = this.#state.subscribe((state) => this.#apply(state.call.inCall));
    this.#apply(this.#state.get().call.inCall);
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#apply(false);
  }

  get isRegistered(): boolean {
    return this.#registered;
  }

  #apply(inCall: boolean): void {
    if (inCall && !this.#registered) {
      // Another app may own the combination already; the call still works, only the shortcut is missing.
      this.#registered = this.#shortcuts.register(MUTE_SHORTCUT, this.#onToggle);
      if (!this.#registered) this.#log(`${MUTE_SHORTCUT} is taken by another application`);
    } else if (!inCall && this.#registered) {
      this.#shortcuts.unregister(MUTE_SHORTCUT);
      this.#registered = false;
    }
  }
}
