import { endpoints } from '@collaro/shared';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../src/renderer/src/api/api-client.js';
import { EARLY_MEETINGS_PATH, fetchUpcomingMeetingsEarly, type EarlyRefresh } from '../../src/renderer/src/app/early-session.js';
import { primeFirstScreen } from '../../src/renderer/src/app/first-screen.js';
import { ORG_KEY, OWNER_KEY } from '../../src/renderer/src/app/org-choice.js';
import { homeKeys } from '../../src/renderer/src/features/home/query-keys.js';

/** A returning user's home screen: its meetings asked for by the early script, taken over by the app. */

const USER = { id: '5e8b0c9a-0000-4000-8000-000000000001', email: 'ada@example.test', name: 'Ada' };
const FIRST_ORG = { id: '5e8b0c9a-0000-4000-8000-0000000000aa', name: 'Analytical', role: 'admin' as const };
const SECOND_ORG = { id: '5e8b0c9a-0000-4000-8000-0000000000bb', name: 'Babbage', role: 'member' as const };
const PROFILE = { user: USER, organizations: [FIRST_ORG, SECOND_ORG] };
const REFRESHED: EarlyRefresh = { outcome: 'refreshed', body: { accessToken: 'access-1', refreshToken: 'refresh-2', me: PROFILE } };
const NO_MEETINGS = { meetings: [] };

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

/** A server that answers the meetings list and records each request with its authorization. */
function meetingsServer(answer: () => Response = () => Response.json(NO_MEETINGS)) {
  const requests: string[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    requests.push(`${String(input)} ${headers.get('authorization') ?? 'anonymous'}`);
    return answer();
  };
  return { requests, fetchImpl };
}

beforeEach(() => {
  vi.stubGlobal('localStorage', memoryStorage());
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the early script on the home screen', () => {
  it('uses the path the API contract declares for the meetings list', () => {
    expect(EARLY_MEETINGS_PATH).toBe(endpoints.meetings.list.path);
  });

  it('asks for the upcoming meetings of the organization the person picked last, with the refreshed access token', async () => {
    localStorage.setItem(OWNER_KEY, USER.id);
    localStorage.setItem(ORG_KEY, SECOND_ORG.id);
    const server = meetingsServer();
    const early = await fetchUpcomingMeetingsEarly(Promise.resolve(REFRESHED), server.fetchImpl);
    expect(server.requests).toEqual([`/api/meetings?orgId=${SECOND_ORG.id}&scope=upcoming Bearer access-1`]);
    expect(early).toEqual({ orgId: SECOND_ORG.id, body: NO_MEETINGS });
  });

  it("takes their first organization when the stored choice is someone else's", async () => {
    localStorage.setItem(OWNER_KEY, 'someone-else');
    localStorage.setItem(ORG_KEY, SECOND_ORG.id);
    const server = meetingsServer();
    expect((await fetchUpcomingMeetingsEarly(Promise.resolve(REFRESHED), server.fetchImpl))?.orgId).toBe(FIRST_ORG.id);
  });

  it('asks for nothing when the session was not restored, or the person has no organization', async () => {
    const server = meetingsServer();
    for (const outcome of [{ outcome: 'refused' }, { outcome: 'not-attempted' }, { outcome: 'no-token' }] as EarlyRefresh[]) {
      expect(await fetchUpcomingMeetingsEarly(Promise.resolve(outcome), server.fetchImpl)).toBeNull();
    }
    const withoutOrgs: EarlyRefresh = { outcome: 'refreshed', body: { accessToken: 'a', refreshToken: 'r', me: { ...PROFILE, organizations: [] } } };
    expect(await fetchUpcomingMeetingsEarly(Promise.resolve(withoutOrgs), server.fetchImpl)).toBeNull();
    expect(server.requests).toEqual([]);
  });

  it('gives up quietly when the server refuses, so the app asks again itself', async () => {
    const server = meetingsServer(() => Response.json({ error: { code: 'forbidden', message: 'no' } }, { status: 403 }));
    expect(await fetchUpcomingMeetingsEarly(Promise.resolve(REFRESHED), server.fetchImpl)).toBeNull();
  });
});

describe('the app priming the home screen', () => {
  async function prime(early: Promise<{ orgId: string; body: unknown } | null>) {
    const server = meetingsServer(() => Response.json({ meetings: [] }));
    const api = new ApiClient('', server.fetchImpl);
    api.useTokens({ getAccessToken: async () => 'access-app', recoverFromUnauthorized: async () => false });
    const queryClient = new QueryClient();
    primeFirstScreen(queryClient, api, PROFILE, '/', early);
    await vi.waitFor(() => expect(queryClient.getQueryData(homeKeys.upcomingMeetings(FIRST_ORG.id))).toBeDefined());
    return { server, meetings: queryClient.getQueryData(homeKeys.upcomingMeetings(FIRST_ORG.id)) };
  }

  it("shows the early script's meetings without asking again", async () => {
    const { server, meetings } = await prime(Promise.resolve({ orgId: FIRST_ORG.id, body: NO_MEETINGS }));
    expect(meetings).toEqual(NO_MEETINGS);
    expect(server.requests).toEqual([]);
  });

  it('asks itself when the early answer is for another organization, breaks the contract, or never came', async () => {
    for (const early of [{ orgId: SECOND_ORG.id, body: NO_MEETINGS }, { orgId: FIRST_ORG.id, body: { meetings: 'none' } }, null]) {
      const { server, meetings } = await prime(Promise.resolve(early));
      expect(meetings).toEqual(NO_MEETINGS);
      expect(server.requests).toEqual([`/api/meetings?orgId=${FIRST_ORG.id}&scope=upcoming Bearer access-app`]);
    }
  });
});
