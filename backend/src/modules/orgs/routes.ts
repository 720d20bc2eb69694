import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
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
} from '@collaro/shared';
import { z } from 'zod';
import { conflict, notFound, unprocessable } from '../../domain-errors.js';
import { listTeamChannelReaders, requireOrgAccess } from '../../policy/policy.js';
import { organizationMembershipChanged } from './membership-changes.js';
import { changeMembership, createOrganization, insertMembership, listMembers } from './repository.js';
import { createTeam, listAllTeams, listTeamsOfMember } from '../teams/repository.js';
import { findUserByEmail } from '../users/repository.js';
import { resourceErrorResponses } from '../../error-responses.js';

const errors = resourceErrorResponses;

const toMember = (row: { userId: string; email: string | null; name: string; role: 'admin' | 'member' }) => ({
  ...row,
  email: row.email ?? '',
});

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['organizations'];

  app.post('', { schema: { tags, body: CreateOrgBodySchema, response: { 201: OrganizationSchema, ...errors } } }, async (request, reply) => {
    return reply.code(201).send(await createOrganization(app.db, request.body.name, request.auth.userId));
  });

  app.get('/:orgId/members', { schema: { tags, params: OrgParamsSchema, response: { 200: OrgMemberListSchema, ...errors } } }, async (request) => {
    await requireOrgAccess(app.db, request.auth.userId, request.params.orgId, 'org:members:read');
    return { members: (await listMembers(app.db, request.params.orgId)).map(toMember) };
  });

  app.post(
    '/:orgId/members',
    { schema: { tags, params: OrgParamsSchema, body: AddOrgMemberBodySchema, response: { 201: OrgMemberSchema, ...errors } } },
    async (request, reply) => {
      const { orgId } = request.params;
      await requireOrgAccess(app.db, request.auth.userId, orgId, 'org:members:manage');
      const user = await findUserByEmail(app.db, request.body.email);
      if (!user) throw unprocessable('body.email: no Collaro account uses this email yet. Send them an invitation link instead (Organization, Invitations).');
      if (!(await insertMembership(app.db, orgId, user.id, request.body.role))) {
        throw conflict('This user is already a member of the organization');
      }
      await organizationMembershipChanged(app, [user.id]);
      return reply.code(201).send(toMember({ userId: user.id, email: user.email, name: user.name, role: request.body.role }));
    },
  );

  app.patch(
    '/:orgId/members/:userId',
    {
      schema: { tags, params: OrgMemberParamsSchema, body: UpdateOrgMemberBodySchema, response: { 200: OrgMemberSchema, ...errors } },
    },
    async (request) => {
      const { orgId, userId } = request.params;
      await requireOrgAccess(app.db, request.auth.userId, orgId, 'org:members:manage');
      const result = await changeMembership(app.db, orgId, userId, { role: request.body.role });
      if (result === 'not_found') throw notFound('Member');
      if (result === 'last_admin') throw conflict('The last admin of an organization cannot be demoted');
      await app.realtime.refreshAccess([userId]);
      const member = (await listMembers(app.db, orgId)).find((m) => m.userId === userId);
      if (!member) throw notFound('Member');
      return toMember(member);
    },
  );

  app.delete('/:orgId/members/:userId', { schema: { tags, params: OrgMemberParamsSchema, response: { 204: z.null(), ...errors } } }, async (request, reply) => {
    const { orgId, userId } = request.params;
    // Anyone may leave an organization; removing someone else takes the manage permission.
    await requireOrgAccess(app.db, request.auth.userId, orgId, userId === request.auth.userId ? undefined : 'org:members:manage');
    const result = await changeMembership(app.db, orgId, userId, { remove: true });
    if (result === 'not_found') throw notFound('Member');
    if (result === 'last_admin') throw conflict('The last admin of an organization cannot be removed');
    await organizationMembershipChanged(app, [userId]);
    return reply.code(204).send(null);
  });

  app.post(
    '/:orgId/teams',
    { schema: { tags, params: OrgParamsSchema, body: CreateTeamBodySchema, response: { 201: TeamSchema, ...errors } } },
    async (request, reply) => {
      const { orgId } = request.params;
      await requireOrgAccess(app.db, request.auth.userId, orgId, 'org:teams:manage');
      const team = await createTeam(app.db, orgId, request.body.name, request.auth.userId);
      if (!team) throw conflict('A team with this name already exists in the organization');
      // Its first channel: for the creator, and for every admin already connected.
      await app.realtime.refreshAccess(await listTeamChannelReaders(app.db, team));
      return reply.code(201).send(team);
    },
  );

  app.get('/:orgId/teams', { schema: { tags, params: OrgParamsSchema, response: { 200: TeamListSchema, ...errors } } }, async (request) => {
    const { orgId } = request.params;
    const access = await requireOrgAccess(app.db, request.auth.userId, orgId, 'org:teams:read');
    const teams = access.permissions.has('org:teams:read_all')
      ? await listAllTeams(app.db, orgId)
      : await listTeamsOfMember(app.db, orgId, request.auth.userId);
    return { teams };
  });
};
