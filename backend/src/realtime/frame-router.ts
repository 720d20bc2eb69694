import type { FastifyBaseLogger } from 'fastify';
import type { RawData } from 'ws';
import { WS_CLOSE_CODES, parseClientFrame, type ClientFrame, type ClientFrameOf, type ClientFrameType, type FrameErrorCode } from '@collaro/shared';
import type { AuthIdentity } from '../auth/provider.js';
import { DomainError } from '../domain-errors.js';
import type { UserBudgets } from './budgets.js';
import type { Connection } from './connection.js';
import { DOMAIN_ERROR_TO_FRAME_CODE, frameCost, frameRef, rawToText } from './frame-intake.js';
import type { RealtimeHub } from './realtime-hub.js';
import type { ChatFrameHandlers, FrameHandlers, GatewayFrameType, GuestFrameHandlers, MeetingFrameHandlers } from './realtime-service.js';

/**
 * The transport's reading side (the socket side is gateway.ts): what a connection sends, from
 * the raw frame to its handler. Each frame is charged to the user's budget before it is parsed,
 * parsed and validated against the unions in `@collaro/shared`, queued behind the connection's
 * earlier frames, then handled: `auth` here, every other type through one handler map. A handler
 * gets the connection it serves and the hub (FrameContext), and the services it needs were given
 * to it when its map was made (modules/chat/frame-handlers.ts, modules/meetings/frame-handlers.ts).
 */

/**
 * The shortest a connection that ignored `rate_limited` goes unread. Reading resumes with whatever
 * the client queued meanwhile, so pausing in short steps would still read (and drop) most of it.
 */
const MIN_READ_PAUSE_MS = 1_000;

type FrameRef = { type?: string; clientId?: string };
type HandledFrameType = Exclude<ClientFrameType, 'auth'>;

export interface FrameHandlerMaps {
  chat: ChatFrameHandlers;
  meetings: MeetingFrameHandlers;
  /** All a meeting guest's connection may send besides auth and ping (see meetings/guests). */
  guests: GuestFrameHandlers;
}

export interface FrameRouterOptions {
  hub: RealtimeHub;
  budgets: UserBudgets;
  handlers: FrameHandlerMaps;
  /** Turns an auth frame's token into an identity. */
  authenticate: (token: string) => Promise<AuthIdentity>;
  log: FastifyBaseLogger;
}

function refOf(frame: ClientFrame): FrameRef {
  return { type: frame.type, ...('clientId' in frame && typeof frame.clientId === 'string' ? { clientId: frame.clientId } : {}) };
}

export class FrameRouter {
  private readonly hub: RealtimeHub;
  private readonly budgets: UserBudgets;
  private readonly authenticate: (token: string) => Promise<AuthIdentity>;
  private readonly log: FastifyBaseLogger;
  private readonly handlers: FrameHandlers<HandledFrameType>;
  private readonly guestHandlers: Partial<FrameHandlers<HandledFrameType>>;

  constructor(options: FrameRouterOptions) {
    this.hub = options.hub;
    this.budgets = options.budgets;
    this.authenticate = options.authenticate;
    this.log = options.log;
    const hub = this.hub;
    // Frames the transport answers itself; a handler's connection is always one of this transport's.
    const own: FrameHandlers<Exclude<GatewayFrameType, 'auth'>> = {
      ping: ({ connection }, frame) => connection.send({ type: 'pong', ...(frame.nonce ? { nonce: frame.nonce } : {}) }),
      'presence.set': async ({ connection }, frame) => {
        (connection as Connection).chosenStatus = frame.status;
        await hub.refreshPresence(connection.userId);
      },
      'presence.subscribe': ({ connection }, frame) => hub.subscribePresence(connection as Connection, frame.userIds),
    };
    this.handlers = { ...own, ...options.handlers.chat, ...options.handlers.meetings };
    this.guestHandlers = options.handlers.guests;
  }

