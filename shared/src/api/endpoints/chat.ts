import { ApiErrorSchema } from '../../errors.js';
import {
  ChannelListSchema,
  ChannelParamsSchema,
  ChannelSchema,
  CreateChannelBodySchema,
  CreateDirectMessageBodySchema,
  MessagePageQuerySchema,
  MessagePageSchema,
  PostMessageBodySchema,
  PostMessageResponseSchema,
  UnreadSchema,
  UpdateChannelBodySchema,
} from '../chat.js';
import { endpoint, resourceErrorResponses as errors } from '../http-contract.js';
import { OrgParamsSchema, TeamParamsSchema } from '../orgs.js';

const tags = ['chat'];

/** Channels, history, unread counts and channel administration (live message commands are WebSocket frames). */
export const chatEndpoints = {
  channels: endpoint({ method: 'GET', path: '/api/orgs/:orgId/channels', tags, params: OrgParamsSchema, responses: { 200: ChannelListSchema, ...errors } }),
  /** 201 when the conversation is new; 200 with the existing one. */
  openDirectMessage: endpoint({
    method: 'POST',
    path: '/api/orgs/:orgId/dms',
    tags,
    params: OrgParamsSchema,
    body: CreateDirectMessageBodySchema,
    responses: { 200: ChannelSchema, 201: ChannelSchema, ...errors },
  }),
  createTeamChannel: endpoint({
    method: 'POST',
    path: '/api/teams/:teamId/channels',
    tags,
    params: TeamParamsSchema,
    body: CreateChannelBodySchema,
    responses: { 201: ChannelSchema, ...errors },
  }),
  channel: endpoint({ method: 'GET', path: '/api/channels/:channelId', tags, params: ChannelParamsSchema, responses: { 200: ChannelSchema, ...errors } }),
  updateChannel: endpoint({
    method: 'PATCH',
    path: '/api/channels/:channelId',
    tags,
    params: ChannelParamsSchema,
    body: UpdateChannelBodySchema,
    responses: { 200: ChannelSchema, ...errors },
  }),
  messages: endpoint({
    method: 'GET',
    path: '/api/channels/:channelId/messages',
    tags,
    params: ChannelParamsSchema,
    query: MessagePageQuerySchema,
    responses: { 200: MessagePageSchema, ...errors },
  }),
  /** 201 for a new message; 200 when its client message id was already posted. */
  postMessage: endpoint({
    method: 'POST',
    path: '/api/channels/:channelId/messages',
    tags,
    params: ChannelParamsSchema,
    body: PostMessageBodySchema,
    responses: { 200: PostMessageResponseSchema, 201: PostMessageResponseSchema, ...errors },
  }),
  unread: endpoint({ method: 'GET', path: '/api/me/unread', tags, responses: { 200: UnreadSchema, 401: ApiErrorSchema } }),
};
