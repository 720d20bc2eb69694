import {
  AcceptInvitationResponseSchema,
  CreatedInvitationSchema,
  InvitationListSchema,
  InvitationPreviewSchema,
  type CreateInvitationBody,
} from '@collaro/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../api/query-keys.js';
import { useServices } from '../../app/services.js';
import { invitationKeys } from './query-keys.js';

export function useInvitations(orgId: string) {
  const { api } = useServices();
  return useQuery({ queryKey: invitationKeys.list(orgId), queryFn: ({ signal }) => api.get(`/api/orgs/${orgId}/invitations`, InvitationListSchema, signal) });
}

export function useCreateInvitation(orgId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInvitationBody) => api.post(`/api/orgs/${orgId}/invitations`, body, CreatedInvitationSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationKeys.list(orgId) }),
  });
}

export function useRevokeInvitation(orgId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) => api.delete(`/api/orgs/${orgId}/invitations/${invitationId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationKeys.list(orgId) }),
  });
}

/** What a link invites to; readable without an account. */
export function useInvitationPreview(token: string) {
  const { api } = useServices();
  return useQuery({
    queryKey: invitationKeys.preview(token),
    queryFn: ({ signal }) => api.request('GET', `/api/invitations/${encodeURIComponent(token)}`, { schema: InvitationPreviewSchema, signal, anonymous: true }),
    retry: false,
  });
}

export function useAcceptInvitation(token: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post(`/api/invitations/${encodeURIComponent(token)}/accept`, undefined, AcceptInvitationResponseSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.me }),
  });
}
