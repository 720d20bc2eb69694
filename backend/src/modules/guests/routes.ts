import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { endpoints } from '@collaro/shared';
import type { GuestIdentity, MeetingGuests } from './service.js';
import { bearerToken } from '../../plugins/auth.js';
import { endpointRoute as route } from '../../contract-route.js';

const api = endpoints.guests;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the guest routes' hook: the meeting guest behind the guest token. */
    guest: GuestIdentity;
  }
}

/** A guest link, before its holder has a name in the meeting: who is asking, and letting them in. */
export const guestLinkRoutes: FastifyPluginAsyncZod<{ guests: MeetingGuests }> = async (app, { guests }) => {
  route(app, api.linkInfo, async (request) => guests.linkInfo(request.params.token));

  route(app, api.enter, async (request, reply) => reply.code(201).send(await guests.enter(request.params.token, request.body.name)));
};

/**
 * What a guest token opens over HTTP: its meeting, a place in its room, and its chat's history.
 * Every other route refuses the token (the auth providers do not know it).
 */
export const guestRoutes: FastifyPluginAsyncZod<{ guests: MeetingGuests }> = async (app, { guests }) => {
  app.decorateRequest('guest', null as unknown as GuestIdentity);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    request.guest = await guests.authenticateGuest(bearerToken(request.headers.authorization));
  });

  route(app, api.session, async (request) => guests.session(request.guest));

  route(app, api.join, async (request) => guests.join(request.guest));

  route(app, api.messages, async (request) => guests.messages(request.guest));
};
