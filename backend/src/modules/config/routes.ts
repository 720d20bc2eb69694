import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints, type ClientConfig } from '@collaro/shared';
import { endpointRoute as route } from '../../contract-route.js';

/** Public: tells a client which sign-in and video providers this server uses before anyone signs in. */
export const clientConfigRoutes: FastifyPluginAsyncZod<{ clientConfig: ClientConfig }> = async (app, { clientConfig }) => {
  route(app, endpoints.server.config, async () => clientConfig);
};
