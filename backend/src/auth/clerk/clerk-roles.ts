import { isPermission, type OrgRole, type Permission } from '@collaro/shared';

/**
 * Clerk role keys onto Collaro's organization roles: `org:admin` (and the legacy `admin`) is an
 * admin; `org:member`, the legacy `basic_member` and any custom role are members, whose extra
 * rights come from the custom permissions the role carries.
 */
export function collaroRoleForClerkRole(clerkRole: string): OrgRole {
  const key = clerkRole.startsWith('org:') ? clerkRole.slice(4) : clerkRole;
  return key === 'admin' ? 'admin' : 'member';
}

/**
 * Clerk custom permissions `org:<feature>:<permission>` that name a Collaro permission are granted
 * as such (`org:meetings:manage`, ...). Clerk's system permissions (`org:sys_*`) are left out:
 * session tokens never carry them, so honouring them from webhooks alone would make the two
 * sources disagree.
 */
export function collaroPermissionsForClerkPermissions(clerkPermissions: readonly string[]): Permission[] {
  return [...new Set(clerkPermissions.filter(isPermission))].sort();
}
