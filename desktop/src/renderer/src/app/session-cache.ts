import type { QueryClient } from '@tanstack/react-query';
import type { AuthClient } from '../auth/auth-client.js';

/**
 * Drops the cached data of an account when its session ends (signing out here or in another tab, a
 * revoked session), so the next person on this browser sees none of it. A visitor who was never
 * signed in has no such data: their first state after loading (signed-out) clears nothing, so the
 * screens open to anyone (a meeting's guest link) keep the queries they have already started.
 */
export function clearCacheWhenSessionEnds(auth: Pick<AuthClient, 'getState' | 'subscribe'>, queryClient: QueryClient): () => void {
  let wasSignedIn = auth.getState().status === 'signed-in';
  return auth.subscribe((state) => {
    if (state.status === 'signed-out' && wasSignedIn) queryClient.clear();
    wasSignedIn = state.status === 'signed-in';
  });
}
