import type { ActiveSpeaker, MiniCallView } from '@collaro/shared';
import type { DesktopStateStore } from './desktop-state.js';

/** What the service needs of the small window: Electron's BrowserWindow satisfies it. */
export interface MiniWindowLike {
  close(): void;
  isDestroyed(): boolean;
  once(event: 'closed', listener: () => void): unknown;
}

export interface MiniCallWindowDeps<W extends MiniWindowLike> {
  state: DesktopStateStore;
  /** The "small call window" setting (off by default). */
  enabled: { get(): boolean; onChange(listener: () => void): () => void };
  isAppWindowVisible: () => boolean;
  /** Opens the always-on-top window; it asks for its first view once loaded (see `view()`). */
  openWindow: () => W;
  sendView: (view: MiniCallView) => void;
  /** Tells the app window whether to send the active speaker (it captures frames only meanwhile). */
  setSpeakerWanted: (wanted: boolean) => void;
}

/**
 * The small always-on-top window with the active speaker, shown while a call runs and the app
 * window is hidden (closed to the tray or hidden from it), when the setting is on. It closes as soon
 * as the app window shows again or the call ends. A person who closes it keeps it closed until the
 * app window has been shown again.
 */
export class MiniCallWindowService<W extends MiniWindowLike> {
  readonly #deps: MiniCallWindowDeps<W>;
  #window: W | null = null;
  #speaker: ActiveSpeaker | null = null;
  #dismissed = false;
  #unsubscribe: (() => void)[] = [];

  constructor(deps: MiniCallWindowDeps<W>) {
    this.#deps = deps;
  }

  start(): void {
    this.#unsubscribe = [this.#deps.state.subscribe(() => this.refresh()), this.#deps.enabled.onChange(() => this.refresh())];
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    this.#close();
  }

  get isOpen(): boolean {
    return this.#window !== null;
  }

  /** Called whenever the app window shows or hides, and when the call or the setting changes. */
  refresh(): void {
    const appVisible = this.#deps.isAppWindowVisible();
    const inCall = this.#deps.state.get().call.inCall;
    if (appVisible || !inCall) this.#dismissed = false;
    const wanted = this.#deps.enabled.get() && inCall && !appVisible && !this.#dismissed;
    if (wanted && !this.#window) this.#open();
    else if (!wanted && this.#window) this.#close();
    else if (this.#window) this.#deps.sendView(this.view());
  }

  setSpeaker(speaker: ActiveSpeaker | null): void {
    this.#speaker = speaker;
    if (this.#window) this.#deps.sendView(this.view());
  }

  view(): MiniCallView {
    return { speaker: this.#speaker, muted: this.#deps.state.get().call.muted };
  }

  #open(): void {
    const window = this.#deps.openWindow();
    this.#window = window;
    window.once('closed', () => {
      if (this.#window !== window) return;
      // Closed by the person (or the system): stay closed until the app window was shown again.
      this.#window = null;
      this.#dismissed = true;
      this.#speaker = null;
      this.#deps.setSpeakerWanted(false);
    });
    this.#deps.setSpeakerWanted(true);
  }

  #close(): void {
    const window = this.#window;
    if (!window) return;
    this.#window = null;
    this.#speaker = null;
    this.#deps.setSpeakerWanted(false);
    if (!window.isDestroyed()) window.close();
  }
}