  /** A frame as the socket delivered it: charged, parsed, then queued behind the connection's others. */
  receive(connection: Connection, data: RawData, isBinary: boolean) {
    if (connection.closing) return;
    const retryAfterMs = connection.budget.frames.take();
    if (retryAfterMs > 0) {
      if (connection.isPaused) return;
      const ref = isBinary ? undefined : frameRef(rawToText(data));
      const refusalWaitMs = connection.budget.refusals.take();
      this.sendError(
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
      this.sendError(connection, 'malformed', 'Frames are JSON text, not binary');
      return;
    }
    const parsed = parseClientFrame(rawToText(data));
    if (!parsed.ok) {
      this.sendError(connection, parsed.code, parsed.message, {
        ...(parsed.type ? { type: parsed.type } : {}),
        ...(parsed.clientId ? { clientId: parsed.clientId } : {}),
      });
      return;
    }
    const frame = parsed.frame;
    // The first token was taken before parsing (so refused frames are never parsed); the rest is owed.
    const cost = frameCost(frame);
    if (cost > 1) connection.budget.frames.charge(cost - 1);
    if (!connection.enqueue(() => this.handle(connection, frame))) {
      this.disconnectBacklogged(connection, `More than ${this.hub.limits.maxQueuedFrames} frames are waiting to be handled; disconnecting`, refOf(frame));
    }
  }

  private async handle(connection: Connection, frame: ClientFrame) {
    if (connection.closing) return;
    try {
      if (frame.type === 'auth') {
        await this.handleAuth(connection, frame);
        return;
      }
      if (!connection.authenticated) {
        this.sendError(connection, 'unauthorized', 'Send an auth frame first', { type: frame.type });
        return;
      }
      await this.dispatch(connection, frame);
    } catch (error) {
      const ref = refOf(frame);
      if (error instanceof DomainError) {
        this.sendError(connection, DOMAIN_ERROR_TO_FRAME_CODE[error.code], error.message, ref);
      } else {
        this.log.error({ err: error, frameType: frame.type, connectionId: connection.id }, 'realtime frame handler failed');
        this.sendError(connection, 'internal', 'The server could not handle this frame', ref);
      }
    }
  }

  private async dispatch<T extends HandledFrameType>(connection: Connection, frame: ClientFrameOf<T>) {
    const type = (frame as ClientFrame).type as T;
    // A guest's connection reaches its meeting's room and chat, and nothing else.
    const guest = connection.guestMeetingId !== null;
    const handler = !guest || type === 'ping' ? this.handlers[type] : this.guestHandlers[type];
    if (!handler) throw new DomainError('forbidden', 'A guest can only take part in the meeting they were invited to and its chat');
    await handler({ connection, realtime: this.hub }, frame);
  }

  private async handleAuth(connection: Connection, frame: ClientFrameOf<'auth'>) {
    let identity: AuthIdentity;
    try {
      identity = await this.authenticate(frame.token);
    } catch (error) {
      const reason = error instanceof DomainError ? error.message : 'invalid token';
      connection.close(WS_CLOSE_CODES.authFailed, `authentication failed: ${reason}`.slice(0, 120));
      return;
    }
    if (connection.closing) return;
    if (this.hub.isRevoked(identity.sessionId)) {
      connection.close(WS_CLOSE_CODES.authFailed, 'authentication failed: Session has ended');
      return;
    }
    if (connection.authenticated) {
      if (identity.userId !== connection.userId) {
        connection.close(WS_CLOSE_CODES.userMismatch, 'token belongs to another user');
        return;
      }
      connection.sessionId = identity.sessionId;
      connection.deadline = identity.expiresAt * 1000;
      connection.send({ type: 'ready', userId: identity.userId, connectionId: connection.id, expiresAt: identity.expiresAt, reauthenticated: true });
      return;
    }
    // Checked before the database is asked anything: reconnecting in a loop costs the server little.
    const budget = this.budgets.of(identity.userId);
    if (budget.connects.take() > 0) {
      this.disconnectBacklogged(connection, 'Too many connections opened in a short time; disconnecting');
      return;
    }
    connection.budget = budget;
    // Known from here on, so a revocation arriving while access loads finds this socket.
    connection.sessionId = identity.sessionId;
    const access = await this.hub.loadAccess(identity.userId);
    if (connection.closing) return;
    connection.setUser(identity.userId, identity.sessionId);
    connection.guestMeetingId = identity.guestMeetingId ?? null;
    this.hub.attach(connection, access);
    // From now on the deadline is the token's expiry: authenticating again before it pushes it back.
    connection.deadline = identity.expiresAt * 1000;
    connection.send({ type: 'ready', userId: identity.userId, connectionId: connection.id, expiresAt: identity.expiresAt, reauthenticated: false });
    await this.hub.refreshPresence(identity.userId);
    connection.send(await this.hub.presenceSnapshot(access.pushOrgIds));
  }

  private sendError(connection: Connection, code: FrameErrorCode, message: string, ref?: FrameRef, retryAfterMs?: number) {
    connection.send({
      type: 'error',
      code,
      message,
      ...(ref ? { ref } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }

  /** Tells the client why, then lets it go: it asked for more work than one connection may queue. */
  private disconnectBacklogged(connection: Connection, message: string, ref?: FrameRef) {
    this.log.warn({ connectionId: connection.id, userId: connection.authenticated ? connection.userId : undefined }, message);
    this.sendError(connection, 'rate_limited', message, ref);
    connection.close(WS_CLOSE_CODES.backlog, message.slice(0, 120));
  }
}
