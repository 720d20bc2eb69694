import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Call, ActiveCallListSchema, CallParamsSchema, CallSchema, ChannelParamsSchema, StartCallResponseSchema } from '@collaro/shared';
import type { CallService } from './service.js';
import { resourceErrorResponses } from '../../error-responses.js';

const errors = resourceErrorResponses;

/** Ringing calls from direct messages; mounted under /api behind requireAuth. */
export const callRoutes: FastifyPluginAsyncZod<{ calls: CallService }> = async (app, { calls }) => {
  const tags = ['calls'];

  app.post(
    '/channels/:channelId/calls',
    { schema: { tags, params: ChannelParamsSchema, response: { 200: StartCallResponseSchema, 201: StartCallResponseSchema, ...errors } } },
    async (request, reply) => {
      const started = await calls.start(request.auth.userId, request.params.channelId);
      return reply.code(started.created ? 201 : 200).send(started);
    },
  );

  app.get('/calls/active', { schema: { tags, response: { 200: ActiveCallListSchema, ...errors } } }, async (request) => ({
    calls: await calls.active(request.auth.userId),
  }));

  app.get('/calls/:callId', { schema: { tags, params: CallParamsSchema, response: { 200: CallSchema, ...errors } } }, async (request) =>
    calls.get(request.auth.userId, request.params.callId),
  );

  const action = (path: string, run: (userId: string, callId: string) => Promise<Call>) =>
    app.post(`/calls/:callId/${path}`, { schema: { tags, params: CallParamsSchema, response: { 200: CallSchema, ...errors } } }, async (request) =>
      run(request.auth.userId, request.params.callId),
    );
  action('accept', (userId, callId) => calls.accept(userId, callId));
  action('decline', (userId, callId) => calls.decline(userId, callId));
  action('cancel', (userId, callId) => calls.cancel(userId, callId));
  action('hang-up', (userId, callId) => calls.hangUp(userId, callId));
};
