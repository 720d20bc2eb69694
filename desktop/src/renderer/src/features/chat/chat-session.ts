import {
  MessageRejectedError,
  type ChatMessage,
  type Notification,
  type PresenceStatus,
  type RealtimeClient,
  type RealtimeConnectionState,
  type ServerFrameOf,
} from '@collaro/shared';

/** A message the server has not acknowledged yet, shown at the end of its channel. */
export interface OutgoingMessage {
  clientId: string;
  channelId: string;
  body: string;
  replyToId?: string;
  state: 'sending' | 'failed';
  error?: string;
  /** False once the server refused the message for good: it can only be discarded (or rewritten). */
  retryable?: boolean;
  /** The server's reason code when it refused the message (`not_found` once access is lost). */
  errorCode?: string;
}

export interface ChannelView {
  /** Oldest first. */
  messages: ChatMessage[];
  hasOlder: boolean;
  loaded: boolean;
  outgoing: OutgoingMessage[];
  /** Users typing now, other than the viewer. */
  typing: string[];
}

/** What the session tells the app around it; the realtime provider wires these to queries, the socket and the desktop. */
export interface ChatSessionHooks {
  onNotify?: (notification: Notification) => void;
  onChannelAdded?: (channelId: string) => void;
  /** The viewer read the channel up to `seq`: tell the server. */
  markRead?: (channelId: string, seq: number) => void;
  /** The total of unread messages changed (the desktop tray shows it). */
  onUnreadTotal?: (total: number) => void;
}

const EMPTY_VIEW: ChannelView = { messages: [], hasOlder: false, loaded: false, outgoing: [], typing: [] };
const TYPING_VISIBLE_MS = 5_000;

/**
 * The signed-in user's chat, kept live from the realtime client; the realtime provider
 * (app/realtime.tsx) creates one per sign-in, and components read it through the hooks in
 * chat-session-hooks.ts.
 *
 * Read (each a slice that keeps its identity until it changes, so a component re-renders only when
 * its own slice moves): `view(channelId)` (messages merged from HTTP history and live frames by id,
 * newest revision winning; the outbox's sending and failed messages; who is typing),
 * `presenceOf(userId)` (or `presenceLookup()` for a list), `unreadOf(channelId)`, `unreadTotal()`, `connection()`.
 *
 * Change: `send`, `retry`, `discard`, `sendTyping`, `addHistory`, `applyRevision`, `setUnread`,
 * `markActiveRead`, and `activeChannelId` (the channel on screen, whose new messages count as read).
 */
export class ChatSession {
  private views = new Map<string, ChannelView>();
  /** Replaced, never changed in place, so a new map means someone's presence moved. */
  private presence: ReadonlyMap<string, PresenceStatus> = new Map();
  private presenceLookupSnapshot: ((userId: string) => PresenceStatus) | null = null;
  private typingUntil = new Map<string, Map<string, number>>();
  private unread = new Map<string, number>();
  private unreadSum = 0;
  private listeners = new Set<() => void>();
  private typingTimer: ReturnType<typeof setInterval> | null = null;
  private unsubscribers: (() => void)[] = [];
  /** The channel on screen, whose new messages count as read. */
  activeChannelId: string | null = null;
  private lastReadSeq = new Map<string, number>();
  private highestSeq = new Map<string, number>();
  /**
   * Messages that arrived live for the channel on screen while its first history page was on its
   * way: the page may have been read before they were stored, so they are kept until it comes.
   */
  private arrivedWhileLoading = new Map<string, Map<string, ChatMessage>>();

