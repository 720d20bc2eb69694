import { ChannelListSchema, ChannelSchema, ChatMessageSchema, MessagePageSchema, type Channel } from '@collaro/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useServices } from '../../app/services.js';

export const HISTORY_PAGE = 50;

export function useChannels(orgId: string | null) {
  const { api } = useServices();
  return useQuery({
    queryKey: ['channels', orgId],
    queryFn: ({ signal }) => api.get(`/api/orgs/${orgId}/channels`, ChannelListSchema, signal),
    enabled: orgId !== null,
  });
}

export function useOpenDirectMessage(orgId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userIds: string[]): Promise<Channel> => api.post(`/api/orgs/${orgId}/dms`, { userIds }, ChannelSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['channels', orgId] }),
  });
}

export function useChatApi() {
  const { api } = useServices();
  return useMemo(() => chatApiFor(api), [api]);
}

function chatApiFor(api: ReturnType<typeof useServices>['api']) {
  return {
    history: (channelId: string, before?: number) =>
      api.get(`/api/channels/${channelId}/messages?limit=${HISTORY_PAGE}${before ? `&before=${before}` : ''}`, MessagePageSchema),
    edit: (channelId: string, messageId: string, body: string) =>
      api.patch(`/api/channels/${channelId}/messages/${messageId}`, { body }, ChatMessageSchema),
    remove: (channelId: string, messageId: string) =>
      api.request('DELETE', `/api/channels/${channelId}/messages/${messageId}`, { schema: ChatMessageSchema }),
    react: (channelId: string, messageId: string, emoji: string, add: boolean) =>
      add
        ? api.post(`/api/channels/${channelId}/messages/${messageId}/reactions`, { emoji }, ChatMessageSchema)
        : api.request('DELETE', `/api/channels/${channelId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`, { schema: ChatMessageSchema }),
  };
}
