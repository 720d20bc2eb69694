import { endpoint, NoContentSchema, resourceErrorResponses as errors } from '../http-contract.js';
import {
  AcceptInvitationResponseSchema,
  CreatedInvitationSchema,
  CreateInvitationBodySchema,
  InvitationListSchema,
  InvitationParamsSchema,
  InvitationPreviewSchema,
  InvitationTokenParamsSchema,
} from '../invitations.js';
import { OrgParamsSchema } from '../orgs.js';

const tags = ['invitations'];

/** Admins create, list and revoke links; anyone with a link may read it, and a signed-in person accepts it. */
export const invitationEndpoints = {
  create: endpoint({
    method: 'POST',
    path: '/api/orgs/:orgId/invitations',
    tags,
    params: OrgParamsSchema,
    body: CreateInvitationBodySchema,
    responses: { 201: CreatedInvitationSchema, ...errors },
  }),
  list: endpoint({
    method: 'GET',
    path: '/api/orgs/:orgId/invitations',
    tags,
    params: OrgParamsSchema,
    responses: { 200: InvitationListSchema, ...errors },
  }),
  revoke: endpoint({
    method: 'DELETE',
    path: '/api/orgs/:orgId/invitations/:invitationId',
    tags,
    params: InvitationParamsSchema,
    responses: { 204: NoContentSchema, ...errors },
  }),
  /** Public: read before its reader has an account. */
  preview: endpoint({
    method: 'GET',
    path: '/api/invitations/:token',
    tags,
    params: InvitationTokenParamsSchema,
    responses: { 200: InvitationPreviewSchema, 404: errors[404], 422: errors[422], 503: errors[503] },
  }),
  accept: endpoint({
    method: 'POST',
    path: '/api/invitations/:token/accept',
    tags,
    params: InvitationTokenParamsSchema,
    responses: { 200: AcceptInvitationResponseSchema, ...errors },
  }),
};
