import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiRequestError } from '../api/api-error.js';
import { queryKeys } from '../api/query-keys.js';
import { useRefusedAsMissing } from '../features/chat/chat-session-hooks.js';

/**
 * A 404 from something that was there a moment ago usually means the person lost access (removed
 * from the organization or a team): reload who they are, so the app can say so instead of showing
 * "Channel not found". At most once every few seconds, however many requests fail together.
 */
export function useRefreshAccessOnNotFound(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    let last = 0;
    const recheck = (error: unknown) => {
      if (!(error instanceof ApiRequestError) || error.status !== 404 || Date.now() - last < 3_000) return;
      last = Date.now();
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    };
    const unsubscribeQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') recheck(event.action.error);
    });
    const unsubscribeMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') recheck(event.action.error);
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [queryClient]);

  // A message the server refused because its channel "does not exist" tells the same story.
  const refusedAsMissing = useRefusedAsMissing();
  useEffect(() => {
    if (refusedAsMissing) void queryClient.invalidateQueries({ queryKey: queryKeys.me });
  }, [refusedAsMissing, queryClient]);
}
