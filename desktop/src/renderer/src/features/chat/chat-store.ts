import {
  MessageRejectedError,
  type ChatMessage,
  type Notification,
  type PresenceStatus,
  type RealtimeClient,
  type ServerFrameOf,
} from '@collaro/shared';
import { unreadStore } from '../../app/unread.js';

/** A message the server has not acknowledged yet, shown at the end of its channel. */
export interface OutgoingMessage {
  clientId: string;
  channelId: string;
  body: string;
  replyToId?: string;
  state: 'sending' | 'failed';
  error?: string;
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

const EMPTY_VIEW: ChannelView = { messages: [], hasOlder: false, loaded: false, outgoing: [], typing: [] };
const TYPING_VISIBLE_MS = 5_000;

/**
 * What chat shows, kept live from the realtime client: messages per channel (merged from HTTP
 * history and live frames by id, newest revision wins), the outbox's sending/failed states,
 * presence, typing and unread counts.
 */
export class ChatStore {
  private views = new Map<string, ChannelView>();
  private presence = new Map<string, PresenceStatus>();
  private typingUntil = new Map<string, Map<string, number>>();
  private listeners = new Set<() => void>();
  private typingTimer: ReturnType<typeof setInterval> | null = null;
  private unsubscribers: (() => void)[] = [];
  /** Bumped on every change, so React can tell the store moved on. */
  version = 0;
  /** The channel on screen, whose new messages count as read. */
  activeChannelId: string | null = null;
  private lastReadSeq = new Map<string, number>();
  private highestSeq = new Map<string, number>();

  constructor(
    readonly client: RealtimeClient,
    private readonly selfId: string,
    private readonly hooks: {
      onNotify?: (notification: Notification) => void;
      onChannelAdded?: (channelId: string) => void;
      onRefetch?: (channelId: string) => void;
      markRead?: (channelId: string, seq: number) => void;
    } = {},
  ) {
    this.unsubscribers = [
      client.on('chat.message', (frame) => this.receive(frame.message)),
      client.on('presence.snapshot', (frame) => {
        this.presence = new Map(frame.users.map((user) => [user.userId, user.status]));
        this.changed();
      }),
      client.on('presence.update', (frame) => {
        this.presence.set(frame.userId, frame.status);
        this.changed();
      }),
      client.on('typing.update', (frame) => this.typingSeen(frame)),
      client.on('chat.read_marker', (frame) => {
        this.lastReadSeq.set(frame.channelId, frame.lastReadSeq);
        unreadStore.set(frame.channelId, frame.unread);
      }),
      client.on('notify', (frame) => this.hooks.onNotify?.(frame.notification)),
      client.on('channel.added', (frame) => this.hooks.onChannelAdded?.(frame.channelId)),
      client.on('chat.refetch', (frame) => {
        this.views.set(frame.channelId, { ...this.view(frame.channelId), loaded: false });
        this.hooks.onRefetch?.(frame.channelId);
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

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  view(channelId: string): ChannelView {
    return this.views.get(channelId) ?? EMPTY_VIEW;
  }

  presenceOf(userId: string): PresenceStatus {
    if (userId === this.selfId && this.client.state === 'open') return this.presence.get(userId) ?? 'online';
    return this.presence.get(userId) ?? 'offline';
  }

  presenceSnapshot = (): Map<string, PresenceStatus> => this.presence;

  /** Seeds unread counts and read positions from `GET /api/me/unread`. */
  setUnread(channels: { channelId: string; unread: number; lastReadSeq: number }[]): void {
    for (const channel of channels) this.lastReadSeq.set(channel.channelId, channel.lastReadSeq);
    unreadStore.replaceAll(channels.map((channel) => [channel.channelId, channel.unread] as [string, number]));
  }

  /** Merges a page of history (from HTTP) into the channel. */
  addHistory(channelId: string, messages: ChatMessage[], hasOlder: boolean, replace: boolean): void {
    const current = this.view(channelId);
    const byId = new Map((replace ? [] : current.messages).map((m) => [m.id, m]));
    for (const message of messages) this.mergeInto(byId, message);
    const sorted = [...byId.values()].sort((a, b) => a.seq - b.seq);
    const older = replace || messages.length === 0 || (sorted[0] && messages.some((m) => m.id === sorted[0]!.id)) ? hasOlder : current.hasOlder;
    this.views.set(channelId, { ...current, messages: sorted, hasOlder: older, loaded: true });
    for (const message of messages) this.noteSeq(message);
    const maxEventSeq = Math.max(0, ...sorted.map((m) => m.eventSeq));
    const cursor = this.client.cursorsSnapshot()[channelId] ?? 0;
    if (maxEventSeq > cursor) this.client.setCursor(channelId, maxEventSeq);
    this.changed();
  }

  /** Applies a message returned by an HTTP edit, delete or reaction call. */
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
    this.track({ ...failed, state: 'sending', error: undefined }, acked);
  }

  discard(channelId: string, clientId: string): void {
    this.removeOutgoing(channelId, clientId);
  }

  /** Marks everything up to the newest message of the open channel as read. */
  markActiveRead(): void {
    const channelId = this.activeChannelId;
    if (!channelId) return;
    const newest = this.highestSeq.get(channelId) ?? 0;
    if (newest > (this.lastReadSeq.get(channelId) ?? 0) || unreadStore.get(channelId) > 0) {
      this.lastReadSeq.set(channelId, newest);
      unreadStore.set(channelId, 0);
      this.hooks.markRead?.(channelId, newest);
    }
  }

  private track(outgoing: OutgoingMessage, acked: Promise<unknown>): void {
    const view = this.view(outgoing.channelId);
    this.views.set(outgoing.channelId, { ...view, outgoing: [...view.outgoing.filter((o) => o.clientId !== outgoing.clientId), outgoing] });
    this.changed();
    acked.then(
      () => this.removeOutgoing(outgoing.channelId, outgoing.clientId),
      (error: unknown) => {
        const current = this.view(outgoing.channelId);
        const message = error instanceof MessageRejectedError ? error.message : 'The message could not be sent';
        this.views.set(outgoing.channelId, {
          ...current,
          outgoing: current.outgoing.map((o) => (o.clientId === outgoing.clientId ? { ...o, state: 'failed', error: message } : o)),
        });
        this.changed();
      },
    );
  }

  private removeOutgoing(channelId: string, clientId: string): void {
    const view = this.view(channelId);
    if (!view.outgoing.some((o) => o.clientId === clientId)) return;
    this.views.set(channelId, { ...view, outgoing: view.outgoing.filter((o) => o.clientId !== clientId) });
    this.changed();
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
    }
    this.typingUntil.get(message.channelId)?.delete(message.authorId);
    if (isNew && message.authorId !== this.selfId && !message.deletedAt) {
      const visible = this.activeChannelId === message.channelId && (typeof document === 'undefined' || document.visibilityState === 'visible');
      if (visible) this.markActiveRead();
      else if (message.seq > (this.lastReadSeq.get(message.channelId) ?? 0)) unreadStore.set(message.channelId, unreadStore.get(message.channelId) + 1);
    }
    this.changed();
  }

  private typingSeen(frame: ServerFrameOf<'typing.update'>): void {
    if (frame.userId === this.selfId) return;
    let users = this.typingUntil.get(frame.channelId);
    if (!users) this.typingUntil.set(frame.channelId, (users = new Map()));
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
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}
