import { endpoint, resourceErrorResponses as errors } from '../http-contract.js';
import {
  GuestEntryBodySchema,
  GuestEntrySchema,
  GuestJoinResponseSchema,
  GuestLinkInfoSchema,
  GuestLinkTokenParamsSchema,
  GuestMessagesSchema,
  GuestSessionSchema,
} from '../meeting-guests.js';

const tags = ['guests'];

/** A guest link, read and entered without an account; then what the guest token opens. */
export const guestEndpoints = {
  linkInfo: endpoint({
    method: 'GET',
    path: '/api/guest-links/:token',
    tags,
    params: GuestLinkTokenParamsSchema,
    responses: { 200: GuestLinkInfoSchema, ...errors },
  }),
  enter: endpoint({
    method: 'POST',
    path: '/api/guest-links/:token/guests',
    tags,
    params: GuestLinkTokenParamsSchema,
    body: GuestEntryBodySchema,
    responses: { 201: GuestEntrySchema, ...errors },
  }),
  session: endpoint({ method: 'GET', path: '/api/guest/session', tags, responses: { 200: GuestSessionSchema, ...errors } }),
  join: endpoint({ method: 'POST', path: '/api/guest/join', tags, responses: { 200: GuestJoinResponseSchema, ...errors } }),
  messages: endpoint({ method: 'GET', path: '/api/guest/messages', tags, responses: { 200: GuestMessagesSchema, ...errors } }),
};
