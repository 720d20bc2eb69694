import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { endpoints, type CreateMeetingBody, type Meeting, type MeetingScope, type UpdateMeetingBody } from '@collaro/shared';
import { useServices } from '../../app/services.js';
import { fileNameFor } from './meeting-time.js';
import { meetingKeys } from './query-keys.js';

export function useMeetings(orgId: string | null, scope: MeetingScope) {
  const { api } = useServices();
  return useQuery({
    queryKey: meetingKeys.list(orgId ?? '', scope),
    queryFn: ({ signal }) => api.call(endpoints.meetings.list, { query: { orgId: orgId ?? '', scope }, signal }),
    enabled: orgId !== null,
    // Live and upcoming change as time passes and as others start meetings.
    refetchInterval: scope === 'previous' ? false : 30_000,
  });
}

export function useMeeting(meetingId: string) {
  const { api } = useServices();
  return useQuery({
    queryKey: meetingKeys.one(meetingId),
    queryFn: ({ signal }) => api.call(endpoints.meetings.get, { params: { id: meetingId }, signal }),
  });
}

export function usePersonalRoom(orgId: string | null) {
  const { api } = useServices();
  return useQuery({
    queryKey: meetingKeys.personalRoom(orgId ?? ''),
    queryFn: ({ signal }) => api.call(endpoints.meetings.personalRoom, { query: { orgId: orgId ?? '' }, signal }),
    enabled: orgId !== null,
  });
}

export function useRecordings(meetingId: string, enabled: boolean) {
  const { api } = useServices();
  return useQuery({
    queryKey: meetingKeys.recordings(meetingId),
    queryFn: ({ signal }) => api.call(endpoints.meetings.recordings, { params: { id: meetingId }, signal }),
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
    mutationFn: (body: CreateMeetingBody) => api.call(endpoints.meetings.create, { body }),
    onSuccess: (meeting) => invalidate(meeting),
  });
}

export function useUpdateMeeting(meetingId: string) {
  const { api } = useServices();
  const invalidate = useInvalidateMeetings();
  return useMutation({
    mutationFn: (body: UpdateMeetingBody) => api.call(endpoints.meetings.update, { params: { id: meetingId }, body }),
    onSuccess: (meeting) => invalidate(meeting),
  });
}

export function useCancelMeeting() {
  const { api } = useServices();
  const invalidate = useInvalidateMeetings();
  return useMutation({
    mutationFn: async (meetingId: string) => {
      await api.call(endpoints.meetings.cancel, { params: { id: meetingId } });
    },
    onSuccess: () => invalidate(),
  });
}

export function useEndMeeting(meetingId: string) {
  const { api } = useServices();
  const invalidate = useInvalidateMeetings();
  return useMutation({
    mutationFn: () => api.call(endpoints.meetings.end, { params: { id: meetingId } }),
    onSuccess: (meeting) => invalidate(meeting),
  });
}

export function useJoinMeeting(meetingId: string) {
  const { api } = useServices();
  return useMutation({
    mutationFn: () => api.call(endpoints.meetings.join, { params: { id: meetingId } }),
  });
}

/** Who the host removed from the current session (host and organization admins only). */
export function useMeetingRemovals(meetingId: string, enabled: boolean) {
  const { api } = useServices();
  return useQuery({
    queryKey: meetingKeys.removals(meetingId),
    queryFn: ({ signal }) => api.call(endpoints.meetings.removals, { params: { id: meetingId }, signal }),
    enabled,
  });
}

export function useLiftRemoval(meetingId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (userId: string) => {
      await api.call(endpoints.meetings.liftRemoval, { params: { id: meetingId, userId } });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: meetingKeys.removals(meetingId) }),
  });
}

/** Host: a link that lets people without an account into this meeting as guests. */
export function useCreateGuestLink(meetingId: string) {
  const { api } = useServices();
  return useMutation({
    mutationFn: () => api.call(endpoints.meetings.createGuestLink, { params: { id: meetingId } }),
  });
}

export function useRotateCalendarToken() {
  const { api } = useServices();
  return useMutation({
    mutationFn: () => api.call(endpoints.calendar.rotateToken),
  });
}

/** Fetches the invite with the user's token (a plain link could not send it) and saves it as a file. */
export function useDownloadInvite() {
  const { api } = useServices();
  return useMutation({
    mutationFn: async (meeting: Meeting) => {
      const response = await api.download(endpoints.meetings.inviteIcs, { params: { id: meeting.id } });
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
