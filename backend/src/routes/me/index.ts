import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiErrorSchema, MeResponseSchema } from '@collaro/shared';
import { unauthorized } from '../../http-errors.js';
import { listOrganizationsOfUser } from '../../repositories/orgs-repository.js';
import { findUserById, toUser } from '../../repositories/users-repository.js';

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('', { schema: { tags: ['me'], response: { 200: MeResponseSchema, 401: ApiErrorSchema } } }, async (request) => {
    const [user, organizations] = await Promise.all([
      findUserById(app.db, request.auth.userId),
      listOrganizationsOfUser(app.db, request.auth.userId),
    ]);
    if (!user) throw unauthorized('Account no longer exists');
    return { user: toUser(user), organizations };
  });
};
