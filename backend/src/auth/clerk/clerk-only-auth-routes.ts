import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiErrorSchema, endpoints } from '@collaro/shared';
import { DomainError } from '../../domain-errors.js';

/**
 * Stands in for the local account routes when Clerk is on, so an out-of-date client learns why its
 * sign-in fails instead of meeting a 404.
 */
export const clerkOnlyAuthRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const { method, path } of Object.values(endpoints.auth)) {
    app.route({
      method,
      url: path.slice(app.prefix.length),
      schema: { tags: ['auth'], response: { 409: ApiErrorSchema } },
      handler: async () => {
        throw new DomainError(
          'auth_provider_mismatch',
          'This server signs in with Clerk: sign in through Clerk and send its session token as a Bearer token (GET /api/config has the publishable key)',
        );
      },
    });
  }
};
