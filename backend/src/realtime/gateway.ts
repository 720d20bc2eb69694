/**
 * The realtime transport: one WebSocket per client at `/ws`. Who hears what (topics, the event bus,
 * presence, access) is the hub's (realtime-hub.ts), built before this plugin and passed to it.
 *
 * Protocol: the client's first frame is `{type:"auth", token}` (the same bearer token as HTTP, never
 * in the URL) within AUTH_TIMEOUT_MS; the server answers `ready` with the token's expiry. Sending
 * `auth` again on the open socket re-authenticates before expiry; otherwise the socket closes with
 * WS_CLOSE_CODES.tokenExpired. Frames are the unions in `@collaro/shared` (ws/frames.ts); a bad frame
 * gets an `error` frame and the socket stays open, a frame over 64 KiB closes it with 1009, and a
 * client over its frame budget gets `rate_limited`. What one connection can make the server do is
 * bounded (see RealtimeLimits in connection.ts): frames queued behind each other, refusals it keeps
 * provoking, and history replayed per second; past the first two it is told and disconnected.
 *
 * Client frames reach their handlers through a map keyed by frame type: the chat handlers live in
 * `chat/chat-frame-handlers.ts`; the meetings module passes `meetingHandlers` (one per frame type in
 * `shared/src/ws/meeting-frames.ts`, enforced by the type) when registering this plugin.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  MAX_CLIENT_FRAME_BYTES,
  WS_CLOSE_CODES,
  parseClientFrame,
  type ClientFrame,
  type ClientFrameOf,
  type ClientFrameType,
  type FrameErrorCode,
} from '@collaro/shared';
import type { AuthIdentity } from '../auth/provider.js';
import { DomainError } from '../domain-errors.js';
import { Connection } from './connection.js';
import type { ChatFrameHandlers, FrameHandlers, GatewayFrameType, GuestFrameHandlers, MeetingFrameHandlers } from './realtime-service.js';
import type { RealtimeHub } from './realtime-hub.js';
import { UserBudgets } from './budgets.js';
import { DOMAIN_ERROR_TO_FRAME_CODE, frameCost, frameRef, rawToText } from './frame-intake.js';

export { DEFAULT_REALTIME_LIMITS, type GatewayConnection, type RealtimeLimits } from './connection.js';
export type * from './realtime-service.js';

export const GATEWAY_PATH = '/ws';

/** How often connections are checked against their auth deadline or token expiry. */
const DEADLINE_SWEEP_MS = 500;

/**
 * The shortest a connection that ignored `rate_limited` goes unread. Reading resumes with whatever
 * the client queued meanwhile, so pausing in short steps would still read (and drop) most of it.
 */
const MIN_READ_PAUSE_MS = 1_000;

/** How long shutdown waits for clients to answer the close handshake. */
const SHUTDOWN_GRACE_MS = 1_000;

export interface RealtimePluginOptions {
  /** Built first (app.ts): the connections authenticated here join its topics. */
  hub: RealtimeHub;
  chatHandlers: ChatFrameHandlers;
  meetingHandlers: MeetingFrameHandlers;
  /** All a meeting guest's connection may send besides auth and ping (see meetings/guests). */
  guestHandlers: GuestFrameHandlers;
  /** Turns an auth frame's token into an identity; the HTTP auth provider's by default. */
  authenticate?: (token: string) => Promise<AuthIdentity>;
}

