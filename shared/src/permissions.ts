/**
 * Roles and permissions, declared once for the backend policy and the UI.
 * Permission names follow Clerk's custom-permission form `org:<feature>:<action>`,
 * so a Clerk instance can grant the same strings.
 */
export const ORG_ROLES = ['admin', 'member'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const TEAM_ROLES = ['lead', 'member'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const PERMISSIONS = [
  'org:members:read',
  'org:members:manage',
  'org:teams:read',
  'org:teams:read_all',
  'org:teams:manage',
  'org:team_members:manage',
  'org:channels:read',
  'org:channels:create',
  'org:channels:manage',
  'org:messages:moderate',
  'org:meetings:create',
  'org:meetings:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const MEMBER_PERMISSIONS: readonly Permission[] = ['org:members:read', 'org:teams:read', 'org:channels:read', 'org:meetings:create'];

export const ORG_ROLE_PERMISSIONS: Record<OrgRole, readonly Permission[]> = {
  member: MEMBER_PERMISSIONS,
  admin: PERMISSIONS,
};

/** What a team lead may do inside their own team, on top of their organization role. */
export const TEAM_LEAD_PERMISSIONS: readonly Permission[] = ['org:team_members:manage', 'org:channels:create', 'org:channels:manage'];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/**
 * The permissions a user holds in one organization (and optionally one team).
 * `granted` carries extra permissions from an identity provider such as Clerk.
 */
export function permissionsFor(orgRole: OrgRole, teamRole?: TeamRole | null, granted: readonly string[] = []): Set<Permission> {
  const result = new Set<Permission>(ORG_ROLE_PERMISSIONS[orgRole]);
  if (teamRole === 'lead') for (const p of TEAM_LEAD_PERMISSIONS) result.add(p);
  for (const p of granted) if (isPermission(p)) result.add(p);
  return result;
}