  constructor(
    readonly client: RealtimeClient,
    private readonly selfId: string,
    private readonly hooks: ChatSessionHooks = {},
  ) {
    this.unsubscribers = [
      client.on('chat.message', (frame) => this.receive(frame.message)),
      client.on('presence.snapshot', (frame) => this.setPresence(new Map(frame.users.map((user) => [user.userId, user.status])))),
      client.on('presence.update', (frame) => this.setPresence(new Map(this.presence).set(frame.userId, frame.status))),
      client.on('typing.update', (frame) => this.typingSeen(frame)),
      client.on('chat.read_marker', (frame) => {
        this.lastReadSeq.set(frame.channelId, frame.lastReadSeq);
        this.setUnreadOf(frame.channelId, frame.unread);
      }),
      client.on('notify', (frame) => this.hooks.onNotify?.(frame.notification)),
      client.on('channel.added', (frame) => this.hooks.onChannelAdded?.(frame.channelId)),
      client.on('chat.refetch', (frame) => {
        // The server could not replay what the channel missed: the open pane sees it unloaded and reads its history again.
        this.views.set(frame.channelId, { ...this.view(frame.channelId), loaded: false });
        this.changed();
      }),
      client.onStateChange(() => {
        // The viewer's own presence follows the connection.
        this.presenceLookupSnapshot = null;
        this.changed();
      }),
    ];
    for (const entry of client.pendingMessages()) this.track({ ...entry, state: 'sending' }, client.sendMessage(entry).acked);
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    if (this.typingTimer) clearInterval(this.typingTimer);
    this.listeners.clear();
  }

  /** Calls `listener` after every change; read the slices you need again then. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  view(channelId: string): ChannelView {
    return this.views.get(channelId) ?? EMPTY_VIEW;
  }

  connection(): RealtimeConnectionState {
    return this.client.state;
  }

  /** Whether the server refused a message because its channel no longer exists for this user. */
  hasRefusedAsMissing(): boolean {
    for (const view of this.views.values()) if (view.outgoing.some((o) => o.state === 'failed' && o.errorCode === 'not_found')) return true;
    return false;
  }

  presenceOf(userId: string): PresenceStatus {
    if (userId === this.selfId && this.client.state === 'open') return this.presence.get(userId) ?? 'online';
    return this.presence.get(userId) ?? 'offline';
  }

  /** `presenceOf` as a function that is replaced whenever any presence changes, for lists of people. */
  presenceLookup(): (userId: string) => PresenceStatus {
    return (this.presenceLookupSnapshot ??= (userId) => this.presenceOf(userId));
  }

  unreadOf(channelId: string): number {
    return this.unread.get(channelId) ?? 0;
  }

  unreadTotal(): number {
    return this.unreadSum;
  }

  /** Seeds unread counts and read positions from `GET /api/me/unread`. */
  setUnread(channels: { channelId: string; unread: number; lastReadSeq: number }[]): void {
    for (const channel of channels) this.lastReadSeq.set(channel.channelId, channel.lastReadSeq);
    this.unread = new Map(channels.filter((channel) => channel.unread > 0).map((channel) => [channel.channelId, channel.unread]));
    this.unreadChanged(true);
  }

  /**
   * Merges a page of history (from HTTP) into the channel. `replace`: the page is the channel's
   * latest and takes the place of what was shown, except what came live after the server read the
   * page (messages newer than it, newer revisions of its messages), which would otherwise be lost
   * from the screen.
   */
  addHistory(channelId: string, messages: ChatMessage[], hasOlder: boolean, replace: boolean): void {
    const current = this.view(channelId);
    const byId = new Map((replace ? [] : current.messages).map((m) => [m.id, m]));
    for (const message of messages) this.mergeInto(byId, message);
    if (replace) {
      const pageNewest = Math.max(0, ...messages.map((m) => m.seq));
      for (const message of [...current.messages, ...(this.arrivedWhileLoading.get(channelId)?.values() ?? [])]) {
        if (message.seq > pageNewest || byId.has(message.id)) this.mergeInto(byId, message);
      }
    }
    this.arrivedWhileLoading.delete(channelId);
    const sorted = [...byId.values()].sort((a, b) => a.seq - b.seq);
    const older = replace || messages.length === 0 || (sorted[0] && messages.some((m) => m.id === sorted[0]!.id)) ? hasOlder : current.hasOlder;
    this.views.set(channelId, { ...current, messages: sorted, hasOlder: older, loaded: true });
    for (const message of messages) this.noteSeq(message);
    const maxEventSeq = Math.max(0, ...sorted.map((m) => m.eventSeq));
    const cursor = this.client.cursorsSnapshot()[channelId] ?? 0;
    if (maxEventSeq > cursor) this.client.setCursor(channelId, maxEventSeq);
    this.changed();
  }

