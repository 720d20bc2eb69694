/**
 * Where to resume each channel from: the highest event sequence below which the client holds
 * every event, not the highest it has seen.
 *
 * Events of one channel can arrive out of order: with senders on two server instances, an instance
 * delivers its own clients' messages at once and the other instance's a moment later, through
 * Redis. Resuming from the highest sequence seen would skip the late one if the socket dropped in
 * that moment. So a sequence seen past a gap waits above the cursor until the gap fills.
 *
 * Some gaps never fill: a message edited while the client was away comes back under its new
 * sequence only, and two racing copies of one message use up a sequence. A gap is settled (the
 * cursor moves past it) once a resume sent after the gap appeared has been answered (its replay
 * holds every stored event past the cursor, since a channel's sequences are taken one transaction
 * at a time), or once it has been open for GAP_SETTLE_MS while events kept arriving on a live
 * socket, far longer than the delivery between instances takes.
 */
export const GAP_SETTLE_MS = 5_000;

interface ChannelCursor {
  /** Every event up to here is held. */
  contiguous: number;
  /** Sequences seen above a gap, and when each was seen. */
  ahead: Map<number, number>;
  /** The highest sequence seen when the last resume was sent; gaps below it settle once it is answered. */
  resumeBound?: number;
}

export class ResumeCursors {
  private readonly channels = new Map<string, ChannelCursor>();

  constructor(private readonly clock: () => number = () => Date.now()) {}

  /** Starts (or moves) a channel's cursor: everything up to `eventSeq` is held. */
  set(channelId: string, eventSeq: number) {
    const cursor = this.channels.get(channelId);
    if (!cursor) {
      this.channels.set(channelId, { contiguous: eventSeq, ahead: new Map() });
      return;
    }
    cursor.contiguous = eventSeq;
    for (const seq of cursor.ahead.keys()) if (seq <= eventSeq) cursor.ahead.delete(seq);
    this.absorb(cursor);
  }

  /** Records an event the client now holds. */
  seen(channelId: string, eventSeq: number) {
    const cursor = this.channels.get(channelId);
    if (!cursor) {
      // No history held for this channel: live events start it, as loading its history would.
      this.channels.set(channelId, { contiguous: eventSeq, ahead: new Map() });
      return;
    }
    if (eventSeq <= cursor.contiguous || cursor.ahead.has(eventSeq)) return;
    const now = this.clock();
    cursor.ahead.set(eventSeq, now);
    this.absorb(cursor);
    // Gaps that outlived GAP_SETTLE_MS on a live socket are not coming: move past them.
    while (cursor.ahead.size > 0) {
      const oldestSeenAt = Math.min(...cursor.ahead.values());
      if (now - oldestSeenAt < GAP_SETTLE_MS) break;
      cursor.contiguous = Math.min(...cursor.ahead.keys()) - 1;
      this.absorb(cursor);
    }
  }

  /** Called as resume frames go out: remembers how far the client had seen in each channel. */
  resumeSent(channelIds: Iterable<string>) {
    for (const channelId of channelIds) {
      const cursor = this.channels.get(channelId);
      if (cursor) cursor.resumeBound = this.highest(cursor);
    }
  }

  /** The server answered a resume for this channel with a full replay: gaps below what was seen then are permanent. */
  resumed(channelId: string) {
    const cursor = this.channels.get(channelId);
    if (!cursor || cursor.resumeBound === undefined) return;
    const bound = cursor.resumeBound;
    cursor.resumeBound = undefined;
    if (bound <= cursor.contiguous) return;
    cursor.contiguous = bound;
    for (const seq of cursor.ahead.keys()) if (seq <= bound) cursor.ahead.delete(seq);
    this.absorb(cursor);
  }

  get(channelId: string): number | undefined {
    return this.channels.get(channelId)?.contiguous;
  }

  get size(): number {
    return this.channels.size;
  }

  entries(): [string, number][] {
    return [...this.channels].map(([channelId, cursor]) => [channelId, cursor.contiguous]);
  }

  private highest(cursor: ChannelCursor): number {
    return Math.max(cursor.contiguous, ...cursor.ahead.keys());
  }

  /** Moves the cursor over sequences seen just past it. */
  private absorb(cursor: ChannelCursor) {
    while (cursor.ahead.has(cursor.contiguous + 1)) {
      cursor.contiguous += 1;
      cursor.ahead.delete(cursor.contiguous);
    }
  }
}
