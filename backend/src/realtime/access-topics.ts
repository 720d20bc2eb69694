import type { Queryable } from '../db/client.js';
import { channelAccessOf } from '../policy/channel-policy.js';
import { BatchLoader } from '../db/batch-loader.js';
import { listAccessOfUsers, type UserAccessRows } from './access-repository.js';
import { findGuestChannelId } from '../modules/guests/repository.js';
import type { Presence } from './presence.js';
import { channelTopic, orgPresenceTopic, orgTopic, type TopicHub } from './topic-hub.js';

/**
 * How long what a user may hear is reused for their next sockets without asking the database. Every
 * change of membership reaches `reload` (RealtimeService.refreshAccess) and drops the entry at once,
 * on every instance; the time limit is the backstop for a change whose announcement was lost.
 */
export const ACCESS_CACHE_TTL_MS = 30_000;
/** During a burst of authentications, how long a batch of access lookups waits for more (see BatchLoader). */
export const BURST_COLLECT_MS = 40;
/** Most users whose access is remembered; the oldest entry goes first past it. */
const ACCESS_CACHE_MAX_USERS = 50_000;

/** What the database said a user may hear: their organizations and the channels they may read. */
interface CachedAccess {
  orgIds: readonly string[];
  channelTopics: readonly string[];
  /** Channel topic -> organization, for telling a client which organization a new channel is in. */
  channelOrgs: ReadonlyMap<string, string>;
  loadedAt: number;
}

/** Which topics a user's connections may hear, from the same policy the HTTP routes use. */
export class AccessTopics {
  /** One query for every socket authenticating (or reloading) at the same moment. */
  private readonly loader: BatchLoader<string, UserAccessRows>;
  /**
   * Recently loaded access, so a user's further sockets (a second device, a reconnect after a
   * network blip) authenticate without a query. Guests (in no organization) are never kept: their
   * one channel comes and goes with the meeting.
   */
  private readonly cache = new Map<string, CachedAccess>();
  /** Loads in flight by user; a change announced meanwhile marks them stale, so their answer is not kept. */
  private readonly loading = new Map<string, Set<{ stale: boolean }>>();

  constructor(
    private readonly db: Queryable,
    private readonly hub: TopicHub,
    private readonly presence: Presence,
    private readonly clock: () => number = Date.now,
  ) {
    this.loader = new BatchLoader((userIds) => listAccessOfUsers(this.db, userIds), { collectMs: BURST_COLLECT_MS });
  }

  /**
   * Their organizations and every channel they may read (a meeting's guest: its chat). A socket
   * authenticating asks again when a change was announced meanwhile (its connection may not have
   * been there to be reloaded); a reload takes the answer as it is, because the change that made it
   * stale queued a reload of its own right behind it, which then tells the connection what it gained.
   */
  async load(userId: string, { retryWhenStale = true } = {}) {
    const access = await this.access(userId, retryWhenStale);
    const pushOrgIds = await this.presence.pushOrgs([...access.orgIds]);
    // The user's own topic comes with authentication (TopicHub.addUser).
    const topics = new Set<string>(access.orgIds.map(orgTopic));
    for (const orgId of pushOrgIds) topics.add(orgPresenceTopic(orgId));
    for (const topic of access.channelTopics) topics.add(topic);
    return { orgIds: [...access.orgIds], pushOrgIds, topics, channelOrgs: access.channelOrgs };
  }

  private async access(userId: string, retryWhenStale: boolean): Promise<CachedAccess> {
    const cached = this.cache.get(userId);
    if (cached && this.clock() - cached.loadedAt < ACCESS_CACHE_TTL_MS) return cached;
    if (cached) this.cache.delete(userId);
    // A change announced while the query ran may not be in its answer: ask again (rarely more than once).
    for (let attempt = 1; ; attempt += 1) {
      const load = { stale: false };
      const loads = this.loading.get(userId) ?? new Set();
      this.loading.set(userId, loads.add(load));
      try {
        const loaded = await this.query(userId);
        if (!load.stale && loaded.orgIds.length > 0) this.remember(userId, loaded);
        if (!load.stale || !retryWhenStale || attempt === 3) return loaded;
      } finally {
        loads.delete(load);
        if (loads.size === 0 && this.loading.get(userId) === loads) this.loading.delete(userId);
      }
    }
  }