  /** Applies a message returned by an edit, delete or reaction command. */
  applyRevision(message: ChatMessage): void {
    this.receive(message);
  }

  send(channelId: string, body: string, replyToId?: string): void {
    const { clientId, acked } = this.client.sendMessage({ channelId, body, ...(replyToId ? { replyToId } : {}) });
    this.track({ clientId, channelId, body, ...(replyToId ? { replyToId } : {}), state: 'sending' }, acked);
  }

  retry(channelId: string, clientId: string): void {
    const failed = this.view(channelId).outgoing.find((o) => o.clientId === clientId);
    if (!failed) return;
    this.removeOutgoing(channelId, clientId);
    // Same client id: if the first attempt was stored after all, the server answers with a duplicate ack.
    const { acked } = this.client.sendMessage({ clientId, channelId, body: failed.body, ...(failed.replyToId ? { replyToId: failed.replyToId } : {}) });
    this.track({ ...failed, state: 'sending', error: undefined, retryable: undefined }, acked);
  }

  discard(channelId: string, clientId: string): void {
    this.removeOutgoing(channelId, clientId);
  }

  /** Tells the others in the channel the viewer is typing (dropped while disconnected: it is news only now). */
  sendTyping(channelId: string): void {
    this.client.send({ type: 'typing', channelId });
  }

  /** Marks everything up to the newest message of the open channel as read. */
  markActiveRead(): void {
    const channelId = this.activeChannelId;
    if (!channelId) return;
    const newest = this.highestSeq.get(channelId) ?? 0;
    if (newest > (this.lastReadSeq.get(channelId) ?? 0) || this.unreadOf(channelId) > 0) {
      this.lastReadSeq.set(channelId, newest);
      this.setUnreadOf(channelId, 0);
      this.hooks.markRead?.(channelId, newest);
    }
  }

  private track(outgoing: OutgoingMessage, acked: Promise<unknown>): void {
    const view = this.view(outgoing.channelId);
    this.views.set(outgoing.channelId, { ...view, outgoing: [...view.outgoing.filter((o) => o.clientId !== outgoing.clientId), outgoing] });
    this.changed();
    acked.then(
      () => {
        // Its chat.message may have taken it off the screen already; the outbox changed all the
        // same, and listeners save the outbox on every change.
        if (!this.removeOutgoing(outgoing.channelId, outgoing.clientId)) this.changed();
      },
      (error: unknown) => {
        const current = this.view(outgoing.channelId);
        const message = error instanceof MessageRejectedError ? error.message : 'The message could not be sent';
        const retryable = !(error instanceof MessageRejectedError) || error.retryable;
        const errorCode = error instanceof MessageRejectedError ? error.code : undefined;
        this.views.set(outgoing.channelId, {
          ...current,
          outgoing: current.outgoing.map((o) => (o.clientId === outgoing.clientId ? { ...o, state: 'failed', error: message, retryable, errorCode } : o)),
        });
        this.changed();
      },
    );
  }

  /** False when the message was not shown as outgoing (any more). */
  private removeOutgoing(channelId: string, clientId: string): boolean {
    const view = this.view(channelId);
    if (!view.outgoing.some((o) => o.clientId === clientId)) return false;
    this.views.set(channelId, { ...view, outgoing: view.outgoing.filter((o) => o.clientId !== clientId) });
    this.changed();
    return true;
  }

