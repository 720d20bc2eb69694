/** The home screen's TanStack Query keys, the only place they are spelled. */
export const homeKeys = {
  /**
   * Under the meetings' own prefix (`meetingKeys.all` in features/meetings/query-keys.ts), so
   * scheduling, changing or ending a meeting reloads the home screen's "Next meeting" too.
   */
  upcomingMeetings: (orgId: string | null) => ['meetings', orgId, 'upcoming'] as const,
};
