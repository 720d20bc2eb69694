import { createHash, randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints, invitationPath } from '@collaro/shared';
import type { Clock } from '../../auth/local/access-tokens.js';
import { forbidden, DomainError, notFound } from '../../domain-errors.js';
import { requireOrgAccess } from '../../policy/policy.js';
import { acceptInvitation, findUsableInvitation, insertInvitation, listUsableInvitations, revokeInvitation, type InvitationRow } from './repository.js';
import { findUserById } from '../users/repository.js';
import { organizationMembershipChanged } from '../orgs/membership-changes.js';
import { endpointRoute as route } from '../../contract-route.js';

const api = endpoints.invitations;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Unknown, revoked, expired and used-up links all look the same, so a link reveals nothing once dead. */
const invitationGone = () =>
  new DomainError('not_found', 'This invitation link is not valid any more: it was revoked, has expired or has been used. Ask for a new one.');

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

const toInvitation = (row: InvitationRow) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
});

/**
 * Invitation links: admins create, list and revoke them under an organization; anyone with a link
 * can see what it is for, and a signed-in person accepts it to join.
 */
export const invitationRoutes: FastifyPluginAsyncZod<{ clock?: Clock }> = async (app, options) => {
  const now = () => new Date((options.clock ?? Date.now)());
  const signedIn = { onRequest: app.requireAuth };

  route(
    app,
    api.create,
    async (request, reply) => {
      const { orgId } = request.params;
      await requireOrgAccess(app.db, request.auth.userId, orgId, 'org:members:manage');
      // 256 bits from the system's CSPRNG; only the hash is stored.
      const token = randomBytes(32).toString('base64url');
      const row = await insertInvitation(app.db, {
        orgId,
        role: request.body.role,
        email: request.body.email ?? null,
        tokenHash: hashToken(token),
        createdBy: request.auth.userId,
        expiresAt: new Date(now().getTime() + request.body.expiresInDays * DAY_MS),
      });
      return reply.code(201).send({ ...toInvitation(row), token, url: `${app.config.publicUrl}${invitationPath(token)}` });
    },
    signedIn,
  );

  route(
    app,
    api.list,
    async (request) => {
      const { orgId } = request.params;
      await requireOrgAccess(app.db, request.auth.userId, orgId, 'org:members:manage');
      return { invitations: (await listUsableInvitations(app.db, orgId, now())).map(toInvitation) };
    },
    signedIn,
  );

  route(
    app,
    api.revoke,
    async (request, reply) => {
      const { orgId, invitationId } = request.params;
      await requireOrgAccess(app.db, request.auth.userId, orgId, 'org:members:manage');
      if (!(await revokeInvitation(app.db, orgId, invitationId, now()))) throw notFound('Invitation');
      return reply.code(204).send(null);
    },
    signedIn,
  );

  route(app, api.preview, async (request) => {
    const invitation = await findUsableInvitation(app.db, hashToken(request.params.token), now());
    if (!invitation) throw invitationGone();
    const { orgName, role, email, invitedByName, expiresAt } = invitation;
    return { orgName, role, email, invitedByName, expiresAt: expiresAt.toISOString() };
  });

  route(
    app,
    api.accept,
    async (request) => {
      const user = await findUserById(app.db, request.auth.userId);
      if (!user) throw notFound('User');
      const result = await acceptInvitation(app.db, hashToken(request.params.token), user, now());
      if (result.outcome === 'not_found') throw invitationGone();
      if (result.outcome === 'wrong_email') {
        throw forbidden(`This invitation is for ${result.email}. Sign in with that account to accept it.`);
      }
      if (result.outcome === 'joined') await organizationMembershipChanged(app, [request.auth.userId]);
      return { orgId: result.orgId, role: result.role };
    },
    signedIn,
  );
};
