import type { DesktopStateStore } from './desktop-state.js';

export interface PowerSaveBlockerLike {
  start(type: 'prevent-display-sleep'): number;
  stop(id: number): boolean;
  isStarted(id: number): boolean;
}

/** Keeps the display awake while the user is in a call, so a long meeting never dims mid-sentence. */
export class KeepAwakeDuringCallService {
  readonly #blocker: PowerSaveBlockerLike;
  readonly #state: DesktopStateStore;
  #blockerId: number | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(deps: { powerSaveBlocker: PowerSaveBlockerLike; state: DesktopStateStore }) {
    this.#blocker = deps.powerSaveBlocker;
    this.#state = deps.state;
  }

  start(): void {
    this.#unsubscribe = this.#state.subscribe((state) => this.#apply(state.call.inCall));
    this.#apply(this.#state.get().call.inCall);
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#apply(false);
  }

  get isBlocking(): boolean {
    return this.#blockerId !== null && this.#blocker.isStarted(this.#blockerId);
  }

  #apply(inCall: boolean): void {
    if (inCall && this.#blockerId === null) this.#blockerId = this.#blocker.start('prevent-display-sleep');
    if (!inCall && this.#blockerId !== null) {
      this.#blocker.stop(this.#blockerId);
      this.#blockerId = null;
    }
  }
}
