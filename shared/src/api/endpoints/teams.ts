import { endpoint, NoContentSchema, resourceErrorResponses as errors } from '../http-contract.js';
import {
  AddTeamMemberBodySchema,
  TeamDetailSchema,
  TeamMemberParamsSchema,
  TeamMemberSchema,
  TeamParamsSchema,
  TeamSchema,
  UpdateTeamBodySchema,
  UpdateTeamMemberBodySchema,
} from '../orgs.js';

const tags = ['teams'];

export const teamEndpoints = {
  get: endpoint({ method: 'GET', path: '/api/teams/:teamId', tags, params: TeamParamsSchema, responses: { 200: TeamDetailSchema, ...errors } }),
  rename: endpoint({
    method: 'PATCH',
    path: '/api/teams/:teamId',
    tags,
    params: TeamParamsSchema,
    body: UpdateTeamBodySchema,
    responses: { 200: TeamSchema, ...errors },
  }),
  delete: endpoint({ method: 'DELETE', path: '/api/teams/:teamId', tags, params: TeamParamsSchema, responses: { 204: NoContentSchema, ...errors } }),
  changeMember: endpoint({
    method: 'PATCH',
    path: '/api/teams/:teamId/members/:userId',
    tags,
    params: TeamMemberParamsSchema,
    body: UpdateTeamMemberBodySchema,
    responses: { 200: TeamMemberSchema, ...errors },
  }),
  addMember: endpoint({
    method: 'POST',
    path: '/api/teams/:teamId/members',
    tags,
    params: TeamParamsSchema,
    body: AddTeamMemberBodySchema,
    responses: { 201: TeamMemberSchema, ...errors },
  }),
  /** Anyone may leave; removing someone else takes the team-members permission. */
  removeMember: endpoint({
    method: 'DELETE',
    path: '/api/teams/:teamId/members/:userId',
    tags,
    params: TeamMemberParamsSchema,
    responses: { 204: NoContentSchema, ...errors },
  }),
};
