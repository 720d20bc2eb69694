import type { CoreClientFrameType, ClientFrameOf, ClientFrameType, MeetingClientFrameType, Notification, ServerFrame } from '@collaro/shared';
import type { GatewayConnection, RealtimeLimits } from './connection.js';
import type { DeliveryMode, EventBus } from './event-bus.js';

/** What the realtime hub offers the rest of the server (see realtime-hub.ts), and what frame handlers see. */

export interface FrameContext {
  /** The connection the frame came on: its user, its id, and the ways to answer it. */
  connection: GatewayConnection;
  /** The hub, for what goes to other connections (a channel, other users) and the limits. */
  realtime: RealtimeService;
}

export type FrameHandler<T extends ClientFrameType> = (context: FrameContext, frame: ClientFrameOf<T>) => Promise<void> | void;
/** One handler per frame type: a type missing from the map fails the typecheck. */
export type FrameHandlers<T extends ClientFrameType> = { [K in T]: FrameHandler<K> };
/** Frames the gateway itself answers. */
export type GatewayFrameType = 'auth' | 'ping' | 'presence.set' | 'presence.subscribe';
export type ChatFrameHandlers = FrameHandlers<Exclude<CoreClientFrameType, GatewayFrameType>>;
export type MeetingFrameHandlers = FrameHandlers<MeetingClientFrameType>;
/** What a meeting guest's connection may do: a handler for each frame type it may send. */
export type GuestFrameHandlers = Partial<FrameHandlers<Exclude<ClientFrameType, GatewayFrameType>>>;

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
  /**
   * Resolves once every instance has the change queued ahead of anything published later: from the
   * moment an instance receives it, frames for those users wait until their topics are reloaded.
   */
  refreshAccess(userIds: readonly string[]): Promise<void>;
  onConnectionClosed(listener: (closed: { connectionId: string; userId: string }) => void): () => void;
  /** Live authenticated connections on this instance. */
  connectionCount(): number;
}

declare module 'fastify' {
  interface FastifyInstance {
    realtime: RealtimeService;
  }
}
