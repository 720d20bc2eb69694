import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ClientConfigSchema, type ClientConfig } from '@collaro/shared';

/** Public: tells a client which sign-in and video providers this server uses before anyone signs in. */
export const clientConfigRoutes: FastifyPluginAsyncZod<{ clientConfig: ClientConfig }> = async (app, { clientConfig }) => {
  app.get('', { schema: { tags: ['config'], response: { 200: ClientConfigSchema } } }, async () => clientConfig);
};
