import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import { loadProfile } from '../../auth/profile.js';
import { endpointRoute as route } from '../../contract-route.js';

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  route(app, endpoints.me.profile, async (request) => loadProfile(app.db, request.auth.userId));
};
