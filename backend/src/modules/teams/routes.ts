import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import { endpointRoute as route } from '../../contract-route.js';
import type { TeamService } from './service.js';

const api = endpoints.teams;

export const teamRoutes: FastifyPluginAsyncZod<{ teams: TeamService }> = async (app, { teams }) => {
  route(app, api.get, async (request) => teams.get(request.auth.userId, request.params.teamId));

  route(app, api.rename, async (request) => teams.rename(request.auth.userId, request.params.teamId, request.body.name));

  route(app, api.delete, async (request, reply) => {
    await teams.delete(request.auth.userId, request.params.teamId);
    return reply.code(204).send(null);
  });

  route(app, api.changeMember, async (request) => teams.changeMemberRole(request.auth.userId, request.params.teamId, request.params.userId, request.body.role));

  route(app, api.addMember, async (request, reply) =>
    reply.code(201).send(await teams.addMember(request.auth.userId, request.params.teamId, request.body.userId, request.body.role)),
  );

  route(app, api.removeMember, async (request, reply) => {
    await teams.removeMember(request.auth.userId, request.params.teamId, request.params.userId);
    return reply.code(204).send(null);
  });
};
