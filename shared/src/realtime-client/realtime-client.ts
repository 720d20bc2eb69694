import {
  RESUME_MAX_CHANNELS,
  WS_REAUTH_CLOSE_CODES,
  parseServerFrame,
  type ClientFrame,
  type ServerFrame,
  type ServerFrameOf,
  type ServerFrameType,
} from '../ws/frames.js';
import type { ChatMessage } from '../api/chat.js';
import type { WebSocketLike } from './browser-socket.js';
import { ChatCommandError, PendingCommands, type ChatCommand } from './chat-commands.js';
import { MessageRejectedError, retryDelayAfter, type RetryCounts } from './message-retries.js';
import { ResumeCursors } from './resume-cursors.js';

/**
 * The one realtime client, for the renderer and for Node alike: it only needs a WebSocket
 * constructor. It authenticates with a first `auth` frame, re-authenticates on the open socket
 * before the token expires, reconnects with backoff, keeps an outbox of chat messages until the
 * server acknowledges them (resending after every reconnect; client ids make that safe), and
 * resumes each channel from the last event sequence below which it holds every event (see
 * resume-cursors.ts: events can arrive out of order).
 */

const OPEN = 1;

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of each delay randomly taken off, so many clients do not reconnect in lockstep. */
  jitter: number;
}

export interface OutboxEntry {
  clientId: string;
  channelId: string;
  body: string;
  replyToId?: string;
}

export type RealtimeConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface RealtimeClientOptions {
  url: string;
  /** Returns a currently valid access token; called on every connect and before expiry. */
  getToken: () => Promise<string>;
  createSocket: (url: string) => WebSocketLike;
  backoff?: Partial<BackoffOptions>;
  /** Re-authenticate this long before the token expires. */
  reauthLeadMs?: number;
  /** Channels to resume, with the last event sequence already held (from local storage, say). */
  cursors?: Record<string, number>;
  /** Unacknowledged messages from a previous run, resent on first connect. */
  outbox?: OutboxEntry[];
  newClientId?: () => string;
  random?: () => number;
}

export type ChatAck = ServerFrameOf<'chat.ack'>;

interface PendingMessage {
  entry: OutboxEntry;
  resolve: (ack: ChatAck) => void;
  reject: (error: Error) => void;
  acked: Promise<ChatAck>;
  retryTimer?: ReturnType<typeof setTimeout>;
  retries: RetryCounts;
}

type Listener<T extends ServerFrameType> = (frame: ServerFrameOf<T>) => void;

/** How long a sent chat message may go unanswered before it is sent again. */
const RESPONSE_TIMEOUT_MS = 10_000;
/** If `getToken` keeps returning a token as old as the last one, ask again at most this often. */
const MIN_REAUTH_INTERVAL_MS = 5_000;

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 15_000, factor: 2, jitter: 0.3 };

