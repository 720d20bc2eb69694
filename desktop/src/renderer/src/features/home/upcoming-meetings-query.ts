import { endpoints } from '@collaro/shared';
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../api/api-client.js';
import { homeKeys } from './query-keys.js';

/** The organization's upcoming meetings, for the home screen's "Next meeting" (also fetched ahead of it at start-up). */
export const upcomingMeetingsQuery = (api: ApiClient, orgId: string | null) =>
  queryOptions({
    queryKey: homeKeys.upcomingMeetings(orgId),
    queryFn: ({ signal }) => api.call(endpoints.meetings.list, { query: { orgId: orgId ?? '', scope: 'upcoming' }, signal }),
  });
