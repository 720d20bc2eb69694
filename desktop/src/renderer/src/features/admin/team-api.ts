import { ChannelSchema, TeamMemberSchema, TeamSchema, type TeamRole, type UpdateChannelBody } from '@collaro/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../api/query-keys.js';
import { useServices } from '../../app/services.js';
import { chatKeys } from '../chat/query-keys.js';

/** Changes to a team and its channels; each reloads what shows the changed thing. */
export function useTeamAdmin(team: { id: string; orgId: string }) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  const reloadTeam = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.team(team.id) }),
      queryClient.invalidateQueries({ queryKey: queryKeys.teams(team.orgId) }),
    ]);
  const reloadChannels = () => queryClient.invalidateQueries({ queryKey: chatKeys.channels(team.orgId) });
  return {
    rename: useMutation({
      mutationFn: (name: string) => api.patch(`/api/teams/${team.id}`, { name }, TeamSchema),
      onSuccess: reloadTeam,
    }),
    remove: useMutation({
      mutationFn: () => api.delete(`/api/teams/${team.id}`),
      onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.teams(team.orgId) }), reloadChannels()]),
    }),
    changeRole: useMutation({
      mutationFn: ({ userId, role }: { userId: string; role: TeamRole }) => api.patch(`/api/teams/${team.id}/members/${userId}`, { role }, TeamMemberSchema),
      onSuccess: reloadTeam,
    }),
    createChannel: useMutation({
      mutationFn: (name: string) => api.post(`/api/teams/${team.id}/channels`, { name }, ChannelSchema),
      onSuccess: reloadChannels,
    }),
    updateChannel: useMutation({
      mutationFn: ({ channelId, change }: { channelId: string; change: UpdateChannelBody }) => api.patch(`/api/channels/${channelId}`, change, ChannelSchema),
      onSuccess: reloadChannels,
    }),
  };
}
export type TeamAdmin = ReturnType<typeof useTeamAdmin>;
