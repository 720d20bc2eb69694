/**
 * Per-connection state: one Connection per socket, made by the transport (gateway.ts) on upgrade.
 * It holds the connection's identity once authenticated, its deadline, its budget, the queue its
 * frames are handled in, its topics (kept by the hub's TopicHub) and the frames held while its
 * access is reloaded. Frame handlers see it only as a GatewayConnection.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { ServerFrame } from '@collaro/shared';
import { Budget } from './budgets.js';
import type { RealtimeLimits } from './realtime-limits.js';

export { DEFAULT_REALTIME_LIMITS, type RealtimeLimits } from './realtime-limits.js';

/** What a frame handler knows about the connection it serves. */
export interface GatewayConnection {
  readonly id: string;
  /** Set once the connection has authenticated; handlers other than `auth` only run after that. */
  readonly userId: string;
  /** The meeting a guest's connection is for; null for people with an account. */
  readonly guestMeetingId: string | null;
  send(frame: ServerFrame): void;
  /**
   * Sends part of a long answer (a resume's replay): waits while the client has not read what is
   * already queued, and first for the user's replay budget, so a single frame cannot make the server
   * produce more than the client reads or more than its share. False once the connection is gone.
   */
  sendReplay(frame: ServerFrame): Promise<boolean>;
}

const NO_TOPICS: ReadonlySet<string> = new Set();

/** Frames one connection may hold while its access is reloaded (a database round trip, normally). */
const MAX_HELD_FRAMES = 1_000;

export interface HeldFrame {
  topics: readonly string[];
  text: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Connection implements GatewayConnection {
  readonly id = randomUUID();
  private authenticatedUserId: string | null = null;
  /** The local session behind the token (null for Clerk), so a revoked session's sockets can be found. */
  sessionId: string | null = null;
  /** Shared with other connections hearing the same topics (see TopicHub): never changed in place. */
  topics: ReadonlySet<string> = NO_TOPICS;
  topicsKey = '';
  /** Topics from `presence.subscribe`, kept when channel access is reloaded; null until the first one. */
  presenceTopics: Set<string> | null = null;
  /** The meeting a guest's connection is for; null for people with an account. */
  guestMeetingId: string | null = null;
  chosenStatus: 'online' | 'away' | 'dnd' = 'online';
  /** The connection's own until it authenticates, then its user's (see budgets.ts). */
  budget: Budget;
  /** Frames are handled one at a time, in arrival order, so a client's messages keep their order. */
  private queue: Promise<void> | null = null;
  private queued = 0;
  /**
   * When the gateway closes this connection unless something changes: the auth deadline until the
   * first `auth`, then the token's expiry. One sweep checks every connection, rather than a timer each.
   */
  deadline: number;
  closing = false;
  /**
   * Frames published while this user's access is being reloaded, waiting for the outcome; null when
   * nothing is being reloaded. See AccessTopics.reload and TopicHub.deliver.
   */
  private held: HeldFrame[] | null = null;
  private holds = 0;

  constructor(
    readonly socket: WebSocket,
    private readonly limits: RealtimeLimits,
    private readonly onSlowConsumer: (connection: Connection) => void,
  ) {
    this.budget = new Budget(limits);
    this.deadline = Date.now() + limits.authTimeoutMs;
  }

  get userId(): string {
    if (!this.authenticatedUserId) throw new Error('connection is not authenticated');
    return this.authenticatedUserId;
  }

  get authenticated() {
    return this.authenticatedUserId !== null;
  }

  setUser(userId: string, sessionId: string | null) {
    this.authenticatedUserId = userId;
    this.sessionId = sessionId;
  }

  /** Queues a frame's handling behind the ones before it; false when the queue is already full. */
  enqueue(work: () => Promise<void>): boolean {
    if (this.queued >= this.limits.maxQueuedFrames) return false;
    this.queued += 1;
    this.queue = (this.queue ?? Promise.resolve()).then(work).finally(() => {
      this.queued -= 1;
      // Idle connections hold no settled promise chain.
      if (this.queued === 0) this.queue = null;
    });
    return true;
  }

  get isPaused(): boolean {
    return this.socket.isPaused;
  }

  /** Stops reading the socket for `ms` (a timer only while a connection is held back). */
  pauseReading(ms: number) {
    if (this.socket.isPaused) return;
    this.socket.pause();
    setTimeout(() => {
      if (this.open) this.socket.resume();
    }, ms).unref();
  }

  /** From now until the matching `unhold`, frames published for this connection wait instead of going out. */
  hold() {
    this.holds += 1;
    this.held ??= [];
  }

  /**
   * Keeps a frame published to `topics` while held; false when the connection is not held. A
   * connection that would hold more than MAX_HELD_FRAMES is let go as a slow consumer (it resumes
   * from its cursor when it reconnects) rather than buffered without bound.
   */
  keep(topics: readonly string[], text: string): boolean {
    if (!this.held) return false;
    if (this.held.length >= MAX_HELD_FRAMES) {
      this.held = [];
      this.onSlowConsumer(this);
      return true;
    }
    this.held.push({ topics, text });
    return true;
  }

  get isHeld(): boolean {
    return this.holds > 0;
  }

  /** Ends one hold; once none is left, returns what waited (for the hub to deliver where it still may). */
  unhold(): HeldFrame[] {
    if (this.holds === 0 || --this.holds > 0) return [];
    const held = this.held ?? [];
    this.held = null;
    return held;
  }

  sendText(text: string) {
    if (!this.open) return;
    this.socket.send(text);
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) this.onSlowConsumer(this);
  }

  send(frame: ServerFrame) {
    this.sendText(JSON.stringify(frame));
  }

  private get open() {
    return !this.closing && this.socket.readyState === this.socket.OPEN;
  }

  async sendReplay(frame: ServerFrame): Promise<boolean> {
    const wait = this.budget.replay.msUntilSolvent();
    if (wait > 0) await sleep(wait);
    if (!this.open) return false;
    const text = JSON.stringify(frame);
    this.budget.replay.charge(Buffer.byteLength(text));
    // Past half the slow-consumer bound, wait until the socket has written this out (the client reads).
    if (this.socket.bufferedAmount + text.length <= this.limits.maxBufferedBytes / 2) this.socket.send(text);
    else await new Promise<void>((resolve) => this.socket.send(text, () => resolve()));
    return this.open;
  }

  close(code: number, reason: string) {
    if (this.closing) return;
    this.closing = true;
    this.socket.close(code, reason);
  }
}
