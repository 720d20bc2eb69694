import { endpoints, memberState, type Call, type RealtimeClient } from '@collaro/shared';
import type { ApiClient } from '../../api/api-client.js';

/** Waits before asking again after a failed refresh: a device that missed the answer would miss a ringing call. */
const REFRESH_RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * The calls this person is part of, kept live from `call.updated` frames (every device of every
 * member gets each change) and refreshed over HTTP whenever the connection opens, so a device that
 * connects, or reconnects, while a call rings rings too.
 */
export class CallsStore {
  private calls = new Map<string, Call>();
  /**
   * Counts the changes learnt other than by refresh (frames, answers to this page's own requests),
   * and when each call last changed so. A refresh's answer speaks only for calls not changed since it
   * was asked: a call started while the request was in flight is missing from the answer, yet rings.
   */
  private changesLearnt = 0;
  private readonly lastChanged = new Map<string, number>();
  private refreshRetry: ReturnType<typeof setTimeout> | null = null;
  private refreshFailures = 0;
  private listeners = new Set<() => void>();
  private unsubscribers: (() => void)[];
  /** Calls this page started or answered: the only ones it shows a call screen or "Calling…" for. */
  private readonly mine = new Set<string>();
  version = 0;

  constructor(
    private readonly client: RealtimeClient,
    private readonly api: Pick<ApiClient, 'call'>,
    readonly selfId: string,
  ) {
    this.unsubscribers = [
      client.on('call.updated', (frame) => this.put(frame.call)),
      client.on('meeting.ended', (frame) => {
        for (const call of this.calls.values()) {
          if (call.meetingId === frame.meetingId && call.status !== 'ended') this.put({ ...call, status: 'ended' });
        }
      }),
      client.onStateChange((state) => {
        this.cancelRetry();
        if (state === 'open') {
          this.refreshFailures = 0;
          void this.refresh();
        }
      }),
    ];
    if (client.state === 'open') void this.refresh();
  }

  dispose(): void {
    this.cancelRetry();
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.listeners.clear();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  async refresh(): Promise<void> {
    const askedAfter = this.changesLearnt;
    const answeredFor = (callId: string) => (this.lastChanged.get(callId) ?? 0) <= askedAfter;
    let calls: Call[];
    try {
      ({ calls } = await this.api.call(endpoints.calls.active));
    } catch {
      // Frames keep arriving meanwhile; ask again while connected, more slowly each time.
      this.scheduleRetry();
      return;
    }
    this.refreshFailures = 0;
    const active = new Set(calls.map((call) => call.id));
    // A call that stopped while this device was away is over for it too.
    for (const call of this.calls.values()) {
      if (!active.has(call.id) && call.status !== 'ended' && answeredFor(call.id)) this.record({ ...call, status: 'ended' });
    }
    for (const call of calls) if (answeredFor(call.id)) this.record(call);
    this.changed();
  }

  private scheduleRetry(): void {
    if (this.client.state !== 'open' || this.refreshRetry) return;
    const delay = REFRESH_RETRY_MS[Math.min(this.refreshFailures, REFRESH_RETRY_MS.length - 1)];
    this.refreshFailures += 1;
    this.refreshRetry = setTimeout(() => {
      this.refreshRetry = null;
      void this.refresh();
    }, delay);
  }

  private cancelRetry(): void {
    if (this.refreshRetry) clearTimeout(this.refreshRetry);
    this.refreshRetry = null;
  }

  /** Records a call from a frame or an answer to this page's request; an older copy never replaces a settled one. */
  put(call: Call): void {
    this.changesLearnt += 1;
    this.lastChanged.set(call.id, this.changesLearnt);
    this.record(call);
    this.changed();
  }

  private record(call: Call): void {
    const known = this.calls.get(call.id);
    if (known?.status === 'ended' && call.status !== 'ended') return;
    this.calls.set(call.id, call);
  }

  get(callId: string): Call | undefined {
    return this.calls.get(callId);
  }

  markMine(callId: string): void {
    this.mine.add(callId);
    this.changed();
  }

  isMine(callId: string): boolean {
    return this.mine.has(callId);
  }

  /** Calls ringing this person now: what the incoming-call dialog and the desktop ringing show. */
  ringingForMe(now = Date.now()): Call[] {
    return [...this.calls.values()].filter(
      (call) => call.status !== 'ended' && memberState(call, this.selfId) === 'ringing' && new Date(call.ringsUntil).getTime() > now,
    );
  }

  /** The call on (or ringing) in a conversation, if any. */
  inChannel(channelId: string): Call | undefined {
    return [...this.calls.values()].find((call) => call.channelId === channelId && call.status !== 'ended');
  }

  private changed(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}
