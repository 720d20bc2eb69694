import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import { DomainError } from '../../domain-errors.js';
import { CALENDAR_FEED_TTL_SECONDS } from './calendar-feed.js';
import type { MeetingService } from '../meetings/service.js';
import { endpointRoute as route } from '../../contract-route.js';

const api = endpoints.calendar;

/**
 * Public: calendar apps cannot send a bearer token, so the feed's secret is in its URL. Only the
 * hash is stored, and rotating replaces it, so an old URL stops working at once.
 */
export const calendarFeedRoutes: FastifyPluginAsyncZod<{ meetings: MeetingService }> = async (app, { meetings }) => {
  route(
    app,
    api.feed,
    async (request, reply) => {
      const ics = await meetings.feedIcs(request.params.token);
      // 404 rather than 401: a calendar app cannot sign in, and the answer must not tell a guess from a revoked token.
      if (ics === undefined) throw new DomainError('not_found', 'Calendar feed not found; the link may have been replaced');
      return reply.type('text/calendar; charset=utf-8').header('cache-control', `private, max-age=${CALENDAR_FEED_TTL_SECONDS}`).send(ics);
    },
    // The URL is the secret: keep it out of the per-request info logs.
    { logLevel: 'warn' },
  );
};

/** Signed in: issues (or replaces) the caller's feed token. */
export const calendarTokenRoutes: FastifyPluginAsyncZod<{ meetings: MeetingService }> = async (app, { meetings }) => {
  route(app, api.rotateToken, async (request, reply) =>
    reply
      .code(201)
      .header('cache-control', 'no-store')
      .send(await meetings.rotateCalendarToken(request.auth.userId)),
  );
};
