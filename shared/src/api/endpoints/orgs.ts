import { endpoint, NoContentSchema, resourceErrorResponses as errors } from '../http-contract.js';
import {
  AddOrgMemberBodySchema,
  CreateOrgBodySchema,
  CreateTeamBodySchema,
  OrganizationSchema,
  OrgMemberListSchema,
  OrgMemberParamsSchema,
  OrgMemberSchema,
  OrgParamsSchema,
  TeamListSchema,
  TeamSchema,
  UpdateOrgMemberBodySchema,
} from '../orgs.js';

const tags = ['organizations'];

export const orgEndpoints = {
  create: endpoint({ method: 'POST', path: '/api/orgs', tags, body: CreateOrgBodySchema, responses: { 201: OrganizationSchema, ...errors } }),
  members: endpoint({ method: 'GET', path: '/api/orgs/:orgId/members', tags, params: OrgParamsSchema, responses: { 200: OrgMemberListSchema, ...errors } }),
  addMember: endpoint({
    method: 'POST',
    path: '/api/orgs/:orgId/members',
    tags,
    params: OrgParamsSchema,
    body: AddOrgMemberBodySchema,
    responses: { 201: OrgMemberSchema, ...errors },
  }),
  changeMember: endpoint({
    method: 'PATCH',
    path: '/api/orgs/:orgId/members/:userId',
    tags,
    params: OrgMemberParamsSchema,
    body: UpdateOrgMemberBodySchema,
    responses: { 200: OrgMemberSchema, ...errors },
  }),
  /** Anyone may leave; removing someone else takes the manage permission. */
  removeMember: endpoint({
    method: 'DELETE',
    path: '/api/orgs/:orgId/members/:userId',
    tags,
    params: OrgMemberParamsSchema,
    responses: { 204: NoContentSchema, ...errors },
  }),
  createTeam: endpoint({
    method: 'POST',
    path: '/api/orgs/:orgId/teams',
    tags,
    params: OrgParamsSchema,
    body: CreateTeamBodySchema,
    responses: { 201: TeamSchema, ...errors },
  }),
  teams: endpoint({ method: 'GET', path: '/api/orgs/:orgId/teams', tags, params: OrgParamsSchema, responses: { 200: TeamListSchema, ...errors } }),
};
