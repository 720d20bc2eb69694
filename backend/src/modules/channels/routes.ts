import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiErrorSchema,
  ChannelListSchema,
  ChannelParamsSchema,
  ChannelSchema,
  CreateChannelBodySchema,
  CreateDirectMessageBodySchema,
  MessagePageQuerySchema,
  MessagePageSchema,
  OrgParamsSchema,
  PostMessageBodySchema,
  PostMessageResponseSchema,
  TeamParamsSchema,
  UnreadSchema,
  UpdateChannelBodySchema,
} from '@collaro/shared';
import type { ChatService } from '../chat/service.js';
import type { ChatWriteLimiter } from '../chat/write-limiter.js';
import { conflict, unprocessable } from '../../domain-errors.js';
import { requireChannelAccess } from '../../policy/channel-policy.js';
import { updateTeamChannel } from './repository.js';
import { resourceErrorResponses } from '../../error-responses.js';

const errors = resourceErrorResponses;

/**
 * Channels, history, unread counts and channel administration over HTTP; mounted under /api behind
 * requireAuth. Live commands on messages (edit, delete, react, mark read) are WebSocket frames
 * (chat-frame-handlers.ts). Posting is both: the app sends over its socket, and this route serves
 * clients without one (integrations, scripts), as docs/architecture.md explains.
 */
export const channelRoutes: FastifyPluginAsyncZod<{ chat: ChatService; writeLimiter: ChatWriteLimiter }> = async (app, { chat, writeLimiter }) => {
  const tags = ['chat'];
  // Every write here reaches other people's screens: once valid, it spends the writer's chat budget.
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') await writeLimiter.take(request.auth.userId);
  });

  app.get('/orgs/:orgId/channels', { schema: { tags, params: OrgParamsSchema, response: { 200: ChannelListSchema, ...errors } } }, async (request) => ({
    channels: await chat.listChannels(request.auth.userId, request.params.orgId),
  }));

  app.post(
    '/orgs/:orgId/dms',
    { schema: { tags, params: OrgParamsSchema, body: CreateDirectMessageBodySchema, response: { 200: ChannelSchema, 201: ChannelSchema, ...errors } } },
    async (request, reply) => {
      const { channel, created } = await chat.openDirectMessage(request.auth.userId, request.params.orgId, request.body.userIds);
      return reply.code(created ? 201 : 200).send(channel);
    },
  );

  app.post(
    '/teams/:teamId/channels',
    { schema: { tags, params: TeamParamsSchema, body: CreateChannelBodySchema, response: { 201: ChannelSchema, ...errors } } },
    async (request, reply) => reply.code(201).send(await chat.createTeamChannel(request.auth.userId, request.params.teamId, request.body.name)),
  );

  app.get('/channels/:channelId', { schema: { tags, params: ChannelParamsSchema, response: { 200: ChannelSchema, ...errors } } }, async (request) => {
    const { channel } = await requireChannelAccess(app.db, request.auth.userId, request.params.channelId, 'read');
    return (await chat.toChannels([channel]))[0]!;
  });

  app.patch(
    '/channels/:channelId',
    { schema: { tags, params: ChannelParamsSchema, body: UpdateChannelBodySchema, response: { 200: ChannelSchema, ...errors } } },
    async (request) => {
      const { channel, orgId } = await requireChannelAccess(app.db, request.auth.userId, request.params.channelId, 'read', 'org:channels:manage');
      if (channel.kind !== 'team') throw unprocessable('Only team channels can be renamed or archived');
      const result = await updateTeamChannel(app.db, channel, request.body, new Date());
      if ('problem' in result) {
        throw conflict(
          result.problem === 'name_taken'
            ? 'This team already has a channel with that name'
            : "A team's first channel is where everyone meets: it cannot be archived",
        );
      }
      app.realtime.sendToChannel(channel.id, { type: 'channel.updated', channelId: channel.id, orgId });
      return (await chat.toChannels([result.channel]))[0]!;
    },
  );

  app.get(
    '/channels/:channelId/messages',
    { schema: { tags, params: ChannelParamsSchema, querystring: MessagePageQuerySchema, response: { 200: MessagePageSchema, ...errors } } },
    async (request) => chat.history(request.auth.userId, request.params.channelId, request.query),
  );

  app.post(
    '/channels/:channelId/messages',
    {
      schema: {
        tags,
        params: ChannelParamsSchema,
        body: PostMessageBodySchema,
        response: { 200: PostMessageResponseSchema, 201: PostMessageResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await chat.send(request.auth.userId, { channelId: request.params.channelId, ...request.body });
      return reply.code(result.duplicate ? 200 : 201).send(result);
    },
  );

  app.get('/me/unread', { schema: { tags, response: { 200: UnreadSchema, 401: ApiErrorSchema } } }, async (request) => ({
    channels: await chat.unread(request.auth.userId),
  }));
};
