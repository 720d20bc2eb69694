import type { OrgRole, Permission } from '@collaro/shared';

/** What a member may do in an organization: the base every narrower access (team, channel, meeting) extends. */
export interface OrgAccess {
  orgId: string;
  role: OrgRole;
  permissions: Set<Permission>;
}
