import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreatedGuestLinkSchema,
  CreateMeetingBodySchema,
  JoinMeetingResponseSchema,
  ListMeetingsQuerySchema,
  MeetingListSchema,
  MeetingParamsSchema,
  MeetingRecordingListSchema,
  MeetingRemovalListSchema,
  MeetingRemovalParamsSchema,
  MeetingSchema,
  NextMeetingQuerySchema,
  NextMeetingResponseSchema,
  PersonalRoomQuerySchema,
  UpdateMeetingBodySchema,
} from '@collaro/shared';
import { z } from 'zod';
import type { MeetingNudges } from './nudges.js';
import type { MeetingGuests } from '../guests/service.js';
import type { MeetingRemovals } from './removals.js';
import type { MeetingService } from './service.js';
import { resourceErrorResponses } from '../../error-responses.js';

const errors = resourceErrorResponses;

export const meetingRoutes: FastifyPluginAsyncZod<{
  meetings: MeetingService;
  removals: MeetingRemovals;
  nudges: MeetingNudges;
  guests: MeetingGuests;
}> = async (app, { meetings, removals, nudges, guests }) => {
  const tags = ['meetings'];

  app.post('/', { schema: { tags, body: CreateMeetingBodySchema, response: { 201: MeetingSchema, ...errors } } }, async (request, reply) =>
    reply.code(201).send(await meetings.create(request.auth.userId, request.body)),
  );

  app.get('/', { schema: { tags, querystring: ListMeetingsQuerySchema, response: { 200: MeetingListSchema, ...errors } } }, async (request) => ({
    meetings: await meetings.list(request.auth.userId, request.query.orgId, request.query.scope),
  }));

  app.get('/personal-room', { schema: { tags, querystring: PersonalRoomQuerySchema, response: { 200: MeetingSchema, ...errors } } }, async (request) =>
    meetings.personalRoom(request.auth.userId, request.query.orgId),
  );

  app.get('/next', { schema: { tags, querystring: NextMeetingQuerySchema, response: { 200: NextMeetingResponseSchema, ...errors } } }, async (request) => ({
    meeting: await nudges.next(request.auth.userId, request.query.orgId),
  }));

  app.post('/:id/reminder/dismiss', { schema: { tags, params: MeetingParamsSchema, response: { 204: z.null(), ...errors } } }, async (request, reply) => {
    await nudges.dismissReminder(request.auth.userId, request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/:id', { schema: { tags, params: MeetingParamsSchema, response: { 200: MeetingSchema, ...errors } } }, async (request) =>
    meetings.get(request.auth.userId, request.params.id),
  );

  app.patch(
    '/:id',
    { schema: { tags, params: MeetingParamsSchema, body: UpdateMeetingBodySchema, response: { 200: MeetingSchema, ...errors } } },
    async (request) => meetings.update(request.auth.userId, request.params.id, request.body),
  );

  app.delete('/:id', { schema: { tags, params: MeetingParamsSchema, response: { 204: z.null(), ...errors } } }, async (request, reply) => {
    await meetings.cancel(request.auth.userId, request.params.id);
    return reply.code(204).send(null);
  });

  app.post('/:id/join', { schema: { tags, params: MeetingParamsSchema, response: { 200: JoinMeetingResponseSchema, ...errors } } }, async (request) =>
    meetings.join(request.auth.userId, request.params.id),
  );

  app.post('/:id/end', { schema: { tags, params: MeetingParamsSchema, response: { 200: MeetingSchema, ...errors } } }, async (request) =>
    meetings.end(request.auth.userId, request.params.id),
  );

  app.get('/:id/removals', { schema: { tags, params: MeetingParamsSchema, response: { 200: MeetingRemovalListSchema, ...errors } } }, async (request) => ({
    removals: await removals.list(request.auth.userId, request.params.id),
  }));

  app.delete(
    '/:id/removals/:userId',
    { schema: { tags, params: MeetingRemovalParamsSchema, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await removals.lift(request.auth.userId, request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/:id/guest-links',
    { schema: { tags, params: MeetingParamsSchema, response: { 201: CreatedGuestLinkSchema, ...errors } } },
    async (request, reply) => reply.code(201).send(await guests.createLink(request.auth.userId, request.params.id)),
  );

  app.get('/:id/recordings', { schema: { tags, params: MeetingParamsSchema, response: { 200: MeetingRecordingListSchema, ...errors } } }, async (request) => ({
    recordings: await meetings.recordings(request.auth.userId, request.params.id),
  }));

  app.get('/:id/invite.ics', { schema: { tags, params: MeetingParamsSchema, response: { 200: z.string(), ...errors } } }, async (request, reply) => {
    const ics = await meetings.inviteIcs(request.auth.userId, request.params.id);
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="meeting-${request.params.id}.ics"`).send(ics);
  });
};
