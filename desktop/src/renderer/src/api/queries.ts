import { queryOptions, useQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { endpoints, type AddOrgMemberBody, type AddTeamMemberBody, type OrgRole } from '@collaro/shared';
import { useServices } from '../app/services.js';
import type { ApiClient } from './api-client.js';
import { queryKeys } from './query-keys.js';

/** Who is signed in and their organizations; seeded at start-up from the session refresh (see app/first-screen.ts). */
export const meQuery = (api: ApiClient) => queryOptions({ queryKey: queryKeys.me, queryFn: ({ signal }) => api.call(endpoints.me.profile, { signal }) });

export function useMe() {
  const { api } = useServices();
  return useQuery(meQuery(api));
}

/** `fresh`: reload whenever the screen opens (the admin list, where people joining by link must show up). */
export function useOrgMembers(orgId: string | null, options: { fresh?: boolean } = {}) {
  const { api } = useServices();
  return useQuery({
    queryKey: queryKeys.members(orgId ?? ''),
    queryFn: ({ signal }) => api.call(endpoints.orgs.members, { params: { orgId: orgId ?? '' }, signal }),
    enabled: orgId !== null,
    ...(options.fresh ? { staleTime: 0 } : {}),
  });
}

export function useTeams(orgId: string | null) {
  const { api } = useServices();
  return useQuery({
    queryKey: queryKeys.teams(orgId ?? ''),
    queryFn: ({ signal }) => api.call(endpoints.orgs.teams, { params: { orgId: orgId ?? '' }, signal }),
    enabled: orgId !== null,
  });
}

export function useTeam(teamId: string) {
  const { api } = useServices();
  return useQuery({ queryKey: queryKeys.team(teamId), queryFn: ({ signal }) => api.call(endpoints.teams.get, { params: { teamId }, signal }) });
}

export function useCreateOrg() {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.call(endpoints.orgs.create, { body: { name } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.me }),
  });
}

export function useAddOrgMember(orgId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AddOrgMemberBody) => api.call(endpoints.orgs.addMember, { params: { orgId }, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.members(orgId) }),
  });
}

export function useChangeOrgRole(orgId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: OrgRole }) => api.call(endpoints.orgs.changeMember, { params: { orgId, userId }, body: { role } }),
    onSuccess: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.members(orgId) }), queryClient.invalidateQueries({ queryKey: queryKeys.me })]),
  });
}

export function useRemoveOrgMember(orgId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (userId: string) => {
      await api.call(endpoints.orgs.removeMember, { params: { orgId, userId } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.members(orgId) }),
  });
}

export function useCreateTeam(orgId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.call(endpoints.orgs.createTeam, { params: { orgId }, body: { name } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.teams(orgId) }),
  });
}

export function useAddTeamMember(teamId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AddTeamMemberBody) => api.call(endpoints.teams.addMember, { params: { teamId }, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.team(teamId) }),
  });
}

export function useRemoveTeamMember(teamId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (userId: string) => {
      await api.call(endpoints.teams.removeMember, { params: { teamId, userId } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.team(teamId) }),
  });
}
