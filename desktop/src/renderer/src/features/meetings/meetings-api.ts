import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  CreatedGuestLinkSchema,
  CalendarTokenResponseSchema,
  JoinMeetingResponseSchema,
  MeetingListSchema,
  MeetingRecordingListSchema,
  MeetingRemovalListSchema,
  MeetingSchema,
  type CreateMeetingBody,
  type Meeting,
  type MeetingScope,
  type UpdateMeetingBody,
} from '@collaro/shared';
import { useServices } from '../../app/services.js';
import { fileNameFor } from './meeting-time.js';
import { meetingKeys } from './query-keys.js';

export function useMeetings(orgId: string | null, scope: MeetingScope) {
  const { api } = useServices();
  return useQuery({
    queryKey: meetingKeys.list(orgId ?? '', scope),
    queryFn: ({ signal }) => api.get(`/api/meetings?orgId=${orgId}&scope=${scope}`, MeetingListSchema, signal),
    enabled: orgId !== null,
    // Live and upcoming change as time passes and as others start meetings.
    refetchInterval: scope === 'previous' ? false : 30_000,
  });
}

export function useMeeting(meetingId: string) {
  const { api } = useServices();
  return useQuery({
    queryKey: meetingKeys.one(meetingId),
    queryFn: ({ signal }) => api.get(`/api/meetings/${meetingId}`, MeetingSchema, signal),
  });
}

export function usePersonalRoom(orgId: string | null) {
  const { api } = useServices();
  return useQuery({
    queryKey: meetingKeys.personalRoom(orgId ?? ''),
    queryFn: ({ signal }) => api.get(`/api/meetings/personal-room?orgId=${orgId}`, MeetingSchema, signal),
    enabled: orgId !== null,
  });
}

export function useRecordings(meetingId: string, enabled: boolean) {
  const { api } = useServices();
  return useQuery({
    queryKey: meetingKeys.recordings(meetingId),
    queryFn: ({ signal }) => api.get(`/api/meetings/${meetingId}/recordings`, MeetingRecordingListSchema, signal),
    enabled,
  });
}

function useInvalidateMeetings() {
  const queryClient = useQueryClient();
  return (meeting?: Meeting) => {
    if (meeting) queryClient.setQueryData(meetingKeys.one(meeting.id), meeting);
    return queryClient.invalidateQueries({ queryKey: meetingKeys.all });
  };
}

export function useCreateMeeting() {
  const { api } = useServices();
  const invalidate = useInvalidateMeetings();
  return useMutation({
    mutationFn: (body: CreateMeetingBody) => api.post('/api/meetings', body, MeetingSchema),
    onSuccess: (meeting) => invalidate(meeting),
  });
}

export function useUpdateMeeting(meetingId: string) {
  const { api } = useServices();
  const invalidate = useInvalidateMeetings();
  return useMutation({
    mutationFn: (body: UpdateMeetingBody) => api.patch(`/api/meetings/${meetingId}`, body, MeetingSchema),
    onSuccess: (meeting) => invalidate(meeting),
  });
}

export function useCancelMeeting() {
  const { api } = useServices();
  const invalidate = useInvalidateMeetings();
  return useMutation({
    mutationFn: (meetingId: string) => api.delete(`/api/meetings/${meetingId}`),
    onSuccess: () => invalidate(),
  });
}

export function useEndMeeting(meetingId: string) {
  const { api } = useServices();
  const invalidate = useInvalidateMeetings();
  return useMutation({
    mutationFn: () => api.post(`/api/meetings/${meetingId}/end`, undefined, MeetingSchema),
    onSuccess: (meeting) => invalidate(meeting),
  });
}

export function useJoinMeeting(meetingId: string) {
  const { api } = useServices();
  return useMutation({
    mutationFn: () => api.post(`/api/meetings/${meetingId}/join`, undefined, JoinMeetingResponseSchema),
  });
}

/** Who the host removed from the current session (host and organization admins only). */
export function useMeetingRemovals(meetingId: string, enabled: boolean) {
  const { api } = useServices();
  return useQuery({
    queryKey: meetingKeys.removals(meetingId),
    queryFn: ({ signal }) => api.get(`/api/meetings/${meetingId}/removals`, MeetingRemovalListSchema, signal),
    enabled,
  });
}

export function useLiftRemoval(meetingId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.delete(`/api/meetings/${meetingId}/removals/${userId}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: meetingKeys.removals(meetingId) }),
  });
}

/** Host: a link that lets people without an account into this meeting as guests. */
export function useCreateGuestLink(meetingId: string) {
  const { api } = useServices();
  return useMutation({
    mutationFn: () => api.post(`/api/meetings/${meetingId}/guest-links`, undefined, CreatedGuestLinkSchema),
  });
}

export function useRotateCalendarToken() {
  const { api } = useServices();
  return useMutation({
    mutationFn: () => api.post('/api/me/calendar-token', undefined, CalendarTokenResponseSchema),
  });
}

/** Fetches the invite with the user's token (a plain link could not send it) and saves it as a file. */
export function useDownloadInvite() {
  const { api } = useServices();
  return useMutation({
    mutationFn: async (meeting: Meeting) => {
      const response = await api.send('GET', `/api/meetings/${meeting.id}/invite.ics`, undefined, undefined);
      const blob = new Blob([await response.text()], { type: 'text/calendar' });
      const url = URL.createObjectURL(blob);
      try {
        const anchor = document.createElement('a');
        anchor.href = url;
        anchor.download = `${fileNameFor(meeting.title)}.ics`;
        document.body.append(anchor);
        anchor.click();
        anchor.remove();
      } finally {
        // The download has been handed to the browser; the object URL may go once this task ends.
        setTimeout(() => URL.revokeObjectURL(url), 0);
      }
    },
  });
}
