import { MutationCache, QueryClient } from '@tanstack/react-query';
import { ApiClient } from '../api/api-client.js';
import { ApiRequestError } from '../api/api-error.js';
import { queryKeys } from '../api/query-keys.js';
import { desktopBridge } from '../platform/desktop-bridge.js';
import { connectToServer, type ServerConnection } from './connect.js';
import { takeEarlySession, type EarlySession } from './early-session.js';
import { primeFirstScreen } from './first-screen.js';

/**
 * What the app starts before React exists. main.tsx imports this module first, so its body runs
 * before React DOM, the router and the screens are evaluated: in a browser the session is being
 * restored (and the home screen's data asked for) while the rest of the code is still starting,
 * instead of after it.
 */

function retryable(error: unknown): boolean {
  return !(error instanceof ApiRequestError) || error.status >= 500 || error.status === 429;
}

// One per page, created with the module so that data asked for at start-up lands where the screens read it.
export const queryClient: QueryClient = new QueryClient({
  // A 403 means the user's roles changed under them: reload them so the screens hide what they can no longer do.
  mutationCache: new MutationCache({
    onError: (error) => {
      if (error instanceof ApiRequestError && error.status === 403) void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
  }),
  defaultOptions: {
    queries: { staleTime: 15_000, retry: (count, error) => count < 2 && retryable(error), refetchOnWindowFocus: true },
    mutations: { retry: false },
  },
});

export function connect(apiBase: string, early: EarlySession | null = null): { api: ApiClient; connection: Promise<ServerConnection> } {
  const api = new ApiClient(apiBase);
  const connection = connectToServer(api, (me) => primeFirstScreen(queryClient, api, me, window.location.pathname, early?.upcomingMeetings ?? null), early);
  // Whoever takes it sees a failure; until then it must not count as unhandled.
  connection.catch(() => undefined);
  return { api, connection };
}

/** A browser's server is the page's own origin, known at once; the desktop app reads its saved address first. */
// The refresh the early script started (same origin, so it is this connection's) is taken over here.
let earlyConnection: ReturnType<typeof connect> | null = desktopBridge() ? null : connect('', takeEarlySession());

/** The connection started as the page loaded, if it was to `apiBase` (once; later calls start anew). */
export function takeEarlyConnection(apiBase: string): ReturnType<typeof connect> | null {
  const early = earlyConnection?.api.baseUrl === apiBase ? earlyConnection : null;
  earlyConnection = null;
  return early;
}
