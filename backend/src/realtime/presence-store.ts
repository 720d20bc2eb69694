import type { Redis } from 'ioredis';
import type { PresenceStatus } from '@collaro/shared';

/** Ranks statuses so a user on several instances shows the most present one; do-not-disturb on any device wins over online. */
const RANK: Record<PresenceStatus, number> = { offline: 0, away: 1, online: 2, dnd: 3, in_meeting: 4 };

export function mostPresent(statuses: Iterable<PresenceStatus>): PresenceStatus {
  let best: PresenceStatus = 'offline';
  for (const status of statuses) if (RANK[status] > RANK[best]) best = status;
  return best;
}

/** Each instance records the status of the users it serves; readers see the merge across instances. */
export interface PresenceStore {
  set(userId: string, status: PresenceStatus): Promise<void>;
  get(userIds: string[]): Promise<Map<string, PresenceStatus>>;
  close(): Promise<void>;
}

export class InMemoryPresenceStore implements PresenceStore {
  private readonly statuses = new Map<string, PresenceStatus>();

  async set(userId: string, status: PresenceStatus) {
    if (status === 'offline') this.statuses.delete(userId);
    else this.statuses.set(userId, status);
  }

  async get(userIds: string[]) {
    return new Map(userIds.map((id) => [id, this.statuses.get(id) ?? 'offline'] as const));
  }

  async close() {}
}

const INSTANCES_KEY = 'collaro:presence:instances';
const instanceKey = (instanceId: string) => `collaro:presence:${instanceId}`;
/** A killed instance's users fall back to offline once its hash expires. */
const INSTANCE_TTL_SECONDS = 45;
const HEARTBEAT_MS = 15_000;

export class RedisPresenceStore implements PresenceStore {
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly instanceId: string,
    private readonly onError: (error: Error) => void,
  ) {
    this.heartbeat = setInterval(() => {
      this.redis.expire(instanceKey(this.instanceId), INSTANCE_TTL_SECONDS).catch(this.onError);
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async set(userId: string, status: PresenceStatus) {
    const key = instanceKey(this.instanceId);
    if (status === 'offline') {
      await this.redis.hdel(key, userId);
      return;
    }
    await this.redis.multi().hset(key, userId, status).expire(key, INSTANCE_TTL_SECONDS).sadd(INSTANCES_KEY, this.instanceId).exec();
  }

  async get(userIds: string[]) {
    const result = new Map<string, PresenceStatus>(userIds.map((id) => [id, 'offline']));
    if (userIds.length === 0) return result;
    const instances = await this.redis.smembers(INSTANCES_KEY);
    for (const instance of instances) {
      const key = instanceKey(instance);
      const [exists, values] = await Promise.all([this.redis.exists(key), this.redis.hmget(key, ...userIds)]);
      if (!exists) {
        await this.redis.srem(INSTANCES_KEY, instance);
        continue;
      }
      values.forEach((value, index) => {
        const userId = userIds[index]!;
        if (value) result.set(userId, mostPresent([result.get(userId)!, value as PresenceStatus]));
      });
    }
    return result;
  }

  async close() {
    clearInterval(this.heartbeat);
    await this.redis.del(instanceKey(this.instanceId)).catch(this.onError);
    await this.redis.srem(INSTANCES_KEY, this.instanceId).catch(this.onError);
  }
}

/**
 * Redis presence with this instance's own view as the fallback: while Redis is unreachable,
 * presence keeps working for the users connected here instead of failing their connections.
 */
export class FallbackPresenceStore implements PresenceStore {
  private readonly local = new InMemoryPresenceStore();

  constructor(
    private readonly shared: PresenceStore,
    private readonly onError: (error: Error) => void,
  ) {}

  async set(userId: string, status: PresenceStatus) {
    await this.local.set(userId, status);
    await this.shared.set(userId, status).catch(this.onError);
  }

  async get(userIds: string[]) {
    try {
      return await this.shared.get(userIds);
    } catch (error) {
      this.onError(error as Error);
      return this.local.get(userIds);
    }
  }

  async close() {
    await Promise.allSettled([this.shared.close(), this.local.close()]);
  }
}
