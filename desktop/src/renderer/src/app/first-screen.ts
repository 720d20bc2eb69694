import type { MeResponse } from '@collaro/shared';
import type { QueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../api/api-client.js';
import { meQuery } from '../api/queries.js';
import { upcomingMeetingsQuery } from '../features/home/upcoming-meetings-query.js';
import { initialOrgId } from './current-org.js';
import { paths } from './paths.js';

/**
 * Called with the profile a restored session brought, before any signed-in screen renders: the
 * shell reads it from the cache instead of asking again, and when the app opens on the home screen
 * its meetings are already on their way by the time it mounts.
 */
export function primeFirstScreen(queryClient: QueryClient, api: ApiClient, me: MeResponse, pathname: string): void {
  queryClient.setQueryData(meQuery(api).queryKey, me);
  if (pathname !== paths.home) return;
  const orgId = initialOrgId(me);
  if (orgId) void queryClient.prefetchQuery(upcomingMeetingsQuery(api, orgId));
}