export class RealtimeClient {
  private socket: WebSocketLike | null = null;
  private stateValue: RealtimeConnectionState = 'idle';
  private readonly backoff: BackoffOptions;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reauthTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly cursors = new ResumeCursors();
  private readonly outbox = new Map<string, PendingMessage>();
  private readonly commands = new PendingCommands();
  private readonly listeners = new Map<string, Set<(frame: ServerFrame) => void>>();
  private readonly stateListeners = new Set<(state: RealtimeConnectionState, detail?: { code: number; reason: string }) => void>();
  private stopped = false;
  private userIdValue: string | null = null;
  /**
   * The one outbox message sent and not yet answered. Sending one at a time keeps a client's
   * messages in the order it wrote them, even when a retry (rate limit, reconnect) intervenes.
   */
  private inFlight: { clientId: string; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(private readonly options: RealtimeClientOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    for (const [channelId, seq] of Object.entries(options.cursors ?? {})) this.cursors.set(channelId, seq);
    for (const entry of options.outbox ?? []) this.enqueue(entry);
  }

  get state(): RealtimeConnectionState {
    return this.stateValue;
  }

  /** The signed-in user, once the server has accepted the token. */
  get userId(): string | null {
    return this.userIdValue;
  }

  connect(): void {
    this.stopped = false;
    if (this.socket || this.reconnectTimer) return;
    this.open();
  }

  /** Closes for good: no reconnect. Unacknowledged messages stay in `pendingMessages()`. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.reauthTimer);
    this.reconnectTimer = undefined;
    for (const pending of this.outbox.values()) clearTimeout(pending.retryTimer);
    this.clearInFlight();
    this.commands.abandonAll();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000, 'client closed');
    }
    this.setState('closed');
  }

  on<T extends ServerFrameType>(type: T, listener: Listener<T>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    const wrapped = listener as (frame: ServerFrame) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  onStateChange(listener: (state: RealtimeConnectionState, detail?: { code: number; reason: string }) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Sends a frame now if connected; returns false when it could not be sent (typing, presence: fine to drop). */
  send(frame: Exclude<ClientFrame, { type: 'auth' | 'chat.send' | ChatCommand['type'] }>): boolean {
    if (this.stateValue !== 'open' || !this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /**
   * Queues a chat message in the outbox and sends it when connected. `acked` resolves with the
   * server's acknowledgement, however many reconnects that takes, or rejects if the server refuses it.
   */
  sendMessage(message: Omit<OutboxEntry, 'clientId'> & { clientId?: string }): { clientId: string; acked: Promise<ChatAck> } {
    const entry: OutboxEntry = { ...message, clientId: message.clientId ?? this.newClientId() };
    const pending = this.enqueue(entry);
    this.transmitNext();
    return { clientId: entry.clientId, acked: pending.acked };
  }

  /** Edits, deletes or reacts now; resolves with the message as it now is, rejects (ChatCommandError) if refused, offline or unanswered. */
  command(command: ChatCommand): Promise<ChatMessage> {
    if (this.stateValue !== 'open' || !this.socket || this.socket.readyState !== OPEN) {
      return Promise.reject(new ChatCommandError('offline', 'Not connected to Collaro: try again once reconnected.'));
    }
    const clientId = this.newClientId();
    const answered = this.commands.await(clientId);
    this.socket.send(JSON.stringify({ ...command, clientId }));
    return answered;
  }

  /** Messages not yet acknowledged, oldest first: persist them to survive an app restart. */
  pendingMessages(): OutboxEntry[] {
    return [...this.outbox.values()].map((pending) => pending.entry);
  }

  /** Per channel, the event sequence up to which the client holds every event: where to resume from. */
  cursorsSnapshot(): Record<string, number> {
    return Object.fromEntries(this.cursors.entries());
  }

  /** Starts (or moves) a channel's resume cursor, e.g. after loading its history over HTTP. */
  setCursor(channelId: string, eventSeq: number) {
    this.cursors.set(channelId, eventSeq);
  }

  private newClientId(): string {
    return this.options.newClientId ? this.options.newClientId() : crypto.randomUUID();
  }

  private enqueue(entry: OutboxEntry): PendingMessage {
    const existing = this.outbox.get(entry.clientId);
    if (existing) return existing;
    let resolve!: (ack: ChatAck) => void;
    let reject!: (error: Error) => void;
    const acked = new Promise<ChatAck>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Callers that do not await `acked` must not see unhandled rejections.
    acked.catch(() => {});
    const pending: PendingMessage = { entry, resolve, reject, acked, retries: {} };
    this.outbox.set(entry.clientId, pending);
    return pending;
  }

  /** Sends the oldest unanswered outbox message, if the connection is up and nothing else is in flight. */
  private transmitNext() {
    if (this.inFlight || this.stateValue !== 'open' || !this.socket || this.socket.readyState !== OPEN) return;
    const next = this.outbox.values().next();
    if (next.done) return;
    const pending = next.value;
    if (pending.retryTimer) return;
    const { clientId, channelId, body, replyToId } = pending.entry;
    // Every chat.send is answered by an ack or an error; if neither comes, resending is safe (same client id).
    this.inFlight = { clientId, timer: setTimeout(() => this.releaseInFlight(clientId), RESPONSE_TIMEOUT_MS) };
    this.socket.send(JSON.stringify({ type: 'chat.send', clientId, channelId, body, ...(replyToId ? { replyToId } : {}) }));
  }

  private clearInFlight() {
    if (this.inFlight) clearTimeout(this.inFlight.timer);
    this.inFlight = null;
  }

  private releaseInFlight(clientId: string) {
    if (this.inFlight?.clientId !== clientId) return;
    this.clearInFlight();
    this.transmitNext();
  }

  private setState(state: RealtimeConnectionState, detail?: { code: number; reason: string }) {
    this.stateValue = state;
    for (const listener of this.stateListeners) listener(state, detail);
  }

  private open() {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let socket: WebSocketLike;
    try {
      socket = this.options.createSocket(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.options
        .getToken()
        .then((token) => {
          if (this.socket === socket && socket.readyState === OPEN) socket.send(JSON.stringify({ type: 'auth', token }));
        })
        .catch(() => socket.close(4000, 'no token available'));
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      const parsed = parseServerFrame(event.data);
      if (parsed.ok) this.handle(parsed.frame);
    };
    socket.onerror = () => {};
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearTimeout(this.reauthTimer);
      this.clearInFlight();
      this.commands.abandonAll();
      if (this.stopped) return;
      this.setState('reconnecting', { code: event.code, reason: event.reason });
      this.scheduleReconnect(WS_REAUTH_CLOSE_CODES.includes(event.code));
    };
  }

  private scheduleReconnect(immediateIsPointless = false) {
    if (this.stopped) return;
    const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * this.backoff.factor ** this.attempt);
    const random = this.options.random ?? Math.random;
    const delay = Math.max(immediateIsPointless ? this.backoff.initialMs : 0, base * (1 - this.backoff.jitter * random()));
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.open();
    }, delay);
  }

