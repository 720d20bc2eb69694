import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import type { ChatService } from '../chat/service.js';
import type { ChatWriteLimiter } from '../chat/write-limiter.js';
import { endpointRoute as route } from '../../contract-route.js';

const api = endpoints.chat;

/**
 * Channels, history, unread counts and channel administration over HTTP; mounted under /api behind
 * requireAuth. Live commands on messages (edit, delete, react, mark read) are WebSocket frames
 * (chat-frame-handlers.ts). Posting is both: the app sends over its socket, and this route serves
 * clients without one (integrations, scripts), as docs/architecture.md explains.
 */
export const channelRoutes: FastifyPluginAsyncZod<{ chat: ChatService; writeLimiter: ChatWriteLimiter }> = async (app, { chat, writeLimiter }) => {
  // Every write here reaches other people's screens: once valid, it spends the writer's chat budget.
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') await writeLimiter.take(request.auth.userId);
  });

  route(app, api.channels, async (request) => ({
    channels: await chat.listChannels(request.auth.userId, request.params.orgId),
  }));

  route(app, api.openDirectMessage, async (request, reply) => {
    const { channel, created } = await chat.openDirectMessage(request.auth.userId, request.params.orgId, request.body.userIds);
    return reply.code(created ? 201 : 200).send(channel);
  });

  route(app, api.createTeamChannel, async (request, reply) =>
    reply.code(201).send(await chat.createTeamChannel(request.auth.userId, request.params.teamId, request.body.name)),
  );

  route(app, api.channel, async (request) => chat.channel(request.auth.userId, request.params.channelId));

  route(app, api.updateChannel, async (request) => chat.updateChannel(request.auth.userId, request.params.channelId, request.body));

  route(app, api.messages, async (request) => chat.history(request.auth.userId, request.params.channelId, request.query));

  route(app, api.postMessage, async (request, reply) => {
    const result = await chat.send(request.auth.userId, { channelId: request.params.channelId, ...request.body });
    return reply.code(result.duplicate ? 200 : 201).send(result);
  });

  route(app, api.unread, async (request) => ({
    channels: await chat.unread(request.auth.userId),
  }));
};
