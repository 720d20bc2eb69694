import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import { endpointRoute as route } from '../../contract-route.js';

export const healthRoutes: FastifyPluginAsyncZod<{ ping: () => Promise<void> }> = async (app, { ping }) => {
  route(app, endpoints.server.health, async (_request, reply) => {
    try {
      await ping();
      return { status: 'ok' as const };
    } catch {
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ status: 'unavailable' as const });
    }
  });
};
