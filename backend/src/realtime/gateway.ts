/**
 * The real-time gateway: one WebSocket per client at `/ws`.
 *
 * Protocol: the client's first frame is `{type:"auth", token}` (the same bearer token as HTTP, never
 * in the URL) within AUTH_TIMEOUT_MS; the server answers `ready` with the token's expiry. Sending
 * `auth` again on the open socket re-authenticates before expiry; otherwise the socket closes with
 * WS_CLOSE_CODES.tokenExpired. Frames are the unions in `@collaro/shared` (ws/frames.ts); a bad frame
 * gets an `error` frame and the socket stays open, a frame over 64 KiB closes it with 1009, and a
 * client over its frame budget gets `rate_limited`.
 *
 * For other modules (meetings, notifications) the gateway offers:
 * - `app.realtime.sendToUsers(userIds, frame)`: every connection of those users, on every instance
 *   (through the event bus: in-process, or Redis pub/sub when REDIS_URL is set);
 * - `app.realtime.sendToChannel(channelId, frame)`: every live connection allowed to read the channel;
 * - `app.realtime.sendToOrg(orgId, frame)`;
 * - `app.realtime.notify(userIds, notification)`: a `notify` frame for the notifications feed
 *   (mentions, direct messages, meeting reminders);
 * - `app.realtime.setInMeeting(userId, true|false)`: presence shows "in a meeting" while true;
 * - `app.realtime.refreshAccess(userIds)`: call after changing channel, team or organization
 *   membership so live connections start or stop hearing the channels concerned;
 * - `app.realtime.onConnectionClosed(listener)`: e.g. to leave a meeting when its last socket goes.
 * Presence: organizations of up to PRESENCE_ORG_PUSH_LIMIT members get a snapshot on connect and
 * every change; in larger ones a client asks for the people it shows with `presence.subscribe`.
 * Client frames reach their handlers through a map keyed by frame type: the chat handlers live in
 * `chat/chat-frame-handlers.ts`; the meetings module passes `meetingHandlers` (one per frame type in
 * `shared/src/ws/meeting-frames.ts`, enforced by the type) when registering this plugin.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  AUTH_TIMEOUT_MS,
  MAX_CLIENT_FRAME_BYTES,
  PRESENCE_ORG_PUSH_LIMIT,
  RESUME_REPLAY_LIMIT,
  WS_CLOSE_CODES,
  parseClientFrame,
  type ChatClientFrameType,
  type ClientFrame,
  type ClientFrameOf,
  type ClientFrameType,
  type FrameErrorCode,
  type MeetingClientFrameType,
  type Notification,
  type PresenceStatus,
  type ServerFrame,
} from '@collaro/shared';
import type { AuthIdentity } from '../auth/provider.js';
import { HttpError } from '../http-errors.js';
import { channelAccessOf } from '../policy/channel-policy.js';
import {
  filterOrgPeers,
  listChannelsWithAccess,
  listMemberIdsOfOrgs,
  listOrgIdsOfUser,
} from '../repositories/channels-repository.js';
import { countMembers } from '../repositories/orgs-repository.js';
import { InProcessEventBus, RedisEventBus, type BusEvent, type DeliveryMode, type EventBus } from './event-bus.js';
import { FallbackPresenceStore, InMemoryPresenceStore, RedisPresenceStore, type PresenceStore } from './presence-store.js';
import { TokenBucket } from './token-bucket.js';

export interface RealtimeLimits {
  authTimeoutMs: number;
  /** Frames a connection may send at once, and per second after that. */
  rateBurst: number;
  ratePerSecond: number;
  /** Bytes queued for one client before it counts as a slow consumer and is disconnected. */
  maxBufferedBytes: number;
  /** Most missed events replayed per channel on resume. */
  resumeReplayLimit: number;
}

