import type { TeamRole } from '@collaro/shared';
import type { Database } from '../../db/client.js';
import { conflict, notFound, unprocessable } from '../../domain-errors.js';
import { requireTeamAccess, requireTeamDetail } from '../../policy/policy.js';
import type { RealtimeService } from '../../realtime/realtime-service.js';
import { findUserById } from '../users/repository.js';
import { addTeamMember, deleteTeam, removeTeamMember, renameTeam, setTeamMemberRole } from './repository.js';

/**
 * Teams as their routes use them: each action checks the team policy, writes through the
 * repository, then tells live connections (a rename or role change as `team.updated`; a change of
 * who is on the team as an access refresh, awaited so the team's next message follows it).
 */
export class TeamService {
  constructor(
    private readonly db: Database,
    private readonly realtime: Pick<RealtimeService, 'refreshAccess' | 'sendToOrg' | 'sendToUsers'>,
  ) {}

  async get(callerId: string, teamId: string) {
    const { team, members } = await requireTeamDetail(this.db, callerId, teamId);
    return { ...team, members };
  }

  async rename(callerId: string, teamId: string, name: string) {
    const { team, orgId } = await requireTeamAccess(this.db, callerId, teamId, 'org:teams:manage');
    const renamed = await renameTeam(this.db, team.id, name);
    if (!renamed) throw conflict('Another team in this organization already has that name');
    this.realtime.sendToOrg(orgId, { type: 'team.updated', teamId: team.id, orgId });
    return renamed;
  }

  async delete(callerId: string, teamId: string): Promise<void> {
    const { team, orgId } = await requireTeamAccess(this.db, callerId, teamId, 'org:teams:manage');
    const formerMembers = await deleteTeam(this.db, team.id);
    await this.realtime.refreshAccess(formerMembers);
    this.realtime.sendToOrg(orgId, { type: 'team.updated', teamId: team.id, orgId });
  }

  async changeMemberRole(callerId: string, teamId: string, userId: string, role: TeamRole) {
    const { orgId } = await requireTeamAccess(this.db, callerId, teamId, 'org:team_members:manage');
    if (!(await setTeamMemberRole(this.db, teamId, userId, role))) throw notFound('Team member');
    this.realtime.sendToUsers([userId], { type: 'team.updated', teamId, orgId });
    return this.memberView(userId, role);
  }

  async addMember(callerId: string, teamId: string, userId: string, role: TeamRole) {
    const { team } = await requireTeamAccess(this.db, callerId, teamId, 'org:team_members:manage');
    const result = await addTeamMember(this.db, team, userId, role);
    if (result === 'not_in_org') throw unprocessable('body.userId: this user is not a member of the organization');
    if (result === 'already_member') throw conflict('This user is already on the team');
    await this.realtime.refreshAccess([userId]);
    return this.memberView(userId, role);
  }

  /** Anyone may leave a team; removing someone else takes the manage permission. */
  async removeMember(callerId: string, teamId: string, userId: string): Promise<void> {
    const leaving = userId === callerId;
    await requireTeamAccess(this.db, callerId, teamId, leaving ? undefined : 'org:team_members:manage');
    if (!(await removeTeamMember(this.db, teamId, userId))) throw notFound('Team member');
    // Awaited: the next message in the team's channels must not reach them, on any instance.
    await this.realtime.refreshAccess([userId]);
  }

  private async memberView(userId: string, role: TeamRole) {
    const user = await findUserById(this.db, userId);
    return { userId, name: user?.name ?? '', role };
  }
}
