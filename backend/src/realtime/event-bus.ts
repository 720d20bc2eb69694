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

/** Redis pub/sub: every instance publishes to one channel and hears everything, its own events included. */
export class RedisEventBus implements EventBus {
  readonly name = 'redis';
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(
    url: string,
    private readonly onError: (error: Error) => void,
  ) {
    // Commands issued while Redis is briefly unreachable queue up and go out on reconnect.
    this.publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
    this.subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
    this.publisher.on('error', onError);
    this.subscriber.on('error', onError);
  }

  publish(event: BusEvent) {
    this.publisher.publish(REDIS_CHANNEL, JSON.stringify(event)).catch(this.onError);
  }

  async subscribe(handler: (event: BusEvent) => void) {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    this.subscriber.on('message', (_channel: string, text: string) => {
      let event: BusEvent;
      try {
        event = JSON.parse(text) as BusEvent;
      } catch (error) {
        this.onError(error as Error);
        return;
      }
      handler(event);
    });
    await this.subscriber.subscribe(REDIS_CHANNEL);
  }

  /** The publishing connection doubles as the presence store's client. */
  get client(): Redis {
    return this.publisher;
  }

  async close() {
    this.subscriber.disconnect();
    await this.publisher.quit().catch(() => this.publisher.disconnect());
  }
}