export const DEFAULT_REALTIME_LIMITS: RealtimeLimits = {
  authTimeoutMs: AUTH_TIMEOUT_MS,
  rateBurst: 40,
  ratePerSecond: 20,
  maxBufferedBytes: 2 * 1024 * 1024,
  resumeReplayLimit: RESUME_REPLAY_LIMIT,
};

/** What a frame handler knows about the connection it serves. */
export interface GatewayConnection {
  readonly id: string;
  /** Set once the connection has authenticated; handlers other than `auth` only run after that. */
  readonly userId: string;
  send(frame: ServerFrame): void;
}

export interface FrameContext {
  app: FastifyInstance;
  connection: GatewayConnection;
}

export type FrameHandler<T extends ClientFrameType> = (context: FrameContext, frame: ClientFrameOf<T>) => Promise<void> | void;
/** One handler per frame type: a type missing from the map fails the typecheck. */
export type FrameHandlers<T extends ClientFrameType> = { [K in T]: FrameHandler<K> };
export type ChatFrameHandlers = FrameHandlers<Exclude<ChatClientFrameType, GatewayFrameType>>;
export type MeetingFrameHandlers = FrameHandlers<MeetingClientFrameType>;
/** Frames the gateway itself answers. */
type GatewayFrameType = 'auth' | 'ping' | 'presence.set' | 'presence.subscribe';

export type NotificationInput = Omit<Notification, 'id' | 'createdAt'> & Partial<Pick<Notification, 'id' | 'createdAt'>>;

export interface RealtimeService {
  readonly bus: EventBus['name'];
  /** Whether events currently reach every instance (through Redis) or only this one. */
  deliveryMode(): DeliveryMode | 'in-process';
  readonly limits: RealtimeLimits;
  sendToUsers(userIds: readonly string[], frame: ServerFrame): void;
  sendToChannel(channelId: string, frame: ServerFrame, options?: { exceptConnectionId?: string }): void;
  sendToOrg(orgId: string, frame: ServerFrame): void;
  notify(userIds: readonly string[], notification: NotificationInput): void;
  setInMeeting(userId: string, inMeeting: boolean): Promise<void>;
  refreshAccess(userIds: readonly string[]): void;
  onConnectionClosed(listener: (closed: { connectionId: string; userId: string }) => void): () => void;
  /** Live authenticated connections on this instance. */
  connectionCount(): number;
}

declare module 'fastify' {
  interface FastifyInstance {
    realtime: RealtimeService;
  }
}

export interface RealtimePluginOptions {
  chatHandlers: ChatFrameHandlers;
  meetingHandlers: MeetingFrameHandlers;
  limits?: Partial<RealtimeLimits>;
}

export const GATEWAY_PATH = '/ws';

/** How often connections are checked against their auth deadline or token expiry. */
const DEADLINE_SWEEP_MS = 500;

/** How long shutdown waits for clients to answer the close handshake. */
const SHUTDOWN_GRACE_MS = 1_000;

const userTopic = (userId: string) => `u:${userId}`;
const channelTopic = (channelId: string) => `c:${channelId}`;
const orgTopic = (orgId: string) => `o:${orgId}`;
/** Presence of everyone in a small organization. */
const orgPresenceTopic = (orgId: string) => `po:${orgId}`;
/** Presence of one user, for connections that asked for it. */
const userPresenceTopic = (userId: string) => `p:${userId}`;
/** How long an organization's member count is trusted when deciding how to share presence. */
const ORG_SIZE_TTL_MS = 60_000;

const HTTP_STATUS_TO_FRAME_CODE: Record<number, FrameErrorCode> = {
  400: 'invalid_frame',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'invalid_frame',
  429: 'rate_limited',
};

