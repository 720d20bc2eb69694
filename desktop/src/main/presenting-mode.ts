import type { Availability } from '@collaro/shared';
import type { DesktopStateStore } from './desktop-state.js';

export interface PresentingModeDeps {
  state: DesktopStateStore;
  /** Tells the app (and through it the server's presence) the status main set. */
  announce: (availability: Availability) => void;
  /** The share ended and the status is back: held notifications may be released. */
  onEnded: () => void;
}

/**
 * Presenting mode: while the screen is shared, do-not-disturb is switched on by itself, and when the
 * share ends the status is put back exactly as it was before.
 *
 * The rule when the person changes the status during the share: their choice stands. Collaro only
 * undoes what it did itself, so a status picked during the share (Available or Do not disturb, even
 * the one already showing) is kept after the share rather than overwritten by the one from before.
 */
export class PresentingModeService {
  readonly #deps: PresentingModeDeps;
  /** The status from before the share, while presenting; null when not presenting. */
  #before: Availability | null = null;
  #chosenDuringShare = false;
  #applying = false;
  #unsubscribe: (() => void) | null = null;

  constructor(deps: PresentingModeDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#unsubscribe = this.#deps.state.subscribe((state, previous) => {
      if (state.call.sharing && !previous.call.sharing) this.#begin(previous.availability);
      else if (!state.call.sharing && previous.call.sharing) this.#end();
    });
    if (this.#deps.state.get().call.sharing) this.#begin(this.#deps.state.get().availability);
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  get presenting(): boolean {
    return this.#before !== null;
  }

  /** True while do-not-disturb is on only because of the share (not the person's own choice). */
  automaticDoNotDisturb(): boolean {
    return this.#before !== null && this.#before !== 'do-not-disturb' && !this.#chosenDuringShare;
  }

  /** The person picked a status (tray or app). Always theirs to pick, also while presenting. */
  choose(availability: Availability): void {
    if (this.#before !== null) this.#chosenDuringShare = true;
    this.#set(availability);
  }

  #begin(before: Availability): void {
    this.#before = before;
    this.#chosenDuringShare = false;
    this.#set('do-not-disturb');
  }

  #end(): void {
    const before = this.#before;
    const keepChoice = this.#chosenDuringShare;
    this.#before = null;
    this.#chosenDuringShare = false;
    if (before !== null && !keepChoice) this.#set(before);
    this.#deps.onEnded();
  }

  #set(availability: Availability): void {
    if (this.#applying) return;
    const changed = this.#deps.state.get().availability !== availability;
    this.#applying = true;
    try {
      if (changed) this.#deps.state.update({ availability });
    } finally {
      this.#applying = false;
    }
    if (changed) this.#deps.announce(availability);
  }
}
