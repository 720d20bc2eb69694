import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import type { MeetingNudges } from './nudges.js';
import type { MeetingGuests } from '../guests/service.js';
import type { MeetingRemovals } from './removals.js';
import type { MeetingService } from './service.js';
import { endpointRoute as route } from '../../contract-route.js';

const api = endpoints.meetings;

export const meetingRoutes: FastifyPluginAsyncZod<{
  meetings: MeetingService;
  removals: MeetingRemovals;
  nudges: MeetingNudges;
  guests: MeetingGuests;
}> = async (app, { meetings, removals, nudges, guests }) => {
  route(app, api.create, async (request, reply) => reply.code(201).send(await meetings.create(request.auth.userId, request.body)), { trailingSlash: true });

  route(
    app,
    api.list,
    async (request) => ({
      meetings: await meetings.list(request.auth.userId, request.query.orgId, request.query.scope),
    }),
    { trailingSlash: true },
  );

  route(app, api.personalRoom, async (request) => meetings.personalRoom(request.auth.userId, request.query.orgId));

  route(app, api.next, async (request) => ({ meeting: await nudges.next(request.auth.userId, request.query.orgId) }));

  route(app, api.dismissReminder, async (request, reply) => {
    await nudges.dismissReminder(request.auth.userId, request.params.id);
    return reply.code(204).send(null);
  });

  route(app, api.get, async (request) => meetings.get(request.auth.userId, request.params.id));

  route(app, api.update, async (request) => meetings.update(request.auth.userId, request.params.id, request.body));

  route(app, api.cancel, async (request, reply) => {
    await meetings.cancel(request.auth.userId, request.params.id);
    return reply.code(204).send(null);
  });

  route(app, api.join, async (request) => meetings.join(request.auth.userId, request.params.id));

  route(app, api.end, async (request) => meetings.end(request.auth.userId, request.params.id));

  route(app, api.removals, async (request) => ({ removals: await removals.list(request.auth.userId, request.params.id) }));

  route(app, api.liftRemoval, async (request, reply) => {
    await removals.lift(request.auth.userId, request.params.id, request.params.userId);
    return reply.code(204).send(null);
  });

  route(app, api.createGuestLink, async (request, reply) => reply.code(201).send(await guests.createLink(request.auth.userId, request.params.id)));

  route(app, api.recordings, async (request) => ({ recordings: await meetings.recordings(request.auth.userId, request.params.id) }));

  route(app, api.inviteIcs, async (request, reply) => {
    const ics = await meetings.inviteIcs(request.auth.userId, request.params.id);
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="meeting-${request.params.id}.ics"`).send(ics);
  });
};
