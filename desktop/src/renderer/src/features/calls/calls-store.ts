import { ActiveCallListSchema, memberState, type Call, type RealtimeClient } from '@collaro/shared';
import type { ApiClient } from '../../api/api-client.js';

/**
 * The calls this person is part of, kept live from `call.updated` frames (every device of every
 * member gets each change) and refreshed over HTTP whenever the connection opens, so a device that
 * connects, or reconnects, while a call rings rings too.
 */
export class CallsStore {
  private calls = new Map<string, Call>();
  private listeners = new Set<() => void>();
  private unsubscribers: (() => void)[];
  /** Calls this page started or answered: the only ones it shows a call screen or "Calling…" for. */
  private readonly mine = new Set<string>();
  version = 0;

  constructor(
    private readonly client: RealtimeClient,
    private readonly api: ApiClient,
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
        if (state === 'open') void this.refresh();
      }),
    ];
    if (client.state === 'open') void this.refresh();
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.listeners.clear();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  async refresh(): Promise<void> {
    try {
      const { calls } = await this.api.get('/api/calls/active', ActiveCallListSchema);
      const active = new Set(calls.map((call) => call.id));
      // A call that stopped while this device was away is over for it too.
      for (const call of this.calls.values()) if (!active.has(call.id) && call.status !== 'ended') this.put({ ...call, status: 'ended' }, false);
      for (const call of calls) this.put(call, false);
      this.changed();
    } catch {
      // The next reconnect tries again; frames keep arriving meanwhile.
    }
  }

  /** Records a call from a frame or an HTTP answer; an older copy never replaces a settled one. */
  put(call: Call, notify = true): void {
    const known = this.calls.get(call.id);
    if (known?.status === 'ended' && call.status !== 'ended') return;
    this.calls.set(call.id, call);
    if (notify) this.changed();
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
