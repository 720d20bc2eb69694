import type { FastifyBaseLogger } from 'fastify';
import { PRESENCE_ORG_PUSH_LIMIT, type PresenceStatus, type ServerFrame } from '@collaro/shared';
import type { Queryable } from '../db/client.js';
import { BatchLoader } from '../db/batch-loader.js';
import { filterOrgPeers, listOrgIdsOfUser } from '../modules/channels/repository.js';
import { countMembersOfOrgs, listMemberIdsByOrg } from './access-repository.js';
import type { Connection } from './connection.js';
import type { PresenceStore } from './presence-store.js';
import { orgPresenceTopic, userPresenceTopic, type TopicHub } from './topic-hub.js';

/** How long an organization's member count is trusted when deciding how to share presence. */
const ORG_SIZE_TTL_MS = 60_000;
/**
 * How long a small organization's member list is trusted for the presence snapshot a new
 * connection gets. Someone who joined since shows up at their next status change.
 */
const ORG_MEMBERS_TTL_MS = 15_000;

/**
 * Who is online. Each instance records the status of the users it serves in the presence store
 * (merged across instances through Redis), then publishes the merged status: to everyone in
 * organizations of up to PRESENCE_ORG_PUSH_LIMIT members, and to connections that asked for that
 * user with `presence.subscribe`.
 */
export class Presence {
  private readonly inMeeting = new Set<string>();
  /** Organizations of users seen on this instance, for presence updates after their last socket closes. */
  readonly orgsOfUser = new Map<string, string[]>();
  private readonly queue = new Map<string, Promise<void>>();
  private readonly orgSizes = new Map<string, { size: number; at: number }>();
  private readonly orgMembers = new Map<string, { members: string[]; at: number }>();
  // Batched: when every client of a restarted instance reconnects at once, a few queries answer them all.
  private readonly sizeLoader = new BatchLoader((orgIds: string[]) => countMembersOfOrgs(this.db, orgIds));
  private readonly memberLoader = new BatchLoader((orgIds: string[]) => listMemberIdsByOrg(this.db, orgIds));

  constructor(
    private readonly db: Queryable,
    private readonly store: PresenceStore,
    private readonly hub: TopicHub,
    private readonly publish: (topics: string[], frame: ServerFrame) => void,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Organizations small enough for every member to get everyone's presence. */
  async pushOrgs(orgIds: string[]): Promise<string[]> {
    const now = Date.now();
    const sizes = await Promise.all(
      orgIds.map(async (orgId) => {
        const cached = this.orgSizes.get(orgId);
        if (cached && now - cached.at < ORG_SIZE_TTL_MS) return cached.size;
        const size = (await this.sizeLoader.load(orgId)) ?? 0;
        this.orgSizes.set(orgId, { size, at: Date.now() });
        return size;
      }),
    );
    return orgIds.filter((_, index) => sizes[index]! <= PRESENCE_ORG_PUSH_LIMIT);
  }

  /** After a membership change: these organizations' sizes and member lists are read again when next needed. */
  forgetOrgs(orgIds: Iterable<string>) {
    for (const orgId of orgIds) {
      this.orgSizes.delete(orgId);
      this.orgMembers.delete(orgId);
    }
  }

  private localStatus(userId: string): PresenceStatus {
    if (this.inMeeting.has(userId)) return 'in_meeting';
    const local = this.hub.connectionsOf(userId);
    if (local.size === 0) return 'offline';
    // Do-not-disturb on any device holds for the person; otherwise any device in use makes them online.
    if ([...local].some((connection) => connection.chosenStatus === 'dnd')) return 'dnd';
    for (const connection of local) if (connection.chosenStatus === 'online') return 'online';
    return 'away';
  }

  /** Records this instance's view of a user, then tells their organizations the merged status. */
  refresh(userId: string): Promise<void> {
    const previous = this.queue.get(userId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        await this.store.set(userId, this.localStatus(userId));
        const status = (await this.store.get([userId])).get(userId) ?? 'offline';
        const orgIds = this.orgsOfUser.get(userId) ?? (await listOrgIdsOfUser(this.db, userId));
        const pushOrgIds = await this.pushOrgs(orgIds);
        this.publish([...pushOrgIds.map(orgPresenceTopic), userPresenceTopic(userId)], { type: 'presence.update', userId, status });
      })
      .catch((error: unknown) => this.log.warn({ err: error, userId }, 'presence update failed'));
    this.queue.set(userId, next);
    void next.then(() => {
      if (this.queue.get(userId) === next) this.queue.delete(userId);
    });
    return next;
  }

  async setInMeeting(userId: string, value: boolean) {
    if (value) this.inMeeting.add(userId);
    else this.inMeeting.delete(userId);
    await this.refresh(userId);
  }

  /** Everyone present in these organizations, for a connection that just authenticated. */
  async snapshot(pushOrgIds: string[]): Promise<ServerFrame> {
    const now = Date.now();
    const lists = await Promise.all(
      pushOrgIds.map(async (orgId) => {
        const cached = this.orgMembers.get(orgId);
        if (cached && now - cached.at < ORG_MEMBERS_TTL_MS) return cached.members;
        const members = (await this.memberLoader.load(orgId)) ?? [];
        this.orgMembers.set(orgId, { members, at: Date.now() });
        return members;
      }),
    );
    const peers = pushOrgIds.length === 1 ? lists[0]! : [...new Set(lists.flat())];
    const statuses = await this.store.get(peers);
    return {
      type: 'presence.snapshot',
      users: [...statuses].filter(([, status]) => status !== 'offline').map(([userId, status]) => ({ userId, status })),
    };
  }

  /** Answers `presence.subscribe`: the connection now hears these people (those it may see) instead of its earlier list. */
  async subscribe(connection: Connection, userIds: string[]) {
    const peers = await filterOrgPeers(this.db, connection.userId, [...new Set(userIds.map((id) => id.toLowerCase()))]);
    const presenceTopics = new Set(peers.map(userPresenceTopic));
    const kept = [...connection.topics].filter((topic) => !connection.presenceTopics?.has(topic));
    connection.presenceTopics = presenceTopics;
    this.hub.subscribe(connection, new Set([...kept, ...presenceTopics]));
    const statuses = await this.store.get(peers);
    connection.send({ type: 'presence.changes', users: [...statuses].map(([userId, status]) => ({ userId, status })) });
  }

  async close() {
    await Promise.allSettled([...this.queue.values()]);
    await this.store.close();
  }
}
