import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { ChannelKind } from '@collaro/shared';
import type { Database, Queryable } from '../../db/client.js';
import { anyUuid } from '../../db/any-of.js';
import { channelMembers, channels, memberships, teamMembers } from '../../db/schema/index.js';
import { orgMembersAmong } from '../orgs/memberships-repository.js';

/** Every team gets this channel when it is created. */
export const DEFAULT_CHANNEL_NAME = 'general';

const channelColumns = {
  id: channels.id,
  orgId: channels.orgId,
  kind: channels.kind,
  teamId: channels.teamId,
  meetingId: channels.meetingId,
  name: channels.name,
  isDefault: channels.isDefault,
  lastEventSeq: channels.lastEventSeq,
  archivedAt: channels.archivedAt,
};

export type ChannelRow = Pick<typeof channels.$inferSelect, keyof typeof channelColumns>;

/** Creates a team channel; undefined when the team already has a channel by that name. */
export async function createTeamChannel(
  db: Queryable,
  team: { id: string; orgId: string },
  name: string,
  options: { isDefault?: boolean } = {},
): Promise<ChannelRow | undefined> {
  const [row] = await db
    .insert(channels)
    .values({ orgId: team.orgId, teamId: team.id, kind: 'team', name, isDefault: options.isDefault ?? false })
    .onConflictDoNothing()
    .returning(channelColumns);
  return row;
}

export type ChannelChangeResult = { channel: ChannelRow } | { problem: 'name_taken' | 'default_channel' };

/**
 * Renames a team channel and/or archives or unarchives it. The team's default channel is where
 * every member lands, so it cannot be archived; a name already used in the team is refused.
 */
export async function updateTeamChannel(
  db: Queryable,
  channel: { id: string; teamId: string | null; isDefault: boolean },
  change: { name?: string | undefined; archived?: boolean | undefined },
  now: Date,
): Promise<ChannelChangeResult> {
  if (change.archived && channel.isDefault) return { problem: 'default_channel' };
  if (change.name !== undefined && channel.teamId) {
    const [clash] = await db
      .select({ id: channels.id })
      .from(channels)
      .where(
        and(
          eq(channels.teamId, channel.teamId),
          eq(channels.kind, 'team'),
          sql`lower(${channels.name}) = lower(${change.name})`,
          sql`${channels.id} <> ${channel.id}`,
        ),
      )
      .limit(1);
    if (clash) return { problem: 'name_taken' };
  }
  const [row] = await db
    .update(channels)
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.archived !== undefined ? { archivedAt: change.archived ? now : null } : {}),
    })
    .where(eq(channels.id, channel.id))
    .returning(channelColumns);
  return { channel: row! };
}

/**
 * The chat channel of a meeting, created on first call and returned as is afterwards; `memberIds`
 * (who may read and write it) are added either way. Used by the meetings module.
 */
export async function createMeetingChannel(db: Database, input: { orgId: string; meetingId: string; name: string; memberIds: string[] }): Promise<ChannelRow> {
  return db.transaction(async (tx) => {
    await tx.insert(channels).values({ orgId: input.orgId, kind: 'meeting', meetingId: input.meetingId, name: input.name }).onConflictDoNothing();
    const [channel] = await tx
      .select(channelColumns)
      .from(channels)
      .where(and(eq(channels.kind, 'meeting'), eq(channels.meetingId, input.meetingId)))
      .limit(1);
    if (!channel || channel.orgId !== input.orgId) throw new Error('meeting channel belongs to another organization');
    await addChannelMembers(tx, channel, input.memberIds);
    return channel;
  });
}

export async function findMeetingChannel(db: Queryable, meetingId: string): Promise<ChannelRow | undefined> {
  const [row] = await db
    .select(channelColumns)
    .from(channels)
    .where(and(eq(channels.kind, 'meeting'), eq(channels.meetingId, meetingId)))
    .limit(1);
  return row;
}

