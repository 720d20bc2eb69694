import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

/** How events reach other instances: through Redis, or (while Redis is away) not at all. */
export type RedisStatus = 'shared' | 'local-only';

const RECONNECT_BACKOFF_MS = (attempt: number) => Math.min(attempt * 250, 2000);

/** How long start-up waits for Redis before going on without it (it keeps retrying in the background). */
const CONNECT_WAIT_MS = 2_000;

/**
 * The app's one link to Redis: a command connection (publishes, presence, rate limits) and one
 * subscribed connection that carries every pub/sub channel the app listens on (realtime events,
 * session revocations). Every message names the instance that sent it, so a listener can skip its
 * own echo.
 */
export class RedisLink {
  readonly instanceId = randomUUID();
  /**
   * The command connection. No offline queue: a command made while Redis is away fails at once
   * (rate limits fall back to counting locally, presence to this instance's view) instead of
   * piling up in memory waiting for Redis.
   */
  readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, (text: string, fromThisInstance: boolean) => void>();
  private readonly statusListeners = new Set<(status: RedisStatus) => void>();
  private current: RedisStatus = 'local-only';

  /** The Redis client library is loaded here, when REDIS_URL is set, not with every server. */
  static async create(url: string, onError: (error: Error) => void): Promise<RedisLink> {
    const { Redis } = await import('ioredis');
    const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: RECONNECT_BACKOFF_MS });
    // The subscriber queues its SUBSCRIBE commands until connected and renews them on every reconnect.
    const subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: RECONNECT_BACKOFF_MS });
    return new RedisLink(client, subscriber, onError);
  }

  private constructor(
    client: Redis,
    subscriber: Redis,
    private readonly onError: (error: Error) => void,
  ) {
    this.client = client;
    this.subscriber = subscriber;
    this.client.on('error', onError);
    this.subscriber.on('error', onError);
    this.client.on('ready', () => this.setStatus('shared'));
    this.client.on('close', () => this.setStatus('local-only'));
    this.subscriber.on('message', (channel: string, text: string) => {
      const handler = this.handlers.get(channel);
      if (!handler) return;
      const separator = text.indexOf('|');
      if (separator < 0) return;
      handler(text.slice(separator + 1), text.slice(0, separator) === this.instanceId);
    });
  }

  /** Connects both connections, waiting at most `waitMs`: an unreachable Redis must not keep the server from starting. */
  async connect(waitMs = CONNECT_WAIT_MS) {
    const ready = Promise.all([this.client.connect(), this.subscriber.connect()]).catch(this.onError);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([ready, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  get status(): RedisStatus {
    return this.current;
  }

  onStatus(listener: (status: RedisStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Sends to every instance listening on `channel` (this one included); false when Redis is unreachable right now. */
  publish(channel: string, text: string): boolean {
    if (this.client.status !== 'ready') return false;
    this.client.publish(channel, `${this.instanceId}|${text}`).catch(this.onError);
    return true;
  }

  /**
   * As `publish`, resolving once Redis has the message, so that whatever any instance publishes
   * after that reaches every listener after it. Resolves at once while Redis is unreachable.
   */
  async publishInOrder(channel: string, text: string): Promise<void> {
    if (this.client.status !== 'ready') return;
    await this.client.publish(channel, `${this.instanceId}|${text}`).catch(this.onError);
  }

  /**
   * One handler per channel; it hears every instance's messages, told which are this instance's own.
   * Not awaited: while Redis is unreachable the subscription waits in the subscriber's queue.
   */
  subscribe(channel: string, handler: (text: string, fromThisInstance: boolean) => void) {
    if (this.handlers.has(channel)) throw new Error(`Redis channel ${channel} already has a handler`);
    this.handlers.set(channel, handler);
    this.subscriber.subscribe(channel).catch(this.onError);
  }

  unsubscribe(channel: string) {
    if (!this.handlers.delete(channel)) return;
    if (this.subscriber.status === 'ready') this.subscriber.unsubscribe(channel).catch(this.onError);
  }

  async close() {
    this.subscriber.disconnect();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private setStatus(status: RedisStatus) {
    if (status === this.current) return;
    this.current = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The link to Redis when REDIS_URL is set; null for a single instance. */
    redis: RedisLink | null;
  }
}

/** Register first: it closes last, after everything that still talks to Redis while closing. */
export const redisPlugin = fp(
  async function redisPlugin(app: FastifyInstance, options: { url: string | undefined }) {
    if (!options.url) {
      app.decorate('redis', null);
      return;
    }
    const link = await RedisLink.create(options.url, (error) => app.log.warn({ err: error }, 'redis error'));
    link.onStatus((status) => {
      if (status === 'local-only') app.log.warn('Redis is unreachable: realtime events and session revocations reach only this instance until it is back');
      else app.log.info('Redis is reachable: realtime events and session revocations are shared with every instance');
    });
    await link.connect();
    app.decorate('redis', link);
    app.addHook('onClose', async () => link.close());
  },
  { name: 'collaro-redis' },
);
