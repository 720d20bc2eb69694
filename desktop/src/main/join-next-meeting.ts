import type { JoinNextAnswer, JoinNextRequest } from '@collaro/shared';
import type { GlobalShortcutLike } from './mute-shortcut.js';

export type ShortcutStatus = 'registered' | 'taken' | 'off';

export interface JoinNextMeetingDeps {
  globalShortcut: GlobalShortcutLike;
  /** The configured accelerator (null: turned off) and its changes. */
  shortcut: { get(): string | null; onChange(listener: () => void): () => void };
  /** Asks the app window; false when there is no window to ask. */
  request: (request: JoinNextRequest) => boolean;
  showApp: () => void;
  openMeeting: (meetingId: string) => void;
  notice: (title: string, body: string) => void;
  log: (message: string) => void;
  /** How long the app may take to answer before the window is shown instead. */
  answerTimeoutMs?: number;
}

/**
 * "Join next meeting" from anywhere: a global shortcut (always registered, configurable) and a tray
 * item. The server decides which meeting that is; the app window asks it, since it holds the
 * session, and main then opens the meeting or says there is none. Main shows the window only in
 * answer to the person's own press, and only for a meeting (or when there is nobody signed in to ask for).
 */
export class JoinNextMeetingService {
  readonly #deps: JoinNextMeetingDeps;
  #registered: string | null = null;
  #status: ShortcutStatus = 'off';
  #nextRequestId = 1;
  #pending: { requestId: number; timer: ReturnType<typeof setTimeout> } | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(deps: JoinNextMeetingDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#unsubscribe = this.#deps.shortcut.onChange(() => this.#apply());
    this.#apply();
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unregister();
    if (this.#pending) clearTimeout(this.#pending.timer);
    this.#pending = null;
  }

  status(): ShortcutStatus {
    return this.#status;
  }

  trigger(source: JoinNextRequest['source']): void {
    if (this.#pending) clearTimeout(this.#pending.timer);
    const requestId = this.#nextRequestId++;
    const timer = setTimeout(() => {
      if (this.#pending?.requestId !== requestId) return;
      this.#pending = null;
      this.#deps.log('the app did not answer "join next meeting": showing it instead');
      this.#deps.showApp();
    }, this.#deps.answerTimeoutMs ?? 10_000);
    this.#pending = { requestId, timer };
    if (!this.#deps.request({ requestId, source })) {
      clearTimeout(timer);
      this.#pending = null;
      this.#deps.showApp();
    }
  }

  answer(answer: JoinNextAnswer): void {
    // Only the answer to the latest press counts; a late one for an earlier press is dropped.
    if (this.#pending?.requestId !== answer.requestId) return;
    clearTimeout(this.#pending.timer);
    this.#pending = null;
    if (answer.found) {
      this.#deps.openMeeting(answer.meetingId);
      return;
    }
    switch (answer.reason) {
      case 'none':
        this.#deps.notice('No meeting to join', 'Nothing is on now or starting in the next ten minutes.');
        return;
      case 'signed-out':
        this.#deps.showApp();
        return;
      case 'failed':
        this.#deps.notice('Could not find your next meeting', answer.message);
        return;
    }
  }

  #apply(): void {
    const wanted = this.#deps.shortcut.get();
    if (wanted === this.#registered && this.#status !== 'taken') return;
    this.#unregister();
    if (!wanted) {
      this.#status = 'off';
      return;
    }
    // Another application may own the combination: the tray item still works, and settings say so.
    const ok = this.#deps.globalShortcut.register(wanted, () => this.trigger('shortcut'));
    this.#registered = ok ? wanted : null;
    this.#status = ok ? 'registered' : 'taken';
    if (!ok) this.#deps.log(`${wanted} is taken by another application`);
  }

  #unregister(): void {
    if (this.#registered) this.#deps.globalShortcut.unregister(this.#registered);
    this.#registered = null;
  }
}
