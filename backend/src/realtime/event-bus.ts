import { EventEmitter } from 'node:events';
import type { RedisLink, RedisStatus } from '../plugins/redis.js';

/**
 * How gateway instances tell each other what to deliver. A frame travels already serialized, so
 * every instance writes the same string to each of its sockets without re-encoding.
 */
export type BusEvent =
  | {
      kind: 'frame';
      topics: string[];
      frame: string;
      exceptConnectionId?: string;
      /** Goes out at once even to a connection whose access is being reloaded (see TopicHub.deliver). */
      overtakesHolds?: true;
    }
  /** These users' channel or organization memberships changed: reload what their connections may hear. */
  | { kind: 'access'; userIds: string[] };

export interface EventBus {
  readonly name: 'in-process' | 'redis';
  /** Resolves once the event is on its way to every instance (Redis has it), so later events follow it. */
  publish(event: BusEvent): Promise<void>;
  /** One handler per gateway; every published event, including this instance's own, reaches it once. */
  subscribe(handler: (event: BusEvent) => void): Promise<void>;
  close(): Promise<void>;
}

export class InProcessEventBus implements EventBus {
  readonly name = 'in-process';
  private readonly emitter = new EventEmitter();

  async publish(event: BusEvent) {
    this.emitter.emit('event', event);
  }

  async subscribe(handler: (event: BusEvent) => void) {
    this.emitter.on('event', handler);
  }

  async close() {
    this.emitter.removeAllListeners();
  }
}

const REDIS_CHANNEL = 'collaro:realtime';

/** How events reach clients: through Redis to every instance, or (while Redis is away) this instance only. */
export type DeliveryMode = RedisStatus;

/**
 * Events between instances over the app's Redis link (plugins/redis.ts). An instance delivers its
 * own events to its own clients at once and ignores their echo from Redis, so while Redis is
 * unreachable its clients keep talking to each other (with a warning), nothing piles up in memory
 * waiting for Redis, and cross-instance delivery resumes by itself when Redis is back.
 */
export class RedisEventBus implements EventBus {
  readonly name = 'redis';
  private localHandler: ((event: BusEvent) => void) | undefined;

  constructor(
    private readonly link: RedisLink,
    private readonly onError: (error: Error) => void,
  ) {}

  get deliveryMode(): DeliveryMode {
    return this.link.status;
  }

  publish(event: BusEvent): Promise<void> {
    this.localHandler?.(event);
    // Frames are sent and forgotten; a membership change is awaited (see RealtimeService.refreshAccess).
    if (event.kind === 'access') return this.link.publishInOrder(REDIS_CHANNEL, JSON.stringify(event));
    this.link.publish(REDIS_CHANNEL, JSON.stringify(event));
    return Promise.resolve();
  }

  async subscribe(handler: (event: BusEvent) => void) {
    this.localHandler = handler;
    this.link.subscribe(REDIS_CHANNEL, (text, fromThisInstance) => {
      if (fromThisInstance) return;
      let event: BusEvent;
      try {
        event = JSON.parse(text) as BusEvent;
      } catch (error) {
        this.onError(error as Error);
        return;
      }
      handler(event);
    });
  }

  async close() {
    this.localHandler = undefined;
    this.link.unsubscribe(REDIS_CHANNEL);
  }
}
