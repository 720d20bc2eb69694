import { ChatCommandError, endpoints, type Channel, type ChatCommand, type ChatMessage, type RealtimeClient } from '@collaro/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ApiRequestError } from '../../api/api-error.js';
import { queryKeys } from '../../api/query-keys.js';
import { useRealtime } from '../../app/realtime.js';
import { useServices } from '../../app/services.js';
import { chatKeys } from './query-keys.js';

export const HISTORY_PAGE = 50;

export function useChannels(orgId: string | null) {
  const { api } = useServices();
  return useQuery({
    queryKey: chatKeys.channels(orgId),
    queryFn: ({ signal }) => api.call(endpoints.chat.channels, { params: { orgId: orgId ?? '' }, signal }),
    enabled: orgId !== null,
  });
}

export function useOpenDirectMessage(orgId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userIds: string[]): Promise<Channel> => api.call(endpoints.chat.openDirectMessage, { params: { orgId }, body: { userIds } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: chatKeys.channels(orgId) }),
  });
}

/** Who is in a channel, for `@` mentions: a team's members, a direct message's members, else the organization. */
export function useChannelPeople(channel: Channel, orgMembers: { userId: string; name: string }[]): { userId: string; name: string }[] {
  const { api } = useServices();
  const teamId = channel.kind === 'team' ? channel.teamId : null;
  const team = useQuery({
    queryKey: queryKeys.team(teamId ?? ''),
    queryFn: ({ signal }) => api.call(endpoints.teams.get, { params: { teamId: teamId ?? '' }, signal }),
    enabled: teamId !== null,
  });
  return useMemo(() => {
    if (team.data) return team.data.members.map(({ userId, name }) => ({ userId, name }));
    if (channel.kind === 'dm') return orgMembers.filter((member) => channel.memberIds.includes(member.userId));
    return orgMembers;
  }, [team.data, channel, orgMembers]);
}

export function useChatApi() {
  const { api } = useServices();
  const realtime = useRealtime();
  return useMemo(() => chatApiFor(api, realtime?.client ?? null), [api, realtime]);
}

/** A socket refusal reads like the same refusal over HTTP: a 403 shows as "Permission denied". */
const FRAME_CODE_STATUS: Record<string, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_frame: 422,
  rate_limited: 429,
  internal: 500,
};

async function commanded(client: RealtimeClient | null, command: ChatCommand): Promise<ChatMessage> {
  try {
    if (!client) throw new ChatCommandError('offline', 'Not connected to Collaro: try again once reconnected.');
    return await client.command(command);
  } catch (error) {
    const status = error instanceof ChatCommandError ? FRAME_CODE_STATUS[error.code] : undefined;
    throw status && error instanceof ChatCommandError ? new ApiRequestError(status, error.code, error.message) : error;
  }
}

/** History is paged over HTTP; edits, deletions and reactions are live commands on the socket. */
function chatApiFor(api: ReturnType<typeof useServices>['api'], client: RealtimeClient | null) {
  return {
    history: (channelId: string, before?: number) =>
      api.call(endpoints.chat.messages, { params: { channelId }, query: { limit: HISTORY_PAGE, ...(before ? { before } : {}) } }),
    edit: (messageId: string, body: string) => commanded(client, { type: 'chat.edit', messageId, body }),
    remove: (messageId: string) => commanded(client, { type: 'chat.delete', messageId }),
    react: (messageId: string, emoji: string, add: boolean) => commanded(client, { type: 'chat.react', messageId, emoji, add }),
  };
}
