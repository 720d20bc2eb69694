/**
 * The realtime hub: who hears what, on this instance and across instances. It owns the event bus
 * (in-process, or Redis pub/sub when REDIS_URL is set), the topic index of this instance's
 * connections (TopicHub), presence, what each user may hear (AccessTopics, reloaded on
 * `refreshAccess`) and the sessions that were revoked. It has no socket of its own: the transport
 * (gateway.ts) hands it connections once they have authenticated and when they close.
 *
 * It is built first in app.ts, before any feature, and passed to the services that push frames
 * (chat, meetings, calls, reminders) as a constructor argument; it is also `app.realtime` for the
 * route handlers. What it offers them is RealtimeService (realtime-service.ts):
 * - `sendToUsers(userIds, frame)`: every connection of those users, on every instance;
 * - `sendToChannel(channelId, frame)`: every live connection allowed to read the channel;
 * - `sendToOrg(orgId, frame)`;
 * - `notify(userIds, notification)`: a `notify` frame for the notifications feed
 *   (mentions, direct messages, meeting reminders);
 * - `setInMeeting(userId, true|false)`: presence shows "in a meeting" while true;
 * - `refreshAccess(userIds)`: call (and await) after changing channel, team or organization
 *   membership so live connections start or stop hearing the channels concerned, before any
 *   message published after it;
 * - `onConnectionClosed(listener)`: e.g. to leave a meeting when its last socket goes.
 * Presence: organizations of up to PRESENCE_ORG_PUSH_LIMIT members get a snapshot on connect and
 * every change; in larger ones a client asks for the people it shows with `presence.subscribe`.
 */
import type { FastifyBaseLogger } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '@collaro/shared';
import type { SessionRevocations } from '../auth/session-cache.js';
import type { Database } from '../db/client.js';
import type { RedisLink } from '../plugins/redis.js';
import { teamReadsOf } from '../policy/team-reads.js';
import { AccessTopics } from './access-topics.js';
import type { Connection } from './connection.js';
import { InProcessEventBus, RedisEventBus, type BusEvent, type DeliveryMode, type EventBus } from './event-bus.js';
import { Presence } from './presence.js';
import { FallbackPresenceStore, InMemoryPresenceStore, RedisPresenceStore } from './presence-store.js';
import { DEFAULT_REALTIME_LIMITS, type RealtimeLimits } from './realtime-limits.js';
import type { NotificationInput, RealtimeService } from './realtime-service.js';
import { RevokedSessions } from './revoked-sessions.js';
import { channelTopic, orgTopic, TopicHub, userTopic } from './topic-hub.js';

/**
 * Frames that never wait while their user's access is reloaded: a call's offers, answers and ICE
 * candidates go from one connection to another, and no channel or organization membership decides
 * who hears them or orders them against other frames. Held, they would wait behind the database
 * work that follows every meeting join (the in-call chat's membership), on the join's critical path.
 */
const OVERTAKING_HOLDS: ReadonlySet<ServerFrame['type']> = new Set(['rtc.signal']);

export interface RealtimeHubOptions {
  db: Database;
  /** The app's Redis link (plugins/redis.ts); events and presence stay in this process without it. */
  redis: RedisLink | null;
  /** Sessions ended elsewhere: their sockets are closed at once. */
  sessionRevocations: SessionRevocations;
  log: FastifyBaseLogger;
  limits?: Partial<RealtimeLimits>;
}

type CloseListener = (closed: { connectionId: string; userId: string }) => void;

export class RealtimeHub implements RealtimeService {
  readonly bus: EventBus['name'];
  readonly limits: RealtimeLimits;
  /** This instance's connections, indexed by topic and user. */
  readonly topics = new TopicHub();
  private readonly events: EventBus;
  private readonly redisBus: RedisEventBus | undefined;
  private readonly presence: Presence;
  private readonly access: AccessTopics;
  private readonly revokedSessions: RevokedSessions;
  private readonly closeListeners = new Set<CloseListener>();
  private readonly stopHearingRevocations: () => void;
  private readonly log: FastifyBaseLogger;
  private readonly db: Database;

  constructor(options: RealtimeHubOptions) {
    const { db, redis, log } = options;
    this.log = log;
    this.db = db;
    this.limits = { ...DEFAULT_REALTIME_LIMITS, ...options.limits };
    const logBusError = (error: Error) => log.warn({ err: error }, 'realtime bus error');
    if (redis) {
      this.redisBus = new RedisEventBus(redis, logBusError);
      this.events = this.redisBus;
    } else {
      this.events = new InProcessEventBus();
    }
    this.bus = this.events.name;
    const presenceStore = redis
      ? new FallbackPresenceStore(new RedisPresenceStore(redis.client, redis.instanceId, logBusError), logBusError)
      : new InMemoryPresenceStore();
    this.presence = new Presence(db, presenceStore, this.topics, (topics, frame) => this.publishFrame(topics, frame), log);
    this.access = new AccessTopics(db, this.topics, this.presence);
    this.revokedSessions = new RevokedSessions(this.topics);
    this.stopHearingRevocations = options.sessionRevocations.onRevoked((sessionId) => this.revokedSessions.revoke(sessionId));
  }

