/**
 * The realtime transport: one WebSocket per client at `/ws`. It is the socket side of realtime
 * only; who hears what (topics, the event bus, presence, access) is the hub's (realtime-hub.ts),
 * built before every feature in app.ts and passed here, and this plugin is registered after the
 * features whose frame handlers it dispatches to.
 *
 * Three parts:
 * - this plugin: the upgrade on `/ws`, each socket's Connection (connection.ts: its identity,
 *   deadline, budget, frame queue and send buffer), the sweep that closes connections past their
 *   auth deadline or token expiry, and shutdown;
 * - FrameRouter (frame-router.ts): per frame, the rate limits, parsing, `auth`, and the dispatch
 *   through one handler map keyed by frame type (chat: `modules/chat/frame-handlers.ts`, meetings and
 *   guests: `modules/meetings/frame-handlers.ts`, one handler per type, enforced by the types);
 * - the hub, which an authenticated connection joins and a closed one leaves.
 *
 * Protocol: the client's first frame is `{type:"auth", token}` (the same bearer token as HTTP, never
 * in the URL) within AUTH_TIMEOUT_MS; the server answers `ready` with the token's expiry. Sending
 * `auth` again on the open socket re-authenticates before expiry; otherwise the socket closes with
 * WS_CLOSE_CODES.tokenExpired. Frames are the unions in `@collaro/shared` (ws/frames.ts); a bad frame
 * gets an `error` frame and the socket stays open, a frame over 64 KiB closes it with 1009, and a
 * client over its frame budget gets `rate_limited`. What one connection can make the server do is
 * bounded (see RealtimeLimits in connection.ts): frames queued behind each other, refusals it keeps
 * provoking, and history replayed per second; past the first two it is told and disconnected.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { MAX_CLIENT_FRAME_BYTES, WS_CLOSE_CODES } from '@collaro/shared';
import type { AuthIdentity } from '../auth/provider.js';
import { UserBudgets } from './budgets.js';
import { Connection } from './connection.js';
import { FrameRouter, type FrameHandlerMaps } from './frame-router.js';
import type { RealtimeHub } from './realtime-hub.js';

export { DEFAULT_REALTIME_LIMITS, type GatewayConnection, type RealtimeLimits } from './connection.js';
export type * from './realtime-service.js';

export const GATEWAY_PATH = '/ws';

/** How often connections are checked against their auth deadline or token expiry. */
const DEADLINE_SWEEP_MS = 500;

/** How long shutdown waits for clients to answer the close handshake. */
const SHUTDOWN_GRACE_MS = 1_000;

export interface RealtimePluginOptions {
  /** Built first (app.ts): the connections authenticated here join its topics. */
  hub: RealtimeHub;
  handlers: FrameHandlerMaps;
  /** Turns an auth frame's token into an identity (a member's or a meeting guest's). */
  authenticate: (token: string) => Promise<AuthIdentity>;
}

export const realtimePlugin = fp(
  async function realtimePlugin(app: FastifyInstance, options: RealtimePluginOptions) {
    const { hub } = options;
    const connections = hub.topics.connections;
    const budgets = new UserBudgets(hub.limits);
    const router = new FrameRouter({ hub, budgets, handlers: options.handlers, authenticate: options.authenticate, log: app.log });

    function slowConsumer(connection: Connection) {
      app.log.warn({ connectionId: connection.id, buffered: connection.socket.bufferedAmount }, 'disconnecting slow realtime consumer');
      connection.close(WS_CLOSE_CODES.slowConsumer, 'slow consumer: send buffer full');
      // Its queue will not drain: drop the socket instead of waiting for the close handshake.
      connection.socket.terminate();
    }

    let sweeps = 0;
    const deadlineSweep = setInterval(() => {
      const now = Date.now();
      if (++sweeps % 60 === 0) {
        budgets.prune((userId) => hub.topics.connectionsOf(userId).size > 0);
        hub.prune(now);
      }
      for (const connection of connections) {
        if (connection.deadline > now || connection.closing) continue;
        if (connection.authenticated) connection.close(WS_CLOSE_CODES.tokenExpired, 'token expired: authenticate again');
        else connection.close(WS_CLOSE_CODES.authTimeout, 'no auth frame in time');
      }
    }, DEADLINE_SWEEP_MS);
    deadlineSweep.unref();

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
      if (connection) router.receive(connection, data, isBinary);
    }
    // ws reports oversize frames (it closes with 1009 itself) and broken sockets here; neither may reach the process.
    function onSocketError(this: WebSocket, error: Error) {
      app.log.debug({ err: error, connectionId: connectionOf.get(this)?.id }, 'realtime socket error');
    }
    function onSocketClose(this: WebSocket) {
      const connection = connectionOf.get(this);
      if (!connection) return;
      connection.closing = true;
      hub.detach(connection);
    }

    function accept(socket: WebSocket) {
      const connection = new Connection(socket, hub.limits, slowConsumer);
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
    });
  },
  { name: 'collaro-realtime', dependencies: ['collaro-auth'] },
);
