import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { anyUuid } from '../db/any-of.js';
import { BatchLoader } from '../db/batch-loader.js';
import { channelMembers, channels, memberships, teamMembers } from '../db/schema/index.js';
import { channelAccessColumns, type ChannelAccessRow } from '../modules/channels/repository.js';

export interface UserAccessRows {
  orgIds: string[];
  /** Every channel in the user's organizations with the user's place in each; the policy filters what is visible. */
  channels: ChannelAccessRow[];
}

/**
 * For several users at once, in one query: their organizations and every channel in them with
 * each user's place (what `listOrgIdsOfUser` and `listChannelsWithAccess` give for one user).
 * The realtime gateway asks this for all the sockets authenticating at the same moment.
 */
export async function listAccessOfUsers(db: Queryable, userIds: readonly string[]): Promise<Map<string, UserAccessRows>> {
  const result = new Map<string, UserAccessRows>();
  if (userIds.length === 0) return result;
  const rows = await db
    .select({
      userId: memberships.userId,
      memberOrgId: memberships.orgId,
      orgRole: memberships.role,
      grantedPermissions: memberships.grantedPermissions,
      id: channels.id,
      orgId: channels.orgId,
      kind: channels.kind,
      teamId: channels.teamId,
      meetingId: channels.meetingId,
      name: channels.name,
      isDefault: channels.isDefault,
      lastEventSeq: channels.lastEventSeq,
      archivedAt: channels.archivedAt,
      teamRole: teamMembers.role,
      isChannelMember: sql<boolean>`${channelMembers.userId} is not null`,
    })
    .from(memberships)
    .leftJoin(channels, eq(channels.orgId, memberships.orgId))
    .leftJoin(teamMembers, and(eq(teamMembers.teamId, channels.teamId), eq(teamMembers.userId, memberships.userId)))
    .leftJoin(channelMembers, and(eq(channelMembers.channelId, channels.id), eq(channelMembers.userId, memberships.userId)))
    .where(anyUuid(memberships.userId, userIds));
  for (const userId of userIds) result.set(userId, { orgIds: [], channels: [] });
  for (const { userId, memberOrgId, id, orgId, kind, name, isDefault, lastEventSeq, ...row } of rows) {
    const access = result.get(userId)!;
    if (!access.orgIds.includes(memberOrgId)) access.orgIds.push(memberOrgId);
    // An organization without channels still counts (the left join gave one row with no channel).
    if (id === null || orgId === null || kind === null || name === null || isDefault === null || lastEventSeq === null) continue;
    access.channels.push({ ...row, id, orgId, kind, name, isDefault, lastEventSeq });
  }
  return result;
}

/** Member counts of several organizations, in one query (an organization with no members is absent). */
export async function countMembersOfOrgs(db: Queryable, orgIds: readonly string[]): Promise<Map<string, number>> {
  if (orgIds.length === 0) return new Map();
  const rows = await db
    .select({ orgId: memberships.orgId, n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(anyUuid(memberships.orgId, orgIds))
    .groupBy(memberships.orgId);
  return new Map(rows.map((row) => [row.orgId, Number(row.n)]));
}

/** The members of several organizations, by organization, in one query. */
export async function listMemberIdsByOrg(db: Queryable, orgIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(orgIds.map((orgId) => [orgId, []]));
  if (orgIds.length === 0) return result;
  const rows = await db.select({ orgId: memberships.orgId, userId: memberships.userId }).from(memberships).where(anyUuid(memberships.orgId, orgIds));
  for (const row of rows) result.get(row.orgId)?.push(row.userId);
  return result;
}

/** One user's question: these channels, with the user's place in each. */
interface ChannelsAsked {
  userId: string;
  channelIds: readonly string[];
}

/**
 * Several users' `findChannelsWithAccess` questions in one query: the rows of each (user, channel)
 * pair the user's organizations contain. A channel outside the user's organizations has no row
 * (`findChannelsWithAccess` gives it a null role): both mean "not found" to the caller.
 */
export async function findChannelsWithAccessOfUsers(db: Queryable, asked: readonly ChannelsAsked[]): Promise<Map<ChannelsAsked, ChannelAccessRow[]>> {
  const result = new Map<ChannelsAsked, ChannelAccessRow[]>(asked.map((question) => [question, []]));
  const userIds = asked.flatMap(({ userId, channelIds }) => channelIds.map(() => userId));
  const channelIds = asked.flatMap(({ channelIds: ids }) => ids);
  if (channelIds.length === 0) return result;
  const rows = await db
    .select({ askedBy: memberships.userId, ...channelAccessColumns })
    .from(channels)
    .innerJoin(memberships, eq(memberships.orgId, channels.orgId))
    .leftJoin(teamMembers, and(eq(teamMembers.teamId, channels.teamId), eq(teamMembers.userId, memberships.userId)))
    .leftJoin(channelMembers, and(eq(channelMembers.channelId, channels.id), eq(channelMembers.userId, memberships.userId)))
    .where(
      and(
        // The two lists let the planner go by index; the pairs keep each user to the channels they asked about.
        anyUuid(memberships.userId, [...new Set(userIds)]),
        anyUuid(channels.id, [...new Set(channelIds)]),
        sql`(${memberships.userId}, ${channels.id}) in (select * from unnest(${sql.param(userIds)}::uuid[], ${sql.param(channelIds)}::uuid[]))`,
      ),
    );
  const byUser = new Map<string, ChannelAccessRow[]>();
  for (const { askedBy, ...row } of rows) {
    const list = byUser.get(askedBy);
    if (list) list.push(row);
    else byUser.set(askedBy, [row]);
  }
  for (const question of asked) {
    const wanted = new Set(question.channelIds);
    result.set(
      question,
      (byUser.get(question.userId) ?? []).filter((row) => wanted.has(row.id)),
    );
  }
  return result;
}

/** During a burst (every client of a restarted instance resuming), how long a batch waits for more questions. */
const RESUME_BURST_COLLECT_MS = 40;
const channelLoaders = new WeakMap<Queryable, BatchLoader<ChannelsAsked, ChannelAccessRow[]>>();

/**
 * `findChannelsWithAccess`, answered together with the other users asking at the same moment: a
 * reconnect storm's `resume` frames cost a few queries instead of one each.
 */
export async function findChannelsWithAccessTogether(db: Queryable, channelIds: string[], userId: string): Promise<ChannelAccessRow[]> {
  if (channelIds.length === 0) return [];
  let loader = channelLoaders.get(db);
  if (!loader) {
    loader = new BatchLoader((asked) => findChannelsWithAccessOfUsers(db, asked), { collectMs: RESUME_BURST_COLLECT_MS });
    channelLoaders.set(db, loader);
  }
  return (await loader.load({ userId, channelIds })) ?? [];
}
