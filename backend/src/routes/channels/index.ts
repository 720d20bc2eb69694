import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiErrorSchema,
  ChannelListSchema,
  ChannelMessageParamsSchema,
  ChannelParamsSchema,
  ChannelSchema,
  ChatMessageSchema,
  CreateChannelBodySchema,
  CreateDirectMessageBodySchema,
  EditMessageBodySchema,
  EmojiSchema,
  MarkReadBodySchema,
  MessagePageQuerySchema,
  MessagePageSchema,
  OrgParamsSchema,
  PostMessageBodySchema,
  PostMessageResponseSchema,
  ReactionBodySchema,
  TeamParamsSchema,
  UnreadChannelSchema,
  UnreadSchema,
} from '@collaro/shared';
import type { ChatService } from '../../chat/chat-service.js';
import { notFound } from '../../http-errors.js';
import { requireChannelAccess } from '../../policy/channel-policy.js';
import { findMessage } from '../../repositories/messages-repository.js';
import { resourceErrorResponses } from '../error-responses.js';

const errors = resourceErrorResponses;

/** Channels, messages and unread counts over HTTP; mounted under /api behind requireAuth. */
export const channelRoutes: FastifyPluginAsyncZod<{ chat: ChatService }> = async (app, { chat }) => {
  const tags = ['chat'];

  app.get(
    '/orgs/:orgId/channels',
    { schema: { tags, params: OrgParamsSchema, response: { 200: ChannelListSchema, ...errors } } },
    async (request) => ({ channels: await chat.listChannels(request.auth.userId, request.params.orgId) }),
  );

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

  app.get(
    '/channels/:channelId',
    { schema: { tags, params: ChannelParamsSchema, response: { 200: ChannelSchema, ...errors } } },
    async (request) => {
      const { channel } = await requireChannelAccess(app.db, request.auth.userId, request.params.channelId, 'read');
      return (await chat.toChannels([channel]))[0]!;
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

  app.patch(
    '/channels/:channelId/messages/:messageId',
    { schema: { tags, params: ChannelMessageParamsSchema, body: EditMessageBodySchema, response: { 200: ChatMessageSchema, ...errors } } },
    async (request) => {
      await requireMessageInChannel(request.params);
      return chat.edit(request.auth.userId, request.params.messageId, request.body.body);
    },
  );

  app.delete(
    '/channels/:channelId/messages/:messageId',
    { schema: { tags, params: ChannelMessageParamsSchema, response: { 200: ChatMessageSchema, ...errors } } },
    async (request) => {
      await requireMessageInChannel(request.params);
      return chat.remove(request.auth.userId, request.params.messageId);
    },
  );

  app.post(
    '/channels/:channelId/messages/:messageId/reactions',
    { schema: { tags, params: ChannelMessageParamsSchema, body: ReactionBodySchema, response: { 200: ChatMessageSchema, ...errors } } },
    async (request) => {
      await requireMessageInChannel(request.params);
      return chat.react(request.auth.userId, request.params.messageId, request.body.emoji, true);
    },
  );

  app.delete(
    '/channels/:channelId/messages/:messageId/reactions/:emoji',
    {
      schema: {
        tags,
        params: ChannelMessageParamsSchema.extend({ emoji: EmojiSchema }),
        response: { 200: ChatMessageSchema, ...errors },
      },
    },
    async (request) => {
      await requireMessageInChannel(request.params);
      return chat.react(request.auth.userId, request.params.messageId, request.params.emoji, false);
    },
  );

  app.post(
    '/channels/:channelId/read',
    { schema: { tags, params: ChannelParamsSchema, body: MarkReadBodySchema, response: { 200: UnreadChannelSchema, ...errors } } },
    async (request) => chat.markRead(request.auth.userId, request.params.channelId, request.body.seq),
  );

  app.get('/me/unread', { schema: { tags, response: { 200: UnreadSchema, 401: ApiErrorSchema } } }, async (request) => ({
    channels: await chat.unread(request.auth.userId),
  }));

  /** A message addressed through the wrong channel does not exist there. */
  async function requireMessageInChannel(params: { channelId: string; messageId: string }) {
    const message = await findMessage(app.db, params.messageId);
    if (!message || message.channelId !== params.channelId) throw notFound('Message');
  }
};