  private async query(userId: string): Promise<CachedAccess> {
    const loadedAt = this.clock();
    const { orgIds, channels: rows } = (await this.loader.load(userId)) ?? { orgIds: [], channels: [] };
    const channelTopics: string[] = [];
    const channelOrgs = new Map<string, string>();
    // Someone in no organization may be a meeting's guest, who hears that meeting's chat and nothing else.
    const guestChannelId = orgIds.length === 0 ? await findGuestChannelId(this.db, userId) : undefined;
    if (guestChannelId) channelTopics.push(channelTopic(guestChannelId));
    for (const row of rows) {
      if (!channelAccessOf(row)) continue;
      channelTopics.push(channelTopic(row.id));
      channelOrgs.set(channelTopic(row.id), row.orgId);
    }
    return { orgIds, channelTopics, channelOrgs, loadedAt };
  }

  private remember(userId: string, access: CachedAccess) {
    if (this.cache.size >= ACCESS_CACHE_MAX_USERS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(userId, access);
  }

  /** A change of these users' memberships was announced: their next load asks the database. */
  private forget(userIds: readonly string[]) {
    for (const userId of userIds) {
      this.cache.delete(userId);
      for (const load of this.loading.get(userId) ?? []) load.stale = true;
    }
  }

  /** Drops expired entries (called now and then). */
  prune() {
    const now = this.clock();
    for (const [userId, access] of this.cache) if (now - access.loadedAt >= ACCESS_CACHE_TTL_MS) this.cache.delete(userId);
  }

  /** The reload in progress (or queued) for each user: one at a time per user, in arrival order. */
  private readonly pending = new Map<string, Promise<void>>();

  /**
   * After a membership change: resubscribes the users' connections here and tells them of channels
   * they gained. Their connections are held from the moment the change arrives (synchronously, so
   * before any frame published after it) until their topics are known again: a message posted just
   * after someone left a team waits, then goes only where it still may. Reloads of one user run one
   * after the other, so an older answer never replaces a newer one.
   */
  reload(userIds: string[]): Promise<void> {
    this.forget(userIds);
    for (const userId of userIds) this.presence.forgetOrgs(this.presence.orgsOfUser.get(userId) ?? []);
    return Promise.all(
      userIds.map((userId) => {
        const held = [...this.hub.connectionsOf(userId)];
        if (held.length === 0) return Promise.resolve();
        for (const connection of held) this.hub.hold(connection);
        const previous = this.pending.get(userId) ?? Promise.resolve();
        const next = previous
          .then(() => this.reloadUser(userId))
          .finally(() => {
            for (const connection of held) this.hub.unhold(connection);
            if (this.pending.get(userId) === next) this.pending.delete(userId);
          });
        this.pending.set(userId, next);
        return next;
      }),
    ).then(() => undefined);
  }

  private async reloadUser(userId: string) {
    const local = this.hub.connectionsOf(userId);
    if (local.size === 0) return;
    const { orgIds, topics, channelOrgs } = await this.load(userId, { retryWhenStale: false });
    this.presence.orgsOfUser.set(userId, orgIds);
    for (const connection of local) {
      if (connection.closing) continue;
      const added = [...topics].filter((topic) => !connection.topics.has(topic));
      this.hub.subscribe(connection, new Set([...topics, ...(connection.presenceTopics ?? [])]));
      for (const topic of added) {
        const orgId = channelOrgs.get(topic);
        if (orgId) connection.send({ type: 'channel.added', channelId: topic.slice(2), orgId });
      }
    }
  }
}
