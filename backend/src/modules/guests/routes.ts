import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import {
  GuestEntryBodySchema,
  GuestEntrySchema,
  GuestJoinResponseSchema,
  GuestLinkInfoSchema,
  GuestLinkTokenParamsSchema,
  GuestMessagesSchema,
  GuestSessionSchema,
} from '@collaro/shared';
import type { GuestIdentity, MeetingGuests } from './service.js';
import { bearerToken } from '../../plugins/auth.js';
import { resourceErrorResponses } from '../../error-responses.js';

const errors = resourceErrorResponses;
const tags = ['guests'];

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the guest routes' hook: the meeting guest behind the guest token. */
    guest: GuestIdentity;
  }
}

/** A guest link, before its holder has a name in the meeting: who is asking, and letting them in. */
export const guestLinkRoutes: FastifyPluginAsyncZod<{ guests: MeetingGuests }> = async (app, { guests }) => {
  app.get('/:token', { schema: { tags, params: GuestLinkTokenParamsSchema, response: { 200: GuestLinkInfoSchema, ...errors } } }, async (request) =>
    guests.linkInfo(request.params.token),
  );

  app.post(
    '/:token/guests',
    { schema: { tags, params: GuestLinkTokenParamsSchema, body: GuestEntryBodySchema, response: { 201: GuestEntrySchema, ...errors } } },
    async (request, reply) => reply.code(201).send(await guests.enter(request.params.token, request.body.name)),
  );
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

  app.get('/session', { schema: { tags, response: { 200: GuestSessionSchema, ...errors } } }, async (request) => guests.session(request.guest));

  app.post('/join', { schema: { tags, response: { 200: GuestJoinResponseSchema, ...errors } } }, async (request) => guests.join(request.guest));

  app.get('/messages', { schema: { tags, response: { 200: GuestMessagesSchema, ...errors } } }, async (request) => guests.messages(request.guest));
};
