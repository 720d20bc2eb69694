import type { OrgRole } from '@collaro/shared';
import type { Database } from '../../db/client.js';
import { conflict, notFound, unprocessable } from '../../domain-errors.js';
import { listTeamChannelReaders, requireOrgAccess } from '../../policy/policy.js';
import { createTeam, listAllTeams, listTeamsOfMember } from '../teams/repository.js';
import { findUserByEmail } from '../users/repository.js';
import { organizationMembershipChanged, type MembershipChangeTargets } from './membership-changes.js';
import { changeMembership, createOrganization, insertMembership, listMembers } from './repository.js';

const toMember = (row: { userId: string; email: string | null; name: string; role: OrgRole }) => ({ ...row, email: row.email ?? '' });

/**
 * Organizations as their routes use them: each action checks the organization policy, writes
 * through the repositories, then applies what follows a change of who belongs (live connections'
 * access, meeting rooms) before answering.
 */
export class OrgService {
  constructor(
    private readonly db: Database,
    private readonly changes: MembershipChangeTargets,
  ) {}

  create(callerId: string, name: string) {
    return createOrganization(this.db, name, callerId);
  }

  async members(callerId: string, orgId: string) {
    await requireOrgAccess(this.db, callerId, orgId, 'org:members:read');
    return (await listMembers(this.db, orgId)).map(toMember);
  }

  /** Adds someone who already has an account; people without one get an invitation link instead. */
  async addMember(callerId: string, orgId: string, email: string, role: OrgRole) {
    await requireOrgAccess(this.db, callerId, orgId, 'org:members:manage');
    const user = await findUserByEmail(this.db, email);
    if (!user) throw unprocessable('body.email: no Collaro account uses this email yet. Send them an invitation link instead (Organization, Invitations).');
    if (!(await insertMembership(this.db, orgId, user.id, role))) throw conflict('This user is already a member of the organization');
    await organizationMembershipChanged(this.changes, [user.id]);
    return toMember({ userId: user.id, email: user.email, name: user.name, role });
  }

  async changeMemberRole(callerId: string, orgId: string, userId: string, role: OrgRole) {
    await requireOrgAccess(this.db, callerId, orgId, 'org:members:manage');
    const result = await changeMembership(this.db, orgId, userId, { role });
    if (result === 'not_found') throw notFound('Member');
    if (result === 'last_admin') throw conflict('The last admin of an organization cannot be demoted');
    await this.changes.realtime.refreshAccess([userId]);
    const member = (await listMembers(this.db, orgId)).find((m) => m.userId === userId);
    if (!member) throw notFound('Member');
    return toMember(member);
  }

  /** Anyone may leave an organization; removing someone else takes the manage permission. */
  async removeMember(callerId: string, orgId: string, userId: string): Promise<void> {
    await requireOrgAccess(this.db, callerId, orgId, userId === callerId ? undefined : 'org:members:manage');
    const result = await changeMembership(this.db, orgId, userId, { remove: true });
    if (result === 'not_found') throw notFound('Member');
    if (result === 'last_admin') throw conflict('The last admin of an organization cannot be removed');
    await organizationMembershipChanged(this.changes, [userId]);
  }

  async createTeam(callerId: string, orgId: string, name: string) {
    await requireOrgAccess(this.db, callerId, orgId, 'org:teams:manage');
    const team = await createTeam(this.db, orgId, name, callerId);
    if (!team) throw conflict('A team with this name already exists in the organization');
    // Its first channel: for the creator, and for every admin already connected.
    await this.changes.realtime.refreshAccess(await listTeamChannelReaders(this.db, team));
    return team;
  }

  /** Every team for those allowed to see them all, otherwise the caller's own. */
  async teams(callerId: string, orgId: string) {
    const access = await requireOrgAccess(this.db, callerId, orgId, 'org:teams:read');
    return access.permissions.has('org:teams:read_all') ? listAllTeams(this.db, orgId) : listTeamsOfMember(this.db, orgId, callerId);
  }
}
