import { IDLE_CALL_STATE, type Availability, type CallState, type TrayMeeting } from '@collaro/shared';

/**
 * Where an update stands. `ready` waits for the person: the tray offers "Restart to update", and a
 * restart asked for during a call waits for the call to end.
 */
export type UpdateStatus = { state: 'none' } | { state: 'ready'; version: string; restartAfterCall: boolean };

/** What several main-process services react to: the renderer reports it, the tray menu changes it. */
export interface DesktopState {
  meetings: readonly TrayMeeting[];
  availability: Availability;
  call: CallState;
  unread: number;
  update: UpdateStatus;
}

export class DesktopStateStore {
  #state: DesktopState = { meetings: [], availability: 'available', call: IDLE_CALL_STATE, unread: 0, update: { state: 'none' } };
  readonly #listeners = new Set<(state: DesktopState, previous: DesktopState) => void>();

  get(): DesktopState {
    return this.#state;
  }

  update(change: Partial<DesktopState>): void {
    const previous = this.#state;
    this.#state = { ...previous, ...change };
    for (const listener of this.#listeners) listener(this.#state, previous);
  }

  subscribe(listener: (state: DesktopState, previous: DesktopState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
