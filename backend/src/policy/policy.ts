import { permissionsFor, type OrgRole, type Permission, type TeamRole } from '@collaro/shared';
import type { Database, Queryable } from '../db/client.js';
import { forbidden, notFound } from '../domain-errors.js';
import { findMembership } from '../modules/orgs/repository.js';
import { findTeamWithAccess } from '../modules/teams/repository.js';
import { findMeetingWithAccess, type MeetingRow } from '../modules/meetings/repository.js';
import type { OrgAccess } from './org-access.js';
import { teamReadsOf } from './team-reads.js';

/**
 * The one place that decides who may do what. Outside an organization its resources do not exist
 * (404); inside it without the permission or team membership the answer is 403.
 */
export type { OrgAccess };

export interface TeamAccess extends OrgAccess {
  team: { id: string; orgId: string; name: string };
  teamRole: TeamRole | null;
}

export async function requireOrgAccess(db: Queryable, userId: string, orgId: string, permission?: Permission): Promise<OrgAccess> {
  const membership = await findMembership(db, orgId, userId);
  if (!membership) throw notFound('Organization');
  const access = { orgId, role: membership.role, permissions: permissionsFor(membership.role, null, membership.grantedPermissions) };
  if (permission && !access.permissions.has(permission)) throw forbidden();
  return access;
}

/**
 * Team resources: an org admin (org:teams:read_all) sees every team, anyone else only teams they
 * belong to. `permission` is then checked with the team role included, so a lead manages their team.
 */
export async function requireTeamAccess(db: Queryable, userId: string, teamId: string, permission?: Permission): Promise<TeamAccess> {
  return authorizeTeamAccess(await findTeamWithAccess(db, teamId, userId), permission);
}

/** The team with its member list, for a caller allowed to read it. */
export async function requireTeamDetail(db: Database, userId: string, teamId: string) {
  const row = await teamReadsOf(db).read(db, teamId, userId);
  return { ...authorizeTeamAccess(row), members: row!.members };
}

type TeamAccessRow = {
  id: string;
  orgId: string;
  name: string;
  orgRole: OrgRole | null;
  teamRole: TeamRole | null;
  grantedPermissions: string[] | null;
};

function authorizeTeamAccess(row: TeamAccessRow | undefined, permission?: Permission): TeamAccess {
  if (!row || !row.orgRole) throw notFound('Team');
  const permissions = permissionsFor(row.orgRole, row.teamRole, row.grantedPermissions ?? []);
  if (!row.teamRole && !permissions.has('org:teams:read_all')) throw forbidden('You are not a member of this team');
  if (permission && !permissions.has(permission)) throw forbidden();
  return {
    orgId: row.orgId,
    role: row.orgRole,
    permissions,
    team: { id: row.id, orgId: row.orgId, name: row.name },
    teamRole: row.teamRole,
  };
}

export interface MeetingAccess extends OrgAccess {
  meeting: MeetingRow;
  isHost: boolean;
}

/**
 * Meetings are joined by link: anyone in the meeting's organization may see and join one, as with a
 * shared call link. A host can restrict a meeting to its invitees (`inviteesOnly`): then only the
 * host, the invitees, the members of the meeting's team and organization admins (org:meetings:manage)
 * may. A personal room is always open to its organization, since sharing its link is how people
 * are asked in. Outside the organization a meeting does not exist (404).
 */
export async function requireMeetingAccess(db: Queryable, userId: string, meetingId: string): Promise<MeetingAccess> {
  const row = await findMeetingWithAccess(db, meetingId, userId);
  if (!row || !row.orgRole) throw notFound('Meeting');
  const { meeting } = row;
  const permissions = permissionsFor(row.orgRole, null, row.grantedPermissions ?? []);
  const isHost = meeting.hostId === userId;
  // A call's meeting belongs to its direct message: to anyone else it does not exist.
  if (meeting.kind === 'call' && !isHost && row.invitedUserId === null) throw notFound('Meeting');
  const invited = isHost || row.invitedUserId !== null || row.teamRole !== null;
  if (meeting.inviteesOnly && !invited && !permissions.has('org:meetings:manage')) throw forbidden('This meeting is only for the people invited to it');
  return { orgId: meeting.orgId, role: row.orgRole, permissions, meeting, isHost };
}

/** Renaming, rescheduling and cancelling belong to the host alone. */
export function requireMeetingHost(access: MeetingAccess): void {
  if (!access.isHost) throw forbidden('Only the host can change or cancel this meeting');
}

/**
 * Cancelling belongs to the host too; once the host has left the organization, also to its admins,
 * so the meetings they left behind can be taken out of their invitees' lists, feeds and reminders.
 */
export async function requireMeetingCanceller(db: Queryable, access: MeetingAccess): Promise<void> {
  if (access.isHost) return;
  const hostLeft = access.permissions.has('org:meetings:manage') && !(await findMembership(db, access.orgId, access.meeting.hostId));
  if (!hostLeft) throw forbidden('Only the host can cancel this meeting (an admin can once the host has left the organization)');
}

/** Ending a meeting for everyone, removing people and letting them back: its host, or an organization admin. */
export function requireMeetingModerator(access: MeetingAccess, message = 'Only the host or an organization admin can end this meeting'): void {
  if (!access.isHost && !access.permissions.has('org:meetings:manage')) throw forbidden(message);
}
export * from './channel-policy.js';
export * from './call-policy.js';
