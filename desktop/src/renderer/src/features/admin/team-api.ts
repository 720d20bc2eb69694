import { endpoints, type TeamRole, type UpdateChannelBody } from '@collaro/shared';
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
      mutationFn: (name: string) => api.call(endpoints.teams.rename, { params: { teamId: team.id }, body: { name } }),
      onSuccess: reloadTeam,
    }),
    remove: useMutation({
      mutationFn: async () => {
        await api.call(endpoints.teams.delete, { params: { teamId: team.id } });
      },
      onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.teams(team.orgId) }), reloadChannels()]),
    }),
    changeRole: useMutation({
      mutationFn: ({ userId, role }: { userId: string; role: TeamRole }) =>
        api.call(endpoints.teams.changeMember, { params: { teamId: team.id, userId }, body: { role } }),
      onSuccess: reloadTeam,
    }),
    createChannel: useMutation({
      mutationFn: (name: string) => api.call(endpoints.chat.createTeamChannel, { params: { teamId: team.id }, body: { name } }),
      onSuccess: reloadChannels,
    }),
    updateChannel: useMutation({
      mutationFn: ({ channelId, change }: { channelId: string; change: UpdateChannelBody }) =>
        api.call(endpoints.chat.updateChannel, { params: { channelId }, body: change }),
      onSuccess: reloadChannels,
    }),
  };
}
export type TeamAdmin = ReturnType<typeof useTeamAdmin>;
