import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import { endpointRoute as route } from '../../contract-route.js';
import type { OrgService } from './service.js';

const api = endpoints.orgs;

export const orgRoutes: FastifyPluginAsyncZod<{ orgs: OrgService }> = async (app, { orgs }) => {
  route(app, api.create, async (request, reply) => reply.code(201).send(await orgs.create(request.auth.userId, request.body.name)));

  route(app, api.members, async (request) => ({ members: await orgs.members(request.auth.userId, request.params.orgId) }));

  route(app, api.addMember, async (request, reply) =>
    reply.code(201).send(await orgs.addMember(request.auth.userId, request.params.orgId, request.body.email, request.body.role)),
  );

  route(app, api.changeMember, async (request) => orgs.changeMemberRole(request.auth.userId, request.params.orgId, request.params.userId, request.body.role));

  route(app, api.removeMember, async (request, reply) => {
    await orgs.removeMember(request.auth.userId, request.params.orgId, request.params.userId);
    return reply.code(204).send(null);
  });

  route(app, api.createTeam, async (request, reply) =>
    reply.code(201).send(await orgs.createTeam(request.auth.userId, request.params.orgId, request.body.name)),
  );

  route(app, api.teams, async (request) => ({ teams: await orgs.teams(request.auth.userId, request.params.orgId) }));
};
