import { endpoints, type MeResponse } from '@collaro/shared';
import type { QueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../api/api-client.js';
import { meQuery } from '../api/queries.js';
import { upcomingMeetingsQuery } from '../features/home/upcoming-meetings-query.js';
import type { EarlyUpcomingMeetings } from './early-session.js';
import { initialOrgId } from './org-choice.js';
import { paths } from './paths.js';

/**
 * Called with the profile a restored session brought, before any signed-in screen renders: the
 * shell reads it from the cache instead of asking again, and when the app opens on the home screen
 * its meetings are already on their way by the time it mounts: asked for by the early script
 * (`early`, see early-session.ts) when it could, checked against the API contract here, else now.
 */
export function primeFirstScreen(
  queryClient: QueryClient,
  api: ApiClient,
  me: MeResponse,
  pathname: string,
  early: Promise<EarlyUpcomingMeetings | null> | null = null,
): void {
  queryClient.setQueryData(meQuery(api).queryKey, me);
  if (pathname !== paths.home) return;
  const orgId = initialOrgId(me);
  if (!orgId) return;
  const query = upcomingMeetingsQuery(api, orgId);
  void queryClient.prefetchQuery({
    ...query,
    queryFn: async (context) => {
      const answered = await early;
      const meetings = answered?.orgId === orgId ? endpoints.meetings.list.responses[200].safeParse(answered.body) : null;
      return meetings?.success ? meetings.data : query.queryFn!(context);
    },
  });
}