/** Adds explicit members (direct messages, meetings); users outside the channel's organization are skipped. */
export async function addChannelMembers(db: Queryable, channel: { id: string; orgId: string }, userIds: string[]) {
  if (userIds.length === 0) return;
  const inOrg = await orgMembersAmong(db, channel.orgId, userIds);
  if (inOrg.size === 0) return;
  await db
    .insert(channelMembers)
    .values([...inOrg].map((userId) => ({ orgId: channel.orgId, channelId: channel.id, userId })))
    .onConflictDoNothing();
}

/**
 * Gives someone who (re)joins an organization back the direct messages they were in: leaving took
 * their channel memberships with it, but a conversation's key still names its people.
 */
export async function restoreDirectMessages(db: Queryable, orgId: string, userId: string) {
  await db.execute(sql`
    insert into ${channelMembers} (org_id, channel_id, user_id)
    select ${channels.orgId}, ${channels.id}, ${userId}
    from ${channels}
    where ${channels.orgId} = ${orgId} and ${channels.kind} = 'dm' and ${userId} = any(string_to_array(${channels.dmKey}, ','))
    on conflict do nothing`);
}

export async function removeChannelMember(db: Queryable, channelId: string, userId: string) {
  await db.delete(channelMembers).where(and(eq(channelMembers.channelId, channelId), eq(channelMembers.userId, userId)));
}

export type DirectMessageResult = { channel: ChannelRow; created: boolean } | { notInOrg: string[] };

/** The direct-message channel of exactly these people, created if it does not exist yet. */
export async function findOrCreateDirectMessage(db: Database, orgId: string, memberIds: string[]): Promise<DirectMessageResult> {
  const ids = [...new Set(memberIds.map((id) => id.toLowerCase()))].sort();
  const inOrg = await orgMembersAmong(db, orgId, ids);
  const missing = ids.filter((id) => !inOrg.has(id));
  if (missing.length > 0) return { notInOrg: missing };
  const dmKey = ids.join(',');
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(channels).values({ orgId, kind: 'dm', name: '', dmKey }).onConflictDoNothing().returning(channelColumns);
    if (created) {
      await tx.insert(channelMembers).values(ids.map((userId) => ({ orgId, channelId: created.id, userId })));
      return { channel: created, created: true };
    }
    const [existing] = await tx
      .select(channelColumns)
      .from(channels)
      .where(and(eq(channels.orgId, orgId), eq(channels.kind, 'dm'), eq(channels.dmKey, dmKey)))
      .limit(1);
    return { channel: existing!, created: false };
  });
}

type MembershipRecord = typeof memberships.$inferSelect;

/** The memberships are left-joined, so each of their columns is null when the caller has none. */
export type ChannelAccessRow = ChannelRow & {
  orgRole: MembershipRecord['role'] | null;
  grantedPermissions: MembershipRecord['grantedPermissions'] | null;
  teamRole: (typeof teamMembers.$inferSelect)['role'] | null;
  isChannelMember: boolean;
};

/** A channel with the caller's organization role, team role and channel membership (joined per user). */
export const channelAccessColumns = {
  ...channelColumns,
  orgRole: memberships.role,
  grantedPermissions: memberships.grantedPermissions,
  teamRole: teamMembers.role,
  isChannelMember: sql<boolean>`${channelMembers.userId} is not null`,
};

/** The channel with the caller's place in its organization, team and member list, in one round trip. */
export async function findChannelWithAccess(db: Queryable, channelId: string, userId: string): Promise<ChannelAccessRow | undefined> {
  const [row] = await db
    .select(channelAccessColumns)
    .from(channels)
    .leftJoin(memberships, and(eq(memberships.orgId, channels.orgId), eq(memberships.userId, userId)))
    .leftJoin(teamMembers, and(eq(teamMembers.teamId, channels.teamId), eq(teamMembers.userId, userId)))
    .leftJoin(channelMembers, and(eq(channelMembers.channelId, channels.id), eq(channelMembers.userId, userId)))
    .where(eq(channels.id, channelId))
    .limit(1);
  return row;
}

