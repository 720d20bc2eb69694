import { z } from 'zod';
import { ApiErrorSchema } from '../../errors.js';
import { endpoint } from '../http-contract.js';
import { CalendarFeedParamsSchema, CalendarTokenResponseSchema } from '../meetings.js';

const tags = ['calendar'];

export const calendarEndpoints = {
  /** Public (calendar apps cannot sign in): the secret token in the path is the access; an .ics file. */
  feed: endpoint({
    method: 'GET',
    path: '/api/calendar/feed/:token.ics',
    tags,
    params: CalendarFeedParamsSchema,
    responses: { 200: z.string(), 404: ApiErrorSchema, 422: ApiErrorSchema },
  }),
  /** Issues (or replaces) the signed-in caller's feed token. */
  rotateToken: endpoint({ method: 'POST', path: '/api/me/calendar-token', tags, responses: { 201: CalendarTokenResponseSchema, 401: ApiErrorSchema } }),
};
