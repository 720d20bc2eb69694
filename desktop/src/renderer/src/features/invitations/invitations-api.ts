import { endpoints, type CreateInvitationBody } from '@collaro/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../api/query-keys.js';
import { useServices } from '../../app/services.js';
import { invitationKeys } from './query-keys.js';

export function useInvitations(orgId: string) {
  const { api } = useServices();
  return useQuery({ queryKey: invitationKeys.list(orgId), queryFn: ({ signal }) => api.call(endpoints.invitations.list, { params: { orgId }, signal }) });
}

export function useCreateInvitation(orgId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInvitationBody) => api.call(endpoints.invitations.create, { params: { orgId }, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationKeys.list(orgId) }),
  });
}

export function useRevokeInvitation(orgId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (invitationId: string) => {
      await api.call(endpoints.invitations.revoke, { params: { orgId, invitationId } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationKeys.list(orgId) }),
  });
}

/** What a link invites to; readable without an account. */
export function useInvitationPreview(token: string) {
  const { api } = useServices();
  return useQuery({
    queryKey: invitationKeys.preview(token),
    queryFn: ({ signal }) => api.call(endpoints.invitations.preview, { params: { token }, signal, anonymous: true }),
    retry: false,
  });
}

export function useAcceptInvitation(token: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.call(endpoints.invitations.accept, { params: { token } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.me }),
  });
}