  private handle(frame: ServerFrame) {
    switch (frame.type) {
      case 'ready':
        this.onReady(frame);
        break;
      case 'chat.message':
        this.cursors.seen(frame.message.channelId, frame.message.eventSeq);
        break;
      case 'chat.applied':
        this.commands.applied(frame);
        break;
      case 'chat.ack': {
        // The sender's own message reaches it only as this acknowledgement.
        this.cursors.seen(frame.channelId, frame.eventSeq);
        const pending = this.outbox.get(frame.clientId);
        if (pending) {
          clearTimeout(pending.retryTimer);
          this.outbox.delete(frame.clientId);
          pending.resolve(frame);
        }
        this.releaseInFlight(frame.clientId);
        break;
      }
      case 'chat.refetch':
        // The app reloads history over HTTP; live events continue from the channel's current position.
        this.cursors.set(frame.channelId, frame.lastEventSeq);
        break;
      case 'resumed':
        for (const channel of frame.channels) if (!channel.refetch) this.cursors.resumed(channel.channelId);
        break;
      case 'error':
        this.onError(frame);
        break;
      case 'presence.changes': {
        // Listeners see one `presence.update` per user, however the server grouped them.
        const updates = this.listeners.get('presence.update');
        if (updates) {
          for (const user of frame.users) for (const listener of updates) listener({ type: 'presence.update', ...user });
        }
        break;
      }
      default:
        break;
    }
    const set = this.listeners.get(frame.type);
    if (set) for (const listener of set) listener(frame);
  }

  private onReady(frame: ServerFrameOf<'ready'>) {
    this.userIdValue = frame.userId;
    this.scheduleReauth(frame.expiresAt, frame.reauthenticated ? MIN_REAUTH_INTERVAL_MS : 0);
    if (frame.reauthenticated) return;
    this.attempt = 0;
    this.setState('open');
    if (this.cursors.size > 0) {
      const channels = this.cursors.entries().map(([channelId, afterEventSeq]) => ({ channelId, afterEventSeq }));
      this.cursors.resumeSent(channels.map((channel) => channel.channelId));
      for (let i = 0; i < channels.length; i += RESUME_MAX_CHANNELS) {
        this.send({ type: 'resume', channels: channels.slice(i, i + RESUME_MAX_CHANNELS) });
      }
    }
    this.clearInFlight();
    this.transmitNext();
  }

  private scheduleReauth(expiresAt: number, minimumDelayMs: number) {
    clearTimeout(this.reauthTimer);
    const lead = this.options.reauthLeadMs ?? 60_000;
    const delay = Math.max(minimumDelayMs, expiresAt * 1000 - Date.now() - lead);
    const socket = this.socket;
    this.reauthTimer = setTimeout(
      () => {
        this.options
          .getToken()
          .then((token) => {
            if (this.socket === socket && socket?.readyState === OPEN) socket.send(JSON.stringify({ type: 'auth', token }));
          })
          .catch(() => {});
      },
      Math.min(delay, 2 ** 31 - 1),
    );
  }

  private onError(frame: ServerFrameOf<'error'>) {
    this.commands.refused(frame);
    if (frame.ref?.type !== 'chat.send' || !frame.ref.clientId) return;
    const clientId = frame.ref.clientId;
    const pending = this.outbox.get(clientId);
    const delay = pending ? retryDelayAfter(frame, pending.retries) : null;
    if (pending && delay !== null) {
      if (this.inFlight?.clientId === clientId) this.clearInFlight();
      clearTimeout(pending.retryTimer);
      pending.retryTimer = setTimeout(() => {
        pending.retryTimer = undefined;
        this.transmitNext();
      }, delay);
      return;
    }
    if (pending) {
      this.outbox.delete(clientId);
      pending.reject(new MessageRejectedError(frame.code, frame.message));
    }
    this.releaseInFlight(clientId);
  }
}
