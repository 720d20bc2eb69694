import type { CallAnswer, IncomingCall, NotificationResult } from '@collaro/shared';
import type { DesktopStateStore } from './desktop-state.js';
import type { NotificationService, PresentedNotification } from './notifications.js';

/** How often a ringing call is shown (and sounds) again while nobody answers. */
export const RING_REPEAT_MS = 5_000;

export interface CallRingingDeps {
  notifications: Pick<NotificationService, 'quietReason' | 'present'>;
  state: DesktopStateStore;
  /** Accept and a click bring the app forward; every answer goes to the renderer, which tells the server. */
  onAnswer: (answer: CallAnswer) => void;
  now?: () => number;
}

interface Ringing {
  call: IncomingCall;
  shown: PresentedNotification | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export function describeIncomingCall(call: IncomingCall): { title: string; body: string } {
  if (call.otherNames.length === 0) return { title: `${call.callerName} is calling you`, body: 'Direct call' };
  const others = call.otherNames.length === 1 ? call.otherNames[0] : `${call.otherNames.length} others`;
  return { title: `${call.callerName} is calling you`, body: `Group call with you and ${others}` };
}

/**
 * Rings incoming calls as system notifications with Accept and Decline, shown again every
 * RING_REPEAT_MS. Main only displays: the renderer starts and stops the ringing (the server decides
 * when a call stops ringing), and main itself stops at the call's `ringsUntil`, when an answer is
 * pressed, or when do-not-disturb or a screen share begins.
 */
export class CallRingingService {
  readonly #deps: CallRingingDeps;
  readonly #ringing = new Map<string, Ringing>();
  #unsubscribe: (() => void) | null = null;

  constructor(deps: CallRingingDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#unsubscribe = this.#deps.state.subscribe(() => {
      if (this.#deps.notifications.quietReason()) this.stopAll();
    });
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.stopAll();
  }

  ring(call: IncomingCall): NotificationResult {
    this.stop(call.callId);
    const quiet = this.#deps.notifications.quietReason();
    if (quiet) return { shown: false, reason: quiet };
    if (this.#remainingMs(call) <= 0) return { shown: false, reason: 'expired' };
    const entry: Ringing = { call, shown: null, timer: null };
    this.#ringing.set(call.callId, entry);
    this.#showAgain(entry);
    return { shown: true };
  }

  stop(callId: string): void {
    const entry = this.#ringing.get(callId);
    if (!entry) return;
    this.#ringing.delete(callId);
    if (entry.timer) clearTimeout(entry.timer);
    entry.shown?.close();
  }

  stopAll(): void {
    for (const callId of [...this.#ringing.keys()]) this.stop(callId);
  }

  ringingCallIds(): string[] {
    return [...this.#ringing.keys()];
  }

  #remainingMs(call: IncomingCall): number {
    return new Date(call.ringsUntil).getTime() - (this.#deps.now?.() ?? Date.now());
  }

  #showAgain(entry: Ringing): void {
    const { call } = entry;
    const remaining = this.#remainingMs(call);
    if (remaining <= 0 || this.#ringing.get(call.callId) !== entry) {
      this.stop(call.callId);
      return;
    }
    entry.shown?.close();
    const answer = (action: CallAnswer['action']) => {
      this.stop(call.callId);
      this.#deps.onAnswer({ callId: call.callId, action });
    };
    entry.shown = this.#deps.notifications.present(
      {
        ...describeIncomingCall(call),
        silent: false,
        actions: [
          { type: 'button', text: 'Accept' },
          { type: 'button', text: 'Decline' },
        ],
        timeoutType: 'never',
        urgency: 'critical',
      },
      { click: () => answer('open'), action: (index) => answer(index === 1 ? 'decline' : 'accept') },
    );
    entry.timer = setTimeout(() => this.#showAgain(entry), Math.min(RING_REPEAT_MS, remaining));
  }
}
