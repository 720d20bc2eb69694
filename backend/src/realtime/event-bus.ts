import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/**
 * How gateway instances tell each other what to deliver. A frame travels already serialized, so
 * every instance writes the same string to each of its sockets without re-encoding.
 */
export type BusEvent =
  | { kind: 'frame'; topics: string[]; frame: string; exceptConnectionId?: string }
  /** These users' channel or organization memberships changed: reload what their connections may hear. */
  | { kind: 'access'; userIds: string[] };

export interface EventBus {
  readonly name: 'in-process' | 'redis';
  publish(event: BusEvent): void;
  /** One handler per gateway; every published event, including this instance's own, reaches it once. */
  subscribe(handler: (event: BusEvent) => void): Promise<void>;
  close(): Promise<void>;
}

export class InProcessEventBus implements EventBus {
  readonly name = 'in-process';
  private readonly emitter = new EventEmitter();

  publish(event: BusEvent) {
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
const RECONNECT_BACKOFF_MS = (attempt: number) => Math.min(attempt * 250, 2000);

/** How events reach clients: through Redis to every instance, or (while Redis is away) this instance only. */
export type DeliveryMode = 'shared' | 'local-only';

/**
 * Redis pub/sub between instances. An instance delivers its own events to its own clients at once
 * and ignores their echo from Redis, so while Redis is unreachable its clients keep talking to each
 * other (with a warning), nothing piles up in memory waiting for Redis, and cross-instance
 * delivery resumes by itself when Redis is back.
 */
export class RedisEventBus implements EventBus {
  readonly name = 'redis';
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly instanceId = randomUUID();
  private localHandler: ((event: BusEvent) => void) | undefined;
  private mode: DeliveryMode = 'local-only';

  constructor(
    url: string,
    private readonly onError: (error: Error) => void,
    private readonly onModeChange: (mode: DeliveryMode) => void = () => {},
  ) {
    // No offline queue on the command connection: publishes and presence commands made while Redis
    // is away fail at once instead of queueing without bound.
    this.publisher = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: RECONNECT_BACKOFF_MS,
    });
    this.subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: RECONNECT_BACKOFF_MS });
    this.publisher.on('error', onError);
    this.subscriber.on('error', onError);
    this.publisher.on('ready', () => this.setMode('shared'));
    this.publisher.on('close', () => this.setMode('local-only'));
  }

  get deliveryMode(): DeliveryMode {
    return this.mode;
  }

  publish(event: BusEvent) {
    this.localHandler?.(event);
    if (this.publisher.status !== 'ready') return;
    this.publisher.publish(REDIS_CHANNEL, JSON.stringify({ from: this.instanceId, event })).catch(this.onError);
  }

  async subscribe(handler: (event: BusEvent) => void) {
    this.localHandler = handler;
    this.subscriber.on('message', (_channel: string, text: string) => {
      let message: { from: string; event: BusEvent };
      try {
        message = JSON.parse(text) as { from: string; event: BusEvent };
      } catch (error) {
        this.onError(error as Error);
        return;
      }
      if (message.from !== this.instanceId) handler(message.event);
    });
    // Connecting is not awaited: an unreachable Redis must not keep the server from starting. Both
    // connections retry on their own, and the subscription is renewed on every reconnect.
    this.publisher.connect().catch(this.onError);
    this.subscriber.subscribe(REDIS_CHANNEL).catch(this.onError);
  }

  /** The command connection doubles as the presence store's client. */
  get client(): Redis {
    return this.publisher;
  }

  async close() {
    this.subscriber.disconnect();
    await this.publisher.quit().catch(() => this.publisher.disconnect());
  }

  private setMode(mode: DeliveryMode) {
    if (mode === this.mode) return;
    this.mode = mode;
    this.onModeChange(mode);
  }
}