class Connection implements GatewayConnection {
  readonly id = randomUUID();
  private authenticatedUserId: string | null = null;
  topics = new Set<string>();
  /** Topics from `presence.subscribe`, kept when channel access is reloaded; null until the first one. */
  presenceTopics: Set<string> | null = null;
  orgIds: string[] = [];
  chosenStatus: 'online' | 'away' = 'online';
  readonly bucket: TokenBucket;
  /** Frames are handled one at a time, in arrival order, so a client's messages keep their order. */
  queue: Promise<void> = Promise.resolve();
  /**
   * When the gateway closes this connection unless something changes: the auth deadline until the
   * first `auth`, then the token's expiry. One sweep checks every connection, rather than a timer each.
   */
  deadline: number;
  closing = false;

  constructor(
    readonly socket: WebSocket,
    private readonly limits: RealtimeLimits,
    private readonly onSlowConsumer: (connection: Connection) => void,
  ) {
    this.bucket = new TokenBucket(limits.rateBurst, limits.ratePerSecond);
    this.deadline = Date.now() + limits.authTimeoutMs;
  }

  get userId(): string {
    if (!this.authenticatedUserId) throw new Error('connection is not authenticated');
    return this.authenticatedUserId;
  }

  get authenticated() {
    return this.authenticatedUserId !== null;
  }

  setUser(userId: string) {
    this.authenticatedUserId = userId;
  }

  sendText(text: string) {
    if (this.closing || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(text);
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) this.onSlowConsumer(this);
  }

  send(frame: ServerFrame) {
    this.sendText(JSON.stringify(frame));
  }

  close(code: number, reason: string) {
    if (this.closing) return;
    this.closing = true;
    this.socket.close(code, reason);
  }
}

function rawToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export const realtimePlugin = fp(
  async function realtimePlugin(app: FastifyInstance, options: RealtimePluginOptions) {
    const limits: RealtimeLimits = { ...DEFAULT_REALTIME_LIMITS, ...options.limits };
    const instanceId = randomUUID();
    const logBusError = (error: Error) => app.log.warn({ err: error }, 'realtime bus error');
    let bus: EventBus;
    let presenceStore: PresenceStore;
    let deliveryMode: () => DeliveryMode | 'in-process' = () => 'in-process';
    if (app.config.redisUrl) {
      const redisBus = new RedisEventBus(app.config.redisUrl, logBusError, (mode) => {
        if (mode === 'local-only') app.log.warn('Redis is unreachable: realtime events reach only the clients of this instance until it is back');
        else app.log.info('Redis is reachable: realtime events are shared with every instance');
      });
      bus = redisBus;
      deliveryMode = () => redisBus.deliveryMode;
      presenceStore = new FallbackPresenceStore(new RedisPresenceStore(redisBus.client, instanceId, logBusError), logBusError);
    } else {
      bus = new InProcessEventBus();
      presenceStore = new InMemoryPresenceStore();
    }

    const connections = new Set<Connection>();
    /** Topic -> its subscribers; `name` is the one copy of the topic string that connections share. */
    const byTopic = new Map<string, { name: string; members: Set<Connection> }>();
    const byUser = new Map<string, Set<Connection>>();
    const inMeeting = new Set<string>();
    /** Organizations of users seen on this instance, for presence updates after their last socket closes. */
    const orgsOfUser = new Map<string, string[]>();
    const presenceQueue = new Map<string, Promise<void>>();
    const closeListeners = new Set<(closed: { connectionId: string; userId: string }) => void>();

    function subscribe(connection: Connection, topics: Set<string>) {
      for (const topic of connection.topics) {
        if (topics.has(topic)) continue;
        const entry = byTopic.get(topic);
        entry?.members.delete(connection);
        if (entry?.members.size === 0) byTopic.delete(topic);
      }
      const canonical = new Set<string>();
      for (const topic of topics) {
        let entry = byTopic.get(topic);
        if (!entry) byTopic.set(topic, (entry = { name: topic, members: new Set() }));
        entry.members.add(connection);
        canonical.add(entry.name);
      }
      connection.topics = canonical;
    }

    const orgSizes = new Map<string, { size: number; at: number }>();
    /** Organizations small enough for every member to get everyone's presence. */
    async function presencePushOrgs(orgIds: string[]): Promise<string[]> {
      const now = Date.now();
      const sizes = await Promise.all(
        orgIds.map(async (orgId) => {
          const cached = orgSizes.get(orgId);
          if (cached && now - cached.at < ORG_SIZE_TTL_MS) return cached.size;
          const size = await countMembers(app.db, orgId);
          orgSizes.set(orgId, { size, at: now });
          return size;
        }),
      );
      return orgIds.filter((_, index) => sizes[index]! <= PRESENCE_ORG_PUSH_LIMIT);
    }

    /** What a user's connection may hear: their own topic, their organizations and every channel they may read. */
    async function loadTopics(userId: string) {
      const [orgIds, rows] = await Promise.all([listOrgIdsOfUser(app.db, userId), listChannelsWithAccess(app.db, userId)]);
      const pushOrgIds = await presencePushOrgs(orgIds);
      const topics = new Set<string>([userTopic(userId), ...orgIds.map(orgTopic), ...pushOrgIds.map(orgPresenceTopic)]);
      /** Channel topic -> organization, for telling a client which organization a new channel is in. */
      const channelOrgs = new Map<string, string>();
      for (const row of rows) {
        if (!channelAccessOf(row)) continue;
        topics.add(channelTopic(row.id));
        channelOrgs.set(channelTopic(row.id), row.orgId);
      }
      return { orgIds, pushOrgIds, topics, channelOrgs };
    }

    function deliver(event: Extract<BusEvent, { kind: 'frame' }>) {
      const targets =
        event.topics.length === 1
          ? byTopic.get(event.topics[0]!)?.members
          : new Set(event.topics.flatMap((topic) => [...(byTopic.get(topic)?.members ?? [])]));
      if (!targets) return;
      for (const connection of targets) {
        if (connection.id !== event.exceptConnectionId) connection.sendText(event.frame);
      }
    }

    async function reloadAccess(userIds: string[]) {
      for (const userId of userIds) {
        const local = byUser.get(userId);
        if (!local || local.size === 0) continue;
        const { orgIds, topics, channelOrgs } = await loadTopics(userId);
        orgsOfUser.set(userId, orgIds);
        for (const connection of local) {
          if (connection.closing) continue;
          const added = [...topics].filter((topic) => !connection.topics.has(topic));
          subscribe(connection, new Set([...topics, ...(connection.presenceTopics ?? [])]));
          connection.orgIds = orgIds;
          for (const topic of added) {
            const orgId = channelOrgs.get(topic);
            if (orgId) connection.send({ type: 'channel.added', channelId: topic.slice(2), orgId });
          }
        }
      }
    }

    await bus.subscribe((event) => {
      if (event.kind === 'frame') deliver(event);
      else reloadAccess(event.userIds).catch((error: unknown) => app.log.error({ err: error }, 'reloading realtime access failed'));
    });

    function publishFrame(topics: string[], frame: ServerFrame, exceptConnectionId?: string) {
      if (topics.length === 0) return;
      bus.publish({ kind: 'frame', topics, frame: JSON.stringify(frame), ...(exceptConnectionId ? { exceptConnectionId } : {}) });
    }

    function localStatus(userId: string): PresenceStatus {
      if (inMeeting.has(userId)) return 'in_meeting';
      const local = byUser.get(userId);
      if (!local || local.size === 0) return 'offline';
      for (const connection of local) if (connection.chosenStatus === 'online') return 'online';
      return 'away';
    }

    /** Records this instance's view of a user, then tells their organizations the merged status. */
    function refreshPresence(userId: string): Promise<void> {
      const previous = presenceQueue.get(userId) ?? Promise.resolve();
      const next = previous
        .then(async () => {
          await presenceStore.set(userId, localStatus(userId));
          const status = (await presenceStore.get([userId])).get(userId) ?? 'offline';
          const orgIds = orgsOfUser.get(userId) ?? (await listOrgIdsOfUser(app.db, userId));
          const pushOrgIds = await presencePushOrgs(orgIds);
          publishFrame([...pushOrgIds.map(orgPresenceTopic), userPresenceTopic(userId)], { type: 'presence.update', userId, status });
        })
        .catch((error: unknown) => app.log.warn({ err: error, userId }, 'presence update failed'));
      presenceQueue.set(userId, next);
      void next.then(() => {
        if (presenceQueue.get(userId) === next) presenceQueue.delete(userId);
      });
      return next;
    }

    function slowConsumer(connection: Connection) {
      app.log.warn({ connectionId: connection.id, buffered: connection.socket.bufferedAmount }, 'disconnecting slow realtime consumer');
      connection.close(WS_CLOSE_CODES.slowConsumer, 'slow consumer: send buffer full');
      // Its queue will not drain: drop the socket instead of waiting for the close handshake.
      connection.socket.terminate();
    }

    function sendError(connection: Connection, code: FrameErrorCode, message: string, ref?: { type?: string; clientId?: string }, retryAfterMs?: number) {
      connection.send({
        type: 'error',
        code,
        message,
        ...(ref ? { ref } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }

    function armExpiry(connection: Connection, identity: AuthIdentity) {
      connection.deadline = identity.expiresAt * 1000;
    }

    const deadlineSweep = setInterval(() => {
      const now = Date.now();
      for (const connection of connections) {
        if (connection.deadline > now || connection.closing) continue;
        if (connection.authenticated) connection.close(WS_CLOSE_CODES.tokenExpired, 'token expired: authenticate again');
        else connection.close(WS_CLOSE_CODES.authTimeout, 'no auth frame in time');
      }
    }, DEADLINE_SWEEP_MS);
    deadlineSweep.unref();

    async function handleAuth(connection: Connection, frame: ClientFrameOf<'auth'>) {
      let identity: AuthIdentity;
      try {
        identity = await app.authProvider.authenticate(frame.token);
      } catch (error) {
        const reason = error instanceof HttpError ? error.message : 'invalid token';
        connection.close(WS_CLOSE_CODES.authFailed, `authentication failed: ${reason}`.slice(0, 120));
        return;
      }
      if (connection.closing) return;
      if (connection.authenticated) {
        if (identity.userId !== connection.userId) {
          connection.close(WS_CLOSE_CODES.userMismatch, 'token belongs to another user');
          return;
        }
        armExpiry(connection, identity);
        connection.send({ type: 'ready', userId: identity.userId, connectionId: connection.id, expiresAt: identity.expiresAt, reauthenticated: true });
        return;
      }
      const { orgIds, pushOrgIds, topics } = await loadTopics(identity.userId);
      if (connection.closing) return;
      connection.setUser(identity.userId);
      connection.orgIds = orgIds;
      orgsOfUser.set(identity.userId, orgIds);
      subscribe(connection, topics);
      let mine = byUser.get(identity.userId);
      if (!mine) byUser.set(identity.userId, (mine = new Set()));
      mine.add(connection);
      armExpiry(connection, identity);
      connection.send({ type: 'ready', userId: identity.userId, connectionId: connection.id, expiresAt: identity.expiresAt, reauthenticated: false });
      await refreshPresence(identity.userId);
      const peers = await listMemberIdsOfOrgs(app.db, pushOrgIds);
      const statuses = await presenceStore.get(peers);
      connection.send({
        type: 'presence.snapshot',
        users: [...statuses].filter(([, status]) => status !== 'offline').map(([userId, status]) => ({ userId, status })),
      });
    }

    const gatewayHandlers: FrameHandlers<Exclude<GatewayFrameType, 'auth'>> = {
      ping: ({ connection }, frame) => connection.send({ type: 'pong', ...(frame.nonce ? { nonce: frame.nonce } : {}) }),
      'presence.set': async ({ connection }, frame) => {
        const own = connection as Connection;
        own.chosenStatus = frame.status;
        await refreshPresence(own.userId);
      },
      'presence.subscribe': async ({ connection }, frame) => {
        const own = connection as Connection;
        const peers = await filterOrgPeers(app.db, own.userId, [...new Set(frame.userIds.map((id) => id.toLowerCase()))]);
        const presenceTopics = new Set(peers.map(userPresenceTopic));
        const kept = [...own.topics].filter((topic) => !own.presenceTopics?.has(topic));
        own.presenceTopics = presenceTopics;
        subscribe(own, new Set([...kept, ...presenceTopics]));
        const statuses = await presenceStore.get(peers);
        own.send({ type: 'presence.changes', users: [...statuses].map(([userId, status]) => ({ userId, status })) });
      },
    };

    const handlers: FrameHandlers<Exclude<ClientFrameType, 'auth'>> = {
      ...gatewayHandlers,
      ...options.chatHandlers,
      ...options.meetingHandlers,
    };

    async function dispatch<T extends Exclude<ClientFrameType, 'auth'>>(connection: Connection, frame: ClientFrameOf<T>) {
      const handler = handlers[(frame as ClientFrame).type as T] as FrameHandler<T>;
      await handler({ app, connection }, frame);
    }

    async function handleFrame(connection: Connection, frame: ClientFrame) {
      try {
        if (frame.type === 'auth') {
          await handleAuth(connection, frame);
          return;
        }
        if (!connection.authenticated) {
          sendError(connection, 'unauthorized', 'Send an auth frame first', { type: frame.type });
          return;
        }
        await dispatch(connection, frame);
      } catch (error) {
        const ref = { type: frame.type, ...('clientId' in frame && typeof frame.clientId === 'string' ? { clientId: frame.clientId } : {}) };
        if (error instanceof HttpError) {
          sendError(connection, HTTP_STATUS_TO_FRAME_CODE[error.statusCode] ?? 'invalid_frame', error.message, ref);
        } else {
          app.log.error({ err: error, frameType: frame.type, connectionId: connection.id }, 'realtime frame handler failed');
          sendError(connection, 'internal', 'The server could not handle this frame', ref);
        }
      }
    }

    function onMessage(connection: Connection, data: RawData, isBinary: boolean) {
      const retryAfterMs = connection.bucket.take();
      if (retryAfterMs > 0) {
        const peek = isBinary ? undefined : parseClientFrame(rawToText(data));
        const ref = peek?.ok
          ? { type: peek.frame.type, ...('clientId' in peek.frame && typeof peek.frame.clientId === 'string' ? { clientId: peek.frame.clientId } : {}) }
          : undefined;
        sendError(connection, 'rate_limited', 'Too many frames; slow down', ref, retryAfterMs);
        return;
      }
      if (isBinary) {
        sendError(connection, 'malformed', 'Frames are JSON text, not binary');
        return;
      }
      const parsed = parseClientFrame(rawToText(data));
      if (!parsed.ok) {
        sendError(connection, parsed.code, parsed.message, {
          ...(parsed.type ? { type: parsed.type } : {}),
          ...(parsed.clientId ? { clientId: parsed.clientId } : {}),
        });
        return;
      }
      connection.queue = connection.queue.then(() => handleFrame(connection, parsed.frame));
    }

    function onClose(connection: Connection) {
      connection.closing = true;
      connections.delete(connection);
      subscribe(connection, new Set());
      if (!connection.authenticated) return;
      const userId = connection.userId;
      const mine = byUser.get(userId);
      mine?.delete(connection);
      if (mine?.size === 0) byUser.delete(userId);
      void refreshPresence(userId);
      for (const listener of closeListeners) {
        try {
          listener({ connectionId: connection.id, userId });
        } catch (error) {
          app.log.error({ err: error }, 'realtime close listener failed');
        }
      }
    }

    const service: RealtimeService = {
      bus: bus.name,
      deliveryMode: () => deliveryMode(),
      limits,
      sendToUsers: (userIds, frame) => publishFrame(userIds.map(userTopic), frame),
      sendToChannel: (channelId, frame, sendOptions) => publishFrame([channelTopic(channelId)], frame, sendOptions?.exceptConnectionId),
      sendToOrg: (orgId, frame) => publishFrame([orgTopic(orgId)], frame),
      notify: (userIds, notification) =>
        publishFrame(userIds.map(userTopic), {
          type: 'notify',
          notification: { id: randomUUID(), createdAt: new Date().toISOString(), ...notification },
        }),
      setInMeeting: async (userId, value) => {
        if (value) inMeeting.add(userId);
        else inMeeting.delete(userId);
        await refreshPresence(userId);
      },
      refreshAccess: (userIds) => {
        if (userIds.length > 0) bus.publish({ kind: 'access', userIds: [...userIds] });
      },
      onConnectionClosed: (listener) => {
        closeListeners.add(listener);
        return () => closeListeners.delete(listener);
      },
      connectionCount: () => [...connections].filter((connection) => connection.authenticated).length,
    };
    app.decorate('realtime', service);

    // `ws` directly rather than through a Fastify route: a routed upgrade keeps the request and reply
    // objects alive for the whole connection, which triples the memory an idle connection costs.
    // Nothing is lost: the socket authenticates with its first frame, not with anything in the request.
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES, clientTracking: false, perMessageDeflate: false });
    const onUpgrade = (request: IncomingMessage, stream: Duplex, head: Buffer) => {
      const pathname = (request.url ?? '').split('?')[0];
      if (pathname !== GATEWAY_PATH) {
        stream.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      stream.on('error', () => stream.destroy());
      wss.handleUpgrade(request, stream, head, (socket) => accept(socket));
    };
    app.server.on('upgrade', onUpgrade);

    // One set of listener functions for every socket (found through `this`), not three closures per connection.
    const connectionOf = new WeakMap<WebSocket, Connection>();
    function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean) {
      const connection = connectionOf.get(this);
      if (connection) onMessage(connection, data, isBinary);
    }
    // ws reports oversize frames (it closes with 1009 itself) and broken sockets here; neither may reach the process.
    function onSocketError(this: WebSocket, error: Error) {
      app.log.debug({ err: error, connectionId: connectionOf.get(this)?.id }, 'realtime socket error');
    }
    function onSocketClose(this: WebSocket) {
      const connection = connectionOf.get(this);
      if (connection) onClose(connection);
    }

    function accept(socket: WebSocket) {
      const connection = new Connection(socket, limits, slowConsumer);
      connections.add(connection);
      connectionOf.set(socket, connection);
      socket.on('message', onSocketMessage);
      socket.on('error', onSocketError);
      socket.on('close', onSocketClose);
    }

    app.addHook('preClose', async () => {
      const open = [...connections];
      const closed = Promise.all(open.map((connection) => new Promise((resolve) => connection.socket.once('close', resolve))));
      for (const connection of open) connection.close(WS_CLOSE_CODES.goingAway, 'server shutting down');
      // The HTTP server cannot finish closing while a socket lingers; peers that do not answer the close handshake are cut.
      const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
      await Promise.race([closed, grace]);
      for (const connection of open) connection.socket.terminate();
      app.server.off('upgrade', onUpgrade);
    });
    app.addHook('onClose', async () => {
      clearInterval(deadlineSweep);
      await Promise.allSettled([...presenceQueue.values()]);
      await presenceStore.close();
      await bus.close();
    });
  },
  { name: 'collaro-realtime', dependencies: ['collaro-auth'] },
);
