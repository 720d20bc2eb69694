import { endpoints, type ClientConfig, type MeResponse } from '@collaro/shared';
import type { ApiClient } from '../api/api-client.js';
import type { AuthClient } from '../auth/auth-client.js';
import { loadClerkAuthClient } from '../auth/create-auth-client.js';
import { LocalAuthClient } from '../auth/local-auth-client.js';
import { createBrowserRefreshTokenStore } from '../auth/refresh-token-store.js';
import type { EarlySession } from './early-session.js';

export interface ServerConnection {
  config: ClientConfig;
  auth: AuthClient;
  /** Restores the session kept from an earlier visit; for local accounts it is already under way. */
  start(): Promise<void>;
}

/**
 * Reaches the server behind `api`: its configuration and the session kept from an earlier visit,
 * at the same time rather than one after the other. A local refresh token is only ever stored by a
 * server with local accounts, so the local session is restored (under the usual cross-tab lock)
 * while the configuration is on its way; if the server turns out to use Clerk, that attempt is
 * dropped, and Clerk's refusal of local refreshes leaves the stored token alone. `early` is the
 * refresh the page started before the app's code arrived (app/early-session.ts), if it did.
 */
export async function connectToServer(api: ApiClient, onProfile: (me: MeResponse) => void, early: EarlySession | null = null): Promise<ServerConnection> {
  const local = new LocalAuthClient({
    api,
    refreshTokens: early?.refreshTokens ?? createBrowserRefreshTokenStore(),
    earlyRefresh: early?.refresh,
    onProfile,
  });
  api.useTokens(local);
  const restoring = local.start();
  // Whoever calls start() sees a failure; until then it must not count as unhandled.
  restoring.catch(() => undefined);
  let config: ClientConfig;
  try {
    config = await api.call(endpoints.server.config);
  } catch (error) {
    local.dispose();
    throw error;
  }
  if (config.auth === 'local') return { config, auth: local, start: () => restoring };
  local.dispose();
  api.useTokens(null);
  const auth = await loadClerkAuthClient(config, api);
  api.useTokens(auth);
  return { config, auth, start: () => auth.start() };
}
