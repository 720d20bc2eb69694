import { z } from 'zod';
import { endpoint, NoContentSchema, resourceErrorResponses as errors } from '../http-contract.js';
import { CreatedGuestLinkSchema } from '../meeting-guests.js';
import { MeetingRemovalListSchema, MeetingRemovalParamsSchema } from '../meeting-sessions.js';
import {
  CreateMeetingBodySchema,
  JoinMeetingResponseSchema,
  ListMeetingsQuerySchema,
  MeetingListSchema,
  MeetingParamsSchema,
  MeetingRecordingListSchema,
  MeetingSchema,
  NextMeetingQuerySchema,
  NextMeetingResponseSchema,
  PersonalRoomQuerySchema,
  UpdateMeetingBodySchema,
} from '../meetings.js';

const tags = ['meetings'];

/** Meetings, for signed-in members of their organization. */
export const meetingEndpoints = {
  create: endpoint({ method: 'POST', path: '/api/meetings', tags, body: CreateMeetingBodySchema, responses: { 201: MeetingSchema, ...errors } }),
  list: endpoint({ method: 'GET', path: '/api/meetings', tags, query: ListMeetingsQuerySchema, responses: { 200: MeetingListSchema, ...errors } }),
  personalRoom: endpoint({
    method: 'GET',
    path: '/api/meetings/personal-room',
    tags,
    query: PersonalRoomQuerySchema,
    responses: { 200: MeetingSchema, ...errors },
  }),
  next: endpoint({ method: 'GET', path: '/api/meetings/next', tags, query: NextMeetingQuerySchema, responses: { 200: NextMeetingResponseSchema, ...errors } }),
  dismissReminder: endpoint({
    method: 'POST',
    path: '/api/meetings/:id/reminder/dismiss',
    tags,
    params: MeetingParamsSchema,
    responses: { 204: NoContentSchema, ...errors },
  }),
  get: endpoint({ method: 'GET', path: '/api/meetings/:id', tags, params: MeetingParamsSchema, responses: { 200: MeetingSchema, ...errors } }),
  update: endpoint({
    method: 'PATCH',
    path: '/api/meetings/:id',
    tags,
    params: MeetingParamsSchema,
    body: UpdateMeetingBodySchema,
    responses: { 200: MeetingSchema, ...errors },
  }),
  cancel: endpoint({ method: 'DELETE', path: '/api/meetings/:id', tags, params: MeetingParamsSchema, responses: { 204: NoContentSchema, ...errors } }),
  join: endpoint({
    method: 'POST',
    path: '/api/meetings/:id/join',
    tags,
    params: MeetingParamsSchema,
    responses: { 200: JoinMeetingResponseSchema, ...errors },
  }),
  end: endpoint({ method: 'POST', path: '/api/meetings/:id/end', tags, params: MeetingParamsSchema, responses: { 200: MeetingSchema, ...errors } }),
  removals: endpoint({
    method: 'GET',
    path: '/api/meetings/:id/removals',
    tags,
    params: MeetingParamsSchema,
    responses: { 200: MeetingRemovalListSchema, ...errors },
  }),
  liftRemoval: endpoint({
    method: 'DELETE',
    path: '/api/meetings/:id/removals/:userId',
    tags,
    params: MeetingRemovalParamsSchema,
    responses: { 204: NoContentSchema, ...errors },
  }),
  createGuestLink: endpoint({
    method: 'POST',
    path: '/api/meetings/:id/guest-links',
    tags,
    params: MeetingParamsSchema,
    responses: { 201: CreatedGuestLinkSchema, ...errors },
  }),
  recordings: endpoint({
    method: 'GET',
    path: '/api/meetings/:id/recordings',
    tags,
    params: MeetingParamsSchema,
    responses: { 200: MeetingRecordingListSchema, ...errors },
  }),
  /** An .ics file (text/calendar), to download rather than parse. */
  inviteIcs: endpoint({ method: 'GET', path: '/api/meetings/:id/invite.ics', tags, params: MeetingParamsSchema, responses: { 200: z.string(), ...errors } }),
};
