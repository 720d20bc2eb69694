import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import { conflict, notFound, unprocessable } from '../../domain-errors.js';
import { listTeamChannelReaders, requireOrgAccess } from '../../policy/policy.js';
import { organizationMembershipChanged } from './membership-changes.js';
import { changeMembership, createOrganization, insertMembership, listMembers } from './repository.js';
import { createTeam, listAllTeams, listTeamsOfMember } from '../teams/repository.js';
import { findUserByEmail } from '../users/repository.js';
import { endpointRoute as route } from '../../contract-route.js';

const api = endpoints.orgs;

const toMember = (row: { userId: string; email: string | null; name: string; role: 'admin' | 'member' }) => ({
  ...row,
  email: row.email ?? '',
});

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  route(app, api.create, async (request, reply) => {
    return reply.code(201).send(await createOrganization(app.db, request.body.name, request.auth.userId));
  });

  route(app, api.members, async (request) => {
    await requireOrgAccess(app.db, request.auth.userId, request.params.orgId, 'org:members:read');
    return { members: (await listMembers(app.db, request.params.orgId)).map(toMember) };
  });

  route(app, api.addMember, async (request, reply) => {
    const { orgId } = request.params;
    await requireOrgAccess(app.db, request.auth.userId, orgId, 'org:members:manage');
    const user = await findUserByEmail(app.db, request.body.email);
    if (!user) throw unprocessable('body.email: no Collaro account uses this email yet. Send them an invitation link instead (Organization, Invitations).');
    if (!(await insertMembership(app.db, orgId, user.id, request.body.role))) {
      throw conflict('This user is already a member of the organization');
    }
    await organizationMembershipChanged(app, [user.id]);
    return reply.code(201).send(toMember({ userId: user.id, email: user.email, name: user.name, role: request.body.role }));
  });

  route(app, api.changeMember, async (request) => {
    const { orgId, userId } = request.params;
    await requireOrgAccess(app.db, request.auth.userId, orgId, 'org:members:manage');
    const result = await changeMembership(app.db, orgId, userId, { role: request.body.role });
    if (result === 'not_found') throw notFound('Member');
    if (result === 'last_admin') throw conflict('The last admin of an organization cannot be demoted');
    await app.realtime.refreshAccess([userId]);
    const member = (await listMembers(app.db, orgId)).find((m) => m.userId === userId);
    if (!member) throw notFound('Member');
    return toMember(member);
  });

  route(app, api.removeMember, async (request, reply) => {
    const { orgId, userId } = request.params;
    // Anyone may leave an organization; removing someone else takes the manage permission.
    await requireOrgAccess(app.db, request.auth.userId, orgId, userId === request.auth.userId ? undefined : 'org:members:manage');
    const result = await changeMembership(app.db, orgId, userId, { remove: true });
    if (result === 'not_found') throw notFound('Member');
    if (result === 'last_admin') throw conflict('The last admin of an organization cannot be removed');
    await organizationMembershipChanged(app, [userId]);
    return reply.code(204).send(null);
  });

  route(app, api.createTeam, async (request, reply) => {
    const { orgId } = request.params;
    await requireOrgAccess(app.db, request.auth.userId, orgId, 'org:teams:manage');
    const team = await createTeam(app.db, orgId, request.body.name, request.auth.userId);
    if (!team) throw conflict('A team with this name already exists in the organization');
    // Its first channel: for the creator, and for every admin already connected.
    await app.realtime.refreshAccess(await listTeamChannelReaders(app.db, team));
    return reply.code(201).send(team);
  });

  route(app, api.teams, async (request) => {
    const { orgId } = request.params;
    const access = await requireOrgAccess(app.db, request.auth.userId, orgId, 'org:teams:read');
    const teams = access.permissions.has('org:teams:read_all')
      ? await listAllTeams(app.db, orgId)
      : await listTeamsOfMember(app.db, orgId, request.auth.userId);
    return { teams };
  });
};
