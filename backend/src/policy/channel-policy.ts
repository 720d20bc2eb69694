import { permissionsFor, type Permission } from '@collaro/shared';
import type { Queryable } from '../db/client.js';
import { forbidden, notFound } from '../http-errors.js';
import { findChannelWithAccess, type ChannelAccessRow, type ChannelRow } from '../repositories/channels-repository.js';
import type { OrgAccess } from './policy.js';

/**
 * Channel rules, part of the one policy (see policy.ts): outside the channel's organization the
 * channel does not exist (404). Team channels are read and written by the team's members; an org
 * admin (org:teams:read_all) may also read them. Direct-message and meeting channels are read and
 * written only by their members. Editing is the author's; deleting is the author's or a moderator's
 * (org:messages:moderate).
 */
export type ChannelAction = 'read' | 'write';

export interface ChannelAccess extends OrgAccess {
  channel: ChannelRow;
  /** May post, edit own messages and react. */
  canWrite: boolean;
}

/** What a user may do in a channel given their place in it; null when they may not even read it. */
export function channelAccessOf(row: ChannelAccessRow): ChannelAccess | null {
  if (!row.orgRole) return null;
  const permissions = permissionsFor(row.orgRole, row.teamRole, row.grantedPermissions ?? []);
  const member = row.kind === 'team' ? row.teamRole !== null : row.isChannelMember;
  const canRead = member || (row.kind === 'team' && permissions.has('org:teams:read_all'));
  if (!canRead || !permissions.has('org:channels:read')) return null;
  const { orgRole, grantedPermissions, teamRole, isChannelMember, ...channel } = row;
  return { orgId: row.orgId, role: orgRole, permissions, channel, canWrite: member };
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
  if (action === 'write' && !access.canWrite) throw forbidden('You are not a member of this channel');
  if (permission && !access.permissions.has(permission)) throw forbidden();
  return access;
}

export function requireMessageEdit(access: ChannelAccess, message: { authorId: string; deletedAt: Date | null }, userId: string) {
  if (message.deletedAt) throw notFound('Message');
  if (message.authorId !== userId || !access.canWrite) throw forbidden('Only the author can edit a message');
}

export function requireMessageDelete(access: ChannelAccess, message: { authorId: string; deletedAt: Date | null }, userId: string) {
  if (message.deletedAt) throw notFound('Message');
  const isAuthor = message.authorId === userId && access.canWrite;
  if (!isAuthor && !access.permissions.has('org:messages:moderate')) {
    throw forbidden('Only the author or an organization admin can delete a message');
  }
}
