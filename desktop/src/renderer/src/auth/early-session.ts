import { createBrowserRefreshTokenStore, refreshLockExclusive, type RefreshTokenStore } from './refresh-token-store.js';

/**
 * A returning user's session, restored before the app's code has arrived.
 *
 * In a browser the web build loads this module as its own small script ahead of the app's (see
 * vite.web.config.ts): it reads the stored refresh token and makes the refresh while the app's
 * scripts are still downloading and starting, instead of after. It keeps to what the app would do
 * itself: under the tabs' refresh lock, the rotated token stored before the lock is released, a
 * refused token forgotten. The app takes the outcome (`takeEarlySession`) and checks the answer
 * against the API contract; the contract's schemas are not imported here, because they would bring
 * the validation library into this script and make it as slow to start as the app.
 */

/** `endpoints.auth.refresh.path`, spelled out for the reason above (a test holds the two equal). */
export const EARLY_REFRESH_PATH = '/api/auth/refresh';

export type EarlyRefresh =
  /** The refresh answered 200; its rotated refresh token is already stored. `body` is unchecked. */
  | { outcome: 'refreshed'; body: unknown }
  | { outcome: 'no-token' }
  /** 401 or 422: the stored token is no good and has been forgotten. */
  | { outcome: 'refused' }
  /** Offline, a server error, a server using Clerk: nothing changed, and the app restores as usual. */
  | { outcome: 'not-attempted' };

export interface EarlySession {
  /** The store the refresh used; the app keeps using it (one IndexedDB connection per page). */
  refreshTokens: RefreshTokenStore;
  refresh: Promise<EarlyRefresh>;
}

function hasRefreshToken(body: unknown): body is { refreshToken: string } {
  return typeof body === 'object' && body !== null && 'refreshToken' in body && typeof body.refreshToken === 'string';
}

/** One refresh of the stored token, asking for the profile along with it (what `LocalAuthClient.start` sends). */
export function refreshEarly(
  refreshTokens: RefreshTokenStore,
  fetchImpl: typeof fetch,
  exclusive: <T>(task: () => Promise<T>) => Promise<T> = refreshLockExclusive,
): Promise<EarlyRefresh> {
  return exclusive(async (): Promise<EarlyRefresh> => {
    const refreshToken = await refreshTokens.read();
    if (!refreshToken) return { outcome: 'no-token' };
    let response: Response;
    try {
      response = await fetchImpl(EARLY_REFRESH_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ refreshToken, include: ['me'] }),
      });
    } catch {
      return { outcome: 'not-attempted' };
    }
    if (response.status === 401 || response.status === 422) {
      await refreshTokens.clear();
      return { outcome: 'refused' };
    }
    if (response.status !== 200) return { outcome: 'not-attempted' };
    const body: unknown = await response.json().catch(() => null);
    // The server has rotated the token: the new one must be stored before another tab takes the lock.
    if (!hasRefreshToken(body)) return { outcome: 'not-attempted' };
    await refreshTokens.write(body.refreshToken);
    return { outcome: 'refreshed', body };
  }).catch((): EarlyRefresh => ({ outcome: 'not-attempted' }));
}

let started: EarlySession | null = null;

/** Starts the early refresh (once per page). The desktop app is left alone: its server is known only after main answers. */
export function startEarlySession(): void {
  if (started || typeof window === 'undefined' || window.collaro || typeof indexedDB === 'undefined') return;
  const refreshTokens = createBrowserRefreshTokenStore();
  started = { refreshTokens, refresh: refreshEarly(refreshTokens, (input, init) => fetch(input, init)) };
}

/** The session restore started as the page loaded, if any; handed out once. */
export function takeEarlySession(): EarlySession | null {
  const session = started;
  started = null;
  return session;
}