  /** Starts hearing the event bus; frames published before this resolves reach no connection here. */
  async start(): Promise<void> {
    const teamReads = teamReadsOf(this.db);
    await this.events.subscribe((event: BusEvent) => {
      teamReads.observe(event);
      if (event.kind === 'frame')
        this.topics.deliver(event.topics, event.frame, { exceptConnectionId: event.exceptConnectionId, overtakesHolds: event.overtakesHolds });
      else this.access.reload(event.userIds).catch((error: unknown) => this.log.error({ err: error }, 'reloading realtime access failed'));
    });
  }

  deliveryMode(): DeliveryMode | 'in-process' {
    return this.redisBus ? this.redisBus.deliveryMode : 'in-process';
  }

  sendToUsers(userIds: readonly string[], frame: ServerFrame): void {
    this.publishFrame(userIds.map(userTopic), frame);
  }

  sendToChannel(channelId: string, frame: ServerFrame, options?: { exceptConnectionId?: string }): void {
    this.publishFrame([channelTopic(channelId)], frame, options?.exceptConnectionId);
  }

  sendToOrg(orgId: string, frame: ServerFrame): void {
    this.publishFrame([orgTopic(orgId)], frame);
  }

  notify(userIds: readonly string[], notification: NotificationInput): void {
    this.publishFrame(userIds.map(userTopic), {
      type: 'notify',
      notification: { id: randomUUID(), createdAt: new Date().toISOString(), ...notification },
    });
  }

  setInMeeting(userId: string, inMeeting: boolean): Promise<void> {
    return this.presence.setInMeeting(userId, inMeeting);
  }

  async refreshAccess(userIds: readonly string[]): Promise<void> {
    if (userIds.length > 0) await this.events.publish({ kind: 'access', userIds: [...userIds] });
  }

  onConnectionClosed(listener: CloseListener): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  connectionCount(): number {
    return this.topics.authenticatedCount();
  }

  /** Whether the session was revoked a moment ago (its token may have been accepted while that happened). */
  isRevoked(sessionId: string | null): boolean {
    return this.revokedSessions.has(sessionId);
  }

  /** What the user may hear, for a connection about to be attached (see `attach`). */
  loadAccess(userId: string): ReturnType<AccessTopics['load']> {
    return this.access.load(userId);
  }

  /** An authenticated connection starts hearing its user's topics and the ones its access allows. */
  attach(connection: Connection, access: { orgIds: string[]; topics: ReadonlySet<string> }): void {
    this.presence.orgsOfUser.set(connection.userId, access.orgIds);
    this.topics.subscribe(connection, access.topics);
    this.topics.addUser(connection);
  }

  /** Records the user's merged status after a change of theirs (a connection, a chosen status). */
  refreshPresence(userId: string): Promise<void> {
    return this.presence.refresh(userId);
  }

  /** Everyone present in these organizations, for a connection that just authenticated. */
  presenceSnapshot(pushOrgIds: string[]): Promise<ServerFrame> {
    return this.presence.snapshot(pushOrgIds);
  }

  /** Answers `presence.subscribe`: the connection now hears these people (those it may see). */
  subscribePresence(connection: Connection, userIds: string[]): Promise<void> {
    return this.presence.subscribe(connection, userIds);
  }

  /** Forgets a closed connection; once authenticated, its user's presence and the close listeners hear of it. */
  detach(connection: Connection): void {
    this.topics.remove(connection);
    if (!connection.authenticated) return;
    const userId = connection.userId;
    void this.presence.refresh(userId);
    for (const listener of this.closeListeners) {
      try {
        listener({ connectionId: connection.id, userId });
      } catch (error) {
        this.log.error({ err: error }, 'realtime close listener failed');
      }
    }
  }

  /** Drops what no longer needs remembering (called now and then). */
  prune(now: number): void {
    this.revokedSessions.prune(now);
    this.access.prune();
  }

  /** After the transport has closed its sockets. */
  async close(): Promise<void> {
    this.stopHearingRevocations();
    await this.presence.close();
    await this.events.close();
  }

  private publishFrame(topics: string[], frame: ServerFrame, exceptConnectionId?: string) {
    if (topics.length === 0) return;
    void this.events.publish({
      kind: 'frame',
      topics,
      frame: JSON.stringify(frame),
      ...(exceptConnectionId ? { exceptConnectionId } : {}),
      ...(OVERTAKING_HOLDS.has(frame.type) ? { overtakesHolds: true } : {}),
    });
  }
}
