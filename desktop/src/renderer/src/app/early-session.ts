import { createBrowserRefreshTokenStore, refreshLockExclusive, type RefreshTokenStore } from '../auth/refresh-token-store.js';
import { initialOrgId } from './org-choice.js';
import { paths } from './paths.js';

/**
 * A returning user's session, restored before the app's code has arrived.
 *
 * In a browser the web build loads this module as its own small script ahead of the app's (see
 * vite.web.config.ts): it reads the stored refresh token and makes the refresh while the app's
 * scripts are still downloading and starting, instead of after, and on the home screen then asks
 * for its upcoming meetings. It keeps to what the app would do itself: under the tabs' refresh
 * lock, the rotated token stored before the lock is released, a refused token forgotten, the
 * organization the home screen will show. The app takes both answers (`takeEarlySession`) and
 * checks them against the API contract; the contract's schemas are not imported here, because they
 * would bring the validation library into this script and make it as slow to start as the app.
 */

/** `endpoints.auth.refresh.path` and `endpoints.meetings.list.path`, spelled out for the reason above (a test holds them equal). */
export const EARLY_REFRESH_PATH = '/api/auth/refresh';
export const EARLY_MEETINGS_PATH = '/api/meetings';

export type EarlyRefresh =
  /** The refresh answered 200; its rotated refresh token is already stored. `body` is unchecked. */
  | { outcome: 'refreshed'; body: unknown }
  | { outcome: 'no-token' }
  /** 401 or 422: the stored token is no good and has been forgotten. */
  | { outcome: 'refused' }
  /** Offline, a server error, a server using Clerk: nothing changed, and the app restores as usual. */
  | { outcome: 'not-attempted' };

/** The home screen's upcoming meetings in `orgId`, as the server answered them (unchecked). */
export interface EarlyUpcomingMeetings {
  orgId: string;
  body: unknown;
}

export interface EarlySession {
  /** The store the refresh used; the app keeps using it (one IndexedDB connection per page). */
  refreshTokens: RefreshTokenStore;
  refresh: Promise<EarlyRefresh>;
  /** Null when the page is not the home screen, or the refresh or the request did not succeed. */
  upcomingMeetings: Promise<EarlyUpcomingMeetings | null>;
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

interface SessionAnswer {
  accessToken: string;
  me: { user: { id: string }; organizations: { id: string }[] };
}

/** What this script reads of a refresh's answer: the access token and the profile's organizations. */
function sessionAnswer(body: unknown): SessionAnswer | null {
  if (typeof body !== 'object' || body === null || !('accessToken' in body) || typeof body.accessToken !== 'string') return null;
  const me = 'me' in body ? body.me : null;
  if (typeof me !== 'object' || me === null || !('user' in me) || !('organizations' in me)) return null;
  const { user, organizations } = me;
  if (typeof user !== 'object' || user === null || !('id' in user) || typeof user.id !== 'string' || !Array.isArray(organizations)) return null;
  const orgs = (organizations as unknown[]).filter(
    (org): org is { id: string } => typeof org === 'object' && org !== null && 'id' in org && typeof org.id === 'string',
  );
  return { accessToken: body.accessToken, me: { user: { id: user.id }, organizations: orgs } };
}

/** Once the refresh has brought the profile: the upcoming meetings of the organization the home screen will show. */
export async function fetchUpcomingMeetingsEarly(refresh: Promise<EarlyRefresh>, fetchImpl: typeof fetch): Promise<EarlyUpcomingMeetings | null> {
  const outcome = await refresh;
  const answer = outcome.outcome === 'refreshed' ? sessionAnswer(outcome.body) : null;
  const orgId = answer ? initialOrgId(answer.me) : null;
  if (!answer || !orgId) return null;
  try {
    const query = new URLSearchParams({ orgId, scope: 'upcoming' });
    const response = await fetchImpl(`${EARLY_MEETINGS_PATH}?${query}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${answer.accessToken}` },
    });
    return response.status === 200 ? { orgId, body: await response.json() } : null;
  } catch {
    return null;
  }
}

let started: EarlySession | null = null;
let startedOnce = false;

/** Starts the early refresh (once per page). The desktop app is left alone: its server is known only after main answers. */
export function startEarlySession(): void {
  if (startedOnce || typeof window === 'undefined' || window.collaro || typeof indexedDB === 'undefined') return;
  startedOnce = true;
  const refreshTokens = createBrowserRefreshTokenStore();
  const fetchImpl: typeof fetch = (input, init) => fetch(input, init);
  const refresh = refreshEarly(refreshTokens, fetchImpl);
  const upcomingMeetings = window.location.pathname === paths.home ? fetchUpcomingMeetingsEarly(refresh, fetchImpl) : Promise.resolve(null);
  started = { refreshTokens, refresh, upcomingMeetings };
}

/** The session restore started as the page loaded, if any; handed out once. */
export function takeEarlySession(): EarlySession | null {
  const session = started;
  started = null;
  return session;
}