export const realtimePlugin = fp(
  async function realtimePlugin(app: FastifyInstance, options: RealtimePluginOptions) {
    const { hub } = options;
    const { limits } = hub;
    const connections = hub.topics;
    const budgets = new UserBudgets(limits);

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

    /** Tells the client why, then lets it go: it asked for more work than one connection may queue. */
    function disconnectBacklogged(connection: Connection, message: string, ref?: { type?: string; clientId?: string }) {
      app.log.warn({ connectionId: connection.id, userId: connection.authenticated ? connection.userId : undefined }, message);
      sendError(connection, 'rate_limited', message, ref);
      connection.close(WS_CLOSE_CODES.backlog, message.slice(0, 120));
    }

    function armExpiry(connection: Connection, identity: AuthIdentity) {
      connection.deadline = identity.expiresAt * 1000;
    }

    let sweeps = 0;
    const deadlineSweep = setInterval(() => {
      const now = Date.now();
      if (++sweeps % 60 === 0) {
        budgets.prune((userId) => connections.connectionsOf(userId).size > 0);
        hub.prune(now);
      }
      for (const connection of connections.connections) {
        if (connection.deadline > now || connection.closing) continue;
        if (connection.authenticated) connection.close(WS_CLOSE_CODES.tokenExpired, 'token expired: authenticate again');
        else connection.close(WS_CLOSE_CODES.authTimeout, 'no auth frame in time');
      }
    }, DEADLINE_SWEEP_MS);
    deadlineSweep.unref();

    async function handleAuth(connection: Connection, frame: ClientFrameOf<'auth'>) {
      let identity: AuthIdentity;
      try {
        identity = await (options.authenticate ? options.authenticate(frame.token) : app.authProvider.authenticate(frame.token));
      } catch (error) {
        const reason = error instanceof DomainError ? error.message : 'invalid token';
        connection.close(WS_CLOSE_CODES.authFailed, `authentication failed: ${reason}`.slice(0, 120));
        return;
      }
      if (connection.closing) return;
      if (hub.isRevoked(identity.sessionId)) {
        connection.close(WS_CLOSE_CODES.authFailed, 'authentication failed: Session has ended');
        return;
      }
      if (connection.authenticated) {
        if (identity.userId !== connection.userId) {
          connection.close(WS_CLOSE_CODES.userMismatch, 'token belongs to another user');
          return;
        }
        connection.sessionId = identity.sessionId;
        armExpiry(connection, identity);
        connection.send({ type: 'ready', userId: identity.userId, connectionId: connection.id, expiresAt: identity.expiresAt, reauthenticated: true });
        return;
      }
      // Checked before the database is asked anything: reconnecting in a loop costs the server little.
      const budget = budgets.of(identity.userId);
      if (budget.connects.take() > 0) {
        disconnectBacklogged(connection, 'Too many connections opened in a short time; disconnecting');
        return;
      }
      connection.budget = budget;
      // Known from here on, so a revocation arriving while access loads finds this socket.
      connection.sessionId = identity.sessionId;
      const access = await hub.loadAccess(identity.userId);
      if (connection.closing) return;
      connection.setUser(identity.userId, identity.sessionId);
      connection.guestMeetingId = identity.guestMeetingId ?? null;
      hub.attach(connection, access);
      armExpiry(connection, identity);
      connection.send({ type: 'ready', userId: identity.userId, connectionId: connection.id, expiresAt: identity.expiresAt, reauthenticated: false });
      await hub.refreshPresence(identity.userId);
      connection.send(await hub.presenceSnapshot(access.pushOrgIds));
    }

    const gatewayHandlers: FrameHandlers<Exclude<GatewayFrameType, 'auth'>> = {
      ping: ({ connection }, frame) => connection.send({ type: 'pong', ...(frame.nonce ? { nonce: frame.nonce } : {}) }),
      'presence.set': async ({ connection }, frame) => {
        const own = connection as Connection;
        own.chosenStatus = frame.status;
        await hub.refreshPresence(own.userId);
      },
      'presence.subscribe': ({ connection }, frame) => hub.subscribePresence(connection as Connection, frame.userIds),
    };

    const handlers: FrameHandlers<Exclude<ClientFrameType, 'auth'>> = {
      ...gatewayHandlers,
      ...options.chatHandlers,
      ...options.meetingHandlers,
    };

    async function dispatch<T extends Exclude<ClientFrameType, 'auth'>>(connection: Connection, frame: ClientFrameOf<T>) {
      const type = (frame as ClientFrame).type as T;
      // A guest's connection reaches its meeting's room and chat, and nothing else.
      const guest = connection.guestMeetingId !== null;
      const handler = !guest || type === 'ping' ? handlers[type] : (options.guestHandlers as Partial<typeof handlers>)[type];
      if (!handler) throw new DomainError('forbidden', 'A guest can only take part in the meeting they were invited to and its chat');
      await handler({ app, connection }, frame);
    }

    async function handleFrame(connection: Connection, frame: ClientFrame) {
      if (connection.closing) return;
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
        if (error instanceof DomainError) {
          sendError(connection, DOMAIN_ERROR_TO_FRAME_CODE[error.code], error.message, ref);
        } else {
          app.log.error({ err: error, frameType: frame.type, connectionId: connection.id }, 'realtime frame handler failed');
          sendError(connection, 'internal', 'The server could not handle this frame', ref);
        }
      }
    }

    function onMessage(connection: Connection, data: RawData, isBinary: boolean) {
      if (connection.closing) return;
      const retryAfterMs = connection.budget.frames.take();
      if (retryAfterMs > 0) {
        if (connection.isPaused) return;
        const ref = isBinary ? undefined : frameRef(rawToText(data));
        const refusalWaitMs = connection.budget.refusals.take();
        sendError(
          connection,
          'rate_limited',
          refusalWaitMs > 0 ? 'Too many frames; no more are read for a while' : 'Too many frames; slow down',
          ref,
          retryAfterMs,
        );
        // Told often enough: stop reading this socket for a while rather than refusing frame after
        // frame. Its data waits in the network buffers and the sender is held back by TCP itself.
        if (refusalWaitMs > 0) connection.pauseReading(Math.max(refusalWaitMs, retryAfterMs, MIN_READ_PAUSE_MS));
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
      const frame = parsed.frame;
      // The first token was taken before parsing (so refused frames are never parsed); the rest is owed.
      const cost = frameCost(frame);
      if (cost > 1) connection.budget.frames.charge(cost - 1);
      if (!connection.enqueue(() => handleFrame(connection, frame))) {
        const ref = { type: frame.type, ...('clientId' in frame && typeof frame.clientId === 'string' ? { clientId: frame.clientId } : {}) };
        disconnectBacklogged(connection, `More than ${limits.maxQueuedFrames} frames are waiting to be handled; disconnecting`, ref);
      }
    }

    function onClose(connection: Connection) {
      connection.closing = true;
      hub.detach(connection);
    }

    // `ws` directly rather than through a Fastify route: a routed upgrade keeps the request and reply
    // objects alive for the whole connection, which triples the memory an idle connection costs.
    // Nothing is lost: the socket authenticates with its first frame, not with anything in the request.
    // Each received frame is its own macrotask (allowSynchronousEvents off), so one socket's burst of
    // buffered frames cannot hold the event loop while other clients and requests wait.
    const wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_CLIENT_FRAME_BYTES,
      clientTracking: false,
      perMessageDeflate: false,
      allowSynchronousEvents: false,
    });
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
      connections.connections.add(connection);
      connectionOf.set(socket, connection);
      socket.on('message', onSocketMessage);
      socket.on('error', onSocketError);
      socket.on('close', onSocketClose);
    }

    app.addHook('preClose', async () => {
      const open = [...connections.connections];
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
    });
  },
  { name: 'collaro-realtime', dependencies: ['collaro-auth'] },
);
