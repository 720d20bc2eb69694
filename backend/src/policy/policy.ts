import { permissionsFor, type OrgRole, type Permission, type TeamRole } from '@collaro/shared';
import type { Queryable } from '../db/client.js';
import { forbidden, notFound } from '../http-errors.js';
import { findMembership } from '../repositories/orgs-repository.js';
import { findTeamWithAccess } from '../repositories/teams-repository.js';

/**
 * The one place that decides who may do what. Outside an organization its resources do not exist
 * (404); inside it without the permission or team membership the answer is 403.
 */
export interface OrgAccess {
  orgId: string;
  role: OrgRole;
  permissions: Set<Permission>;
}

export interface TeamAccess extends OrgAccess {
  team: { id: string; orgId: string; name: string };
  teamRole: TeamRole | null;
}

export async function requireOrgAccess(
  db: Queryable,
  userId: string,
  orgId: string,
  permission?: Permission,
): Promise<OrgAccess> {
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
export async function requireTeamAccess(
  db: Queryable,
  userId: string,
  teamId: string,
  permission?: Permission,
): Promise<TeamAccess> {
  const row = await findTeamWithAccess(db, teamId, userId);
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
