import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiErrorSchema, MeResponseSchema } from '@collaro/shared';
import { loadProfile } from '../../auth/profile.js';

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('', { schema: { tags: ['me'], response: { 200: MeResponseSchema, 401: ApiErrorSchema } } }, async (request) =>
    loadProfile(app.db, request.auth.userId),
  );
};