  private mergeInto(byId: Map<string, ChatMessage>, message: ChatMessage): void {
    const known = byId.get(message.id);
    if (!known || known.eventSeq <= message.eventSeq) byId.set(message.id, message);
  }

  private noteSeq(message: ChatMessage): boolean {
    const highest = this.highestSeq.get(message.channelId) ?? 0;
    if (message.seq <= highest) return false;
    this.highestSeq.set(message.channelId, message.seq);
    return true;
  }

  private receive(message: ChatMessage): void {
    const view = this.view(message.channelId);
    const isNew = this.noteSeq(message) && !view.messages.some((m) => m.id === message.id);
    if (view.loaded || view.messages.length > 0) {
      const byId = new Map(view.messages.map((m) => [m.id, m]));
      this.mergeInto(byId, message);
      this.views.set(message.channelId, {
        ...view,
        messages: [...byId.values()].sort((a, b) => a.seq - b.seq),
        outgoing: view.outgoing.filter((o) => o.clientId !== message.clientId),
        typing: view.typing.filter((userId) => userId !== message.authorId),
      });
    } else if (this.activeChannelId === message.channelId) {
      // On screen, its history still loading: shown once the page comes (see addHistory).
      const waiting = this.arrivedWhileLoading.get(message.channelId) ?? new Map<string, ChatMessage>();
      this.mergeInto(waiting, message);
      this.arrivedWhileLoading.set(message.channelId, waiting);
      this.views.set(message.channelId, { ...view, outgoing: view.outgoing.filter((o) => o.clientId !== message.clientId) });
    }
    this.typingUntil.get(message.channelId)?.delete(message.authorId);
    if (isNew && message.authorId !== this.selfId && !message.deletedAt) {
      const visible = this.activeChannelId === message.channelId && (typeof document === 'undefined' || document.visibilityState === 'visible');
      if (visible) this.markActiveRead();
      else if (message.seq > (this.lastReadSeq.get(message.channelId) ?? 0)) this.setUnreadOf(message.channelId, this.unreadOf(message.channelId) + 1);
    }
    this.changed();
  }

  private setPresence(presence: ReadonlyMap<string, PresenceStatus>): void {
    this.presence = presence;
    this.presenceLookupSnapshot = null;
    this.changed();
  }

  private setUnreadOf(channelId: string, unread: number): void {
    if (this.unreadOf(channelId) === unread) return;
    if (unread === 0) this.unread.delete(channelId);
    else this.unread.set(channelId, unread);
    this.unreadChanged(false);
  }

  /** `report`: tell the hook the total even if it did not move (a fresh seed replaces whatever it showed before). */
  private unreadChanged(report: boolean): void {
    let total = 0;
    for (const unread of this.unread.values()) total += unread;
    if (report || total !== this.unreadSum) this.hooks.onUnreadTotal?.(total);
    this.unreadSum = total;
    this.changed();
  }

  private typingSeen(frame: ServerFrameOf<'typing.update'>): void {
    if (frame.userId === this.selfId) return;
    let users = this.typingUntil.get(frame.channelId);
    if (!users) this.typingUntil.set(frame.channelId, (users = new Map<string, number>()));
    users.set(frame.userId, Date.now() + TYPING_VISIBLE_MS);
    this.refreshTyping();
    this.typingTimer ??= setInterval(() => this.refreshTyping(), 1_000);
  }

  private refreshTyping(): void {
    const now = Date.now();
    let anyone = false;
    for (const [channelId, users] of this.typingUntil) {
      for (const [userId, until] of users) if (until <= now) users.delete(userId);
      const typing = [...users.keys()];
      anyone ||= typing.length > 0;
      const view = this.view(channelId);
      if (view.typing.join() !== typing.join()) this.views.set(channelId, { ...view, typing });
    }
    if (!anyone && this.typingTimer) {
      clearInterval(this.typingTimer);
      this.typingTimer = null;
    }
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
