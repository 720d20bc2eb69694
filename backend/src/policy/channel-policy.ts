import { permissionsFor, type Permission } from '@collaro/shared';
import type { Queryable } from '../db/client.js';
import { conflict, forbidden, notFound } from '../domain-errors.js';
import { findChannelWithAccess, type ChannelAccessRow, type ChannelRow } from '../modules/channels/repository.js';
import { listMemberRoles } from '../modules/orgs/repository.js';
import { listTeamMemberIds } from '../modules/teams/repository.js';
import type { OrgAccess } from './org-access.js';

/**
 * Channel rules, part of the one policy (see policy.ts): outside the channel's organization the
 * channel does not exist (404). Team channels are read and written by the team's members; an org
 * admin (org:teams:read_all) may also read them. Direct-message and meeting channels are read and
 * written only by their members. Editing is the author's; deleting is the author's or a moderator's
 * (org:messages:moderate). An archived channel is read-only for everyone until it is unarchived.
 */
export type ChannelAction = 'read' | 'write';

export interface ChannelAccess extends OrgAccess {
  channel: ChannelRow;
  /** May post, edit own messages and react (a member of a channel that is not archived). */
  canWrite: boolean;
}

const archived = () => conflict('This channel is archived: it takes no new messages, edits or reactions until a team lead or admin unarchives it');

/** What a user may do in a channel given their place in it; null when they may not even read it. */
export function channelAccessOf(row: ChannelAccessRow): ChannelAccess | null {
  if (!row.orgRole) return null;
  const permissions = permissionsFor(row.orgRole, row.teamRole, row.grantedPermissions ?? []);
  const member = row.kind === 'team' ? row.teamRole !== null : row.isChannelMember;
  const canRead = member || (row.kind === 'team' && permissions.has('org:teams:read_all'));
  if (!canRead || !permissions.has('org:channels:read')) return null;
  const { orgRole, grantedPermissions, teamRole, isChannelMember, ...channel } = row;
  return { orgId: row.orgId, role: orgRole, permissions, channel, canWrite: member && channel.archivedAt === null };
}

export async function requireChannelAccess(
  db: Queryable,
  userId: string,
  channelId: string,
  action: ChannelAction,
  permission?: Permission,
): Promise<ChannelAccess> {
  const row = await findChannelWithAccess(db, channelId, userId);
  if (!row || !row.orgRole) throw notFound('Channel');
  const access = channelAccessOf(row);
  if (!access) throw forbidden('You are not a member of this channel');
  if (action === 'write' && !access.canWrite) {
    const member = row.kind === 'team' ? row.teamRole !== null : row.isChannelMember;
    throw member && access.channel.archivedAt ? archived() : forbidden('You are not a member of this channel');
  }
  if (permission && !access.permissions.has(permission)) throw forbidden();
  return access;
}

/**
 * Everyone who may read a team's channels: its members, and whoever in the organization may read
 * every team (admins). Who to tell when the team gets a channel.
 */
export async function listTeamChannelReaders(db: Queryable, team: { id: string; orgId: string }): Promise<string[]> {
  const [members, roles] = await Promise.all([listTeamMemberIds(db, team.id), listMemberRoles(db, team.orgId)]);
  const readers = new Set(members);
  for (const { userId, role, grantedPermissions } of roles) {
    if (permissionsFor(role, null, grantedPermissions).has('org:teams:read_all')) readers.add(userId);
  }
  return [...readers];
}

/** A line Collaro wrote (a missed call, say) is part of every member's history: nobody edits or deletes it. */
type RevisableMessage = { authorId: string; deletedAt: Date | null; system?: unknown };

export function requireMessageEdit(access: ChannelAccess, message: RevisableMessage, userId: string) {
  if (message.deletedAt) throw notFound('Message');
  if (access.channel.archivedAt) throw archived();
  if (message.system) throw forbidden('Lines Collaro writes (calls) cannot be edited');
  if (message.authorId !== userId || !access.canWrite) throw forbidden('Only the author can edit a message');
}

export function requireMessageDelete(access: ChannelAccess, message: RevisableMessage, userId: string) {
  if (message.deletedAt) throw notFound('Message');
  if (access.channel.archivedAt) throw archived();
  if (message.system) throw forbidden('Lines Collaro writes (calls) cannot be deleted');
  const isAuthor = message.authorId === userId && access.canWrite;
  if (!isAuthor && !access.permissions.has('org:messages:moderate')) {
    throw forbidden('Only the author or an organization admin can delete a message');
  }
}
