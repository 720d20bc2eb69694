import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import { conflict, notFound, unprocessable } from '../../domain-errors.js';
import { requireTeamAccess, requireTeamDetail } from '../../policy/policy.js';
import { addTeamMember, deleteTeam, removeTeamMember, renameTeam, setTeamMemberRole } from './repository.js';
import { findUserById } from '../users/repository.js';
import { endpointRoute as route } from '../../contract-route.js';

const api = endpoints.teams;

export const teamRoutes: FastifyPluginAsyncZod = async (app) => {
  route(app, api.get, async (request) => {
    const { team, members } = await requireTeamDetail(app.db, request.auth.userId, request.params.teamId);
    return { ...team, members };
  });

  route(app, api.rename, async (request) => {
    const { team, orgId } = await requireTeamAccess(app.db, request.auth.userId, request.params.teamId, 'org:teams:manage');
    const renamed = await renameTeam(app.db, team.id, request.body.name);
    if (!renamed) throw conflict('Another team in this organization already has that name');
    app.realtime.sendToOrg(orgId, { type: 'team.updated', teamId: team.id, orgId });
    return renamed;
  });

  route(app, api.delete, async (request, reply) => {
    const { team, orgId } = await requireTeamAccess(app.db, request.auth.userId, request.params.teamId, 'org:teams:manage');
    const formerMembers = await deleteTeam(app.db, team.id);
    await app.realtime.refreshAccess(formerMembers);
    app.realtime.sendToOrg(orgId, { type: 'team.updated', teamId: team.id, orgId });
    return reply.code(204).send(null);
  });

  route(app, api.changeMember, async (request) => {
    const { teamId, userId } = request.params;
    const { orgId } = await requireTeamAccess(app.db, request.auth.userId, teamId, 'org:team_members:manage');
    if (!(await setTeamMemberRole(app.db, teamId, userId, request.body.role))) throw notFound('Team member');
    app.realtime.sendToUsers([userId], { type: 'team.updated', teamId, orgId });
    const user = await findUserById(app.db, userId);
    return { userId, name: user?.name ?? '', role: request.body.role };
  });

  route(app, api.addMember, async (request, reply) => {
    const { team } = await requireTeamAccess(app.db, request.auth.userId, request.params.teamId, 'org:team_members:manage');
    const { userId, role } = request.body;
    const result = await addTeamMember(app.db, team, userId, role);
    if (result === 'not_in_org') throw unprocessable('body.userId: this user is not a member of the organization');
    if (result === 'already_member') throw conflict('This user is already on the team');
    await app.realtime.refreshAccess([userId]);
    const user = await findUserById(app.db, userId);
    return reply.code(201).send({ userId, name: user?.name ?? '', role });
  });

  route(app, api.removeMember, async (request, reply) => {
    const { teamId, userId } = request.params;
    const leaving = userId === request.auth.userId;
    await requireTeamAccess(app.db, request.auth.userId, teamId, leaving ? undefined : 'org:team_members:manage');
    if (!(await removeTeamMember(app.db, teamId, userId))) throw notFound('Team member');
    // Awaited: the next message in the team's channels must not reach them, on any instance.
    await app.realtime.refreshAccess([userId]);
    return reply.code(204).send(null);
  });
};
