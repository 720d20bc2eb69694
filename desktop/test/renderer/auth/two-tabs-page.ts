/**
 * A test page for the local auth client in real Chromium: each tab of the test runs the real
 * client with the real shared refresh-token store and the real cross-tab lock, against the page's
 * own origin.
 */
import { ApiClient } from '../../../src/renderer/src/api/api-client.js';
import { LocalAuthClient } from '../../../src/renderer/src/auth/local-auth-client.js';
import { createBrowserRefreshTokenStore, LEGACY_REFRESH_TOKEN_KEY } from '../../../src/renderer/src/auth/refresh-token-store.js';

const refreshTokens = createBrowserRefreshTokenStore();
const auth = new LocalAuthClient({ api: new ApiClient(''), refreshTokens });

Object.assign(window, {
  collaroAuth: {
    keep: (token: string) => refreshTokens.write(token),
    /** Where an earlier version of the app kept the token. */
    keepAsEarlierVersionDid: (token: string) => localStorage.setItem(LEGACY_REFRESH_TOKEN_KEY, token),
    earlierVersionsToken: () => localStorage.getItem(LEGACY_REFRESH_TOKEN_KEY),
    /** Refreshes `times` times in a row, as a tab that keeps reloading would; the outcome of each. */
    async refreshRepeatedly(times: number): Promise<boolean[]> {
      const outcomes: boolean[] = [];
      for (let index = 0; index < times; index += 1) outcomes.push(await auth.refresh());
      return outcomes;
    },
    state: () => auth.getState(),
  },
});
