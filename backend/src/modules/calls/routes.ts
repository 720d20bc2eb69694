import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import type { CallService } from './service.js';
import { endpointRoute as route } from '../../contract-route.js';

const api = endpoints.calls;

/** Ringing calls from direct messages; mounted under /api behind requireAuth. */
export const callRoutes: FastifyPluginAsyncZod<{ calls: CallService }> = async (app, { calls }) => {
  route(app, api.start, async (request, reply) => {
    const started = await calls.start(request.auth.userId, request.params.channelId);
    return reply.code(started.created ? 201 : 200).send(started);
  });

  route(app, api.active, async (request) => ({ calls: await calls.active(request.auth.userId) }));

  route(app, api.get, async (request) => calls.get(request.auth.userId, request.params.callId));

  route(app, api.accept, async (request) => calls.accept(request.auth.userId, request.params.callId));
  route(app, api.decline, async (request) => calls.decline(request.auth.userId, request.params.callId));
  route(app, api.cancel, async (request) => calls.cancel(request.auth.userId, request.params.callId));
  route(app, api.hangUp, async (request) => calls.hangUp(request.auth.userId, request.params.callId));
};
