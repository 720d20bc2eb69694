import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import { endpointRoute as route } from '../../contract-route.js';
import type { InvitationService } from './service.js';

const api = endpoints.invitations;

/** Invitation routes; a link's preview is open to anyone, everything else needs a signed-in caller. */
export const invitationRoutes: FastifyPluginAsyncZod<{ invitations: InvitationService }> = async (app, { invitations }) => {
  const signedIn = { onRequest: app.requireAuth };

  route(
    app,
    api.create,
    async (request, reply) => reply.code(201).send(await invitations.create(request.auth.userId, request.params.orgId, request.body)),
    signedIn,
  );

  route(app, api.list, async (request) => ({ invitations: await invitations.list(request.auth.userId, request.params.orgId) }), signedIn);

  route(
    app,
    api.revoke,
    async (request, reply) => {
      await invitations.revoke(request.auth.userId, request.params.orgId, request.params.invitationId);
      return reply.code(204).send(null);
    },
    signedIn,
  );

  route(app, api.preview, async (request) => invitations.preview(request.params.token));

  route(app, api.accept, async (request) => invitations.accept(request.auth.userId, request.params.token), signedIn);
};