/** Several channels with the caller's place in each, in one round trip; a channel outside the caller's organizations has a null role. */
export async function findChannelsWithAccess(db: Queryable, channelIds: string[], userId: string): Promise<ChannelAccessRow[]> {
  if (channelIds.length === 0) return [];
  return db
    .select(channelAccessColumns)
    .from(channels)
    .leftJoin(memberships, and(eq(memberships.orgId, channels.orgId), eq(memberships.userId, userId)))
    .leftJoin(teamMembers, and(eq(teamMembers.teamId, channels.teamId), eq(teamMembers.userId, userId)))
    .leftJoin(channelMembers, and(eq(channelMembers.channelId, channels.id), eq(channelMembers.userId, userId)))
    .where(anyUuid(channels.id, channelIds));
}

/** Every channel in the user's organizations with the user's place in each; the policy filters what is visible. */
export async function listChannelsWithAccess(db: Queryable, userId: string, orgId?: string): Promise<ChannelAccessRow[]> {
  return db
    .select(channelAccessColumns)
    .from(channels)
    .innerJoin(memberships, and(eq(memberships.orgId, channels.orgId), eq(memberships.userId, userId)))
    .leftJoin(teamMembers, and(eq(teamMembers.teamId, channels.teamId), eq(teamMembers.userId, userId)))
    .leftJoin(channelMembers, and(eq(channelMembers.channelId, channels.id), eq(channelMembers.userId, userId)))
    .where(orgId ? eq(channels.orgId, orgId) : undefined)
    .orderBy(asc(channels.kind), asc(channels.name), asc(channels.createdAt), asc(channels.id));
}

/** Members of DM and meeting channels, by channel. */
export async function listExplicitMembers(db: Queryable, channelIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (channelIds.length === 0) return result;
  const rows = await db
    .select({ channelId: channelMembers.channelId, userId: channelMembers.userId })
    .from(channelMembers)
    .where(inArray(channelMembers.channelId, channelIds))
    .orderBy(asc(channelMembers.userId));
  for (const row of rows) {
    const list = result.get(row.channelId) ?? [];
    list.push(row.userId);
    result.set(row.channelId, list);
  }
  return result;
}

/** Who may write in a channel: the team's members, or the explicit members of a DM or meeting. */
export async function listChannelMemberIds(db: Queryable, channel: { id: string; kind: ChannelKind; teamId: string | null }) {
  if (channel.kind === 'team' && channel.teamId) {
    const rows = await db.select({ userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, channel.teamId));
    return rows.map((row) => row.userId);
  }
  return (await listExplicitMembers(db, [channel.id])).get(channel.id) ?? [];
}

export async function listOrgIdsOfUser(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId));
  return rows.map((row) => row.orgId);
}

/** Members of these organizations (the caller's, in practice): whose presence a snapshot covers. */
export async function listMemberIdsOfOrgs(db: Queryable, orgIds: string[]): Promise<string[]> {
  if (orgIds.length === 0) return [];
  const rows = await db.selectDistinct({ userId: memberships.userId }).from(memberships).where(inArray(memberships.orgId, orgIds));
  return rows.map((row) => row.userId);
}

/** Which of `candidateIds` share an organization with the user: the only people whose presence they may see. */
export async function filterOrgPeers(db: Queryable, userId: string, candidateIds: string[]): Promise<string[]> {
  if (candidateIds.length === 0) return [];
  const mine = db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId));
  const rows = await db
    .selectDistinct({ userId: memberships.userId })
    .from(memberships)
    .where(and(inArray(memberships.orgId, mine), anyUuid(memberships.userId, candidateIds)));
  return rows.map((row) => row.userId);
}
