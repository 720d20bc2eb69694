import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/renderer/src/api/api-client.js';
import { LocalAuthClient, REFRESH_MARGIN_MS, accessTokenExpiry } from '../../src/renderer/src/auth/local-auth-client.js';
import { endpoints } from '@collaro/shared';
import { EARLY_REFRESH_PATH, refreshEarly, type EarlyRefresh } from '../../src/renderer/src/app/early-session.js';
import type { RefreshTokenStore } from '../../src/renderer/src/auth/refresh-token-store.js';

const USER = { id: '5e8b0c9a-0000-4000-8000-000000000001', email: 'ada@example.test', name: 'Ada' };
const PROFILE = { user: USER, organizations: [{ id: '5e8b0c9a-0000-4000-8000-0000000000aa', name: 'Analytical', role: 'admin' as const }] };

function jwtExpiringAt(expSeconds: number, n: number): string {
  const encode = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'EdDSA' })}.${encode({ sub: USER.id, exp: expSeconds, n })}.signature`;
}

/** The shared refresh-token store, in memory: what every tab of the app would read and write. */
class MemoryRefreshTokenStore implements RefreshTokenStore {
  token: string | null = null;
  private readonly listeners = new Set<() => void>();
  async read() {
    return this.token;
  }
  async write(token: string) {
    this.token = token;
  }
  async clear() {
    this.token = null;
  }
  onClearedElsewhere(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** Another tab signs out. */
  clearElsewhere() {
    this.token = null;
    for (const listener of this.listeners) listener();
  }
}

/** A stand-in for the auth routes: rotating refresh tokens, each good for one use. */
function fakeServer(now: () => number) {
  let issued = 0;
  const validRefresh = new Set<string>();
  const calls: string[] = [];
  let refreshFails: 'unauthorized' | 'network' | null = null;
  /** Servers before the profile could ride along with a refresh ignore `include`. */
  let includesProfile = true;
  const pair = () => {
    issued += 1;
    const refreshToken = `refresh-${issued}`;
    validRefresh.add(refreshToken);
    return { accessToken: jwtExpiringAt(Math.floor(now() / 1000) + 15 * 60, issued), refreshToken };
  };
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = String(input);
    calls.push(`${init?.method ?? 'GET'} ${url}${init?.headers && 'authorization' in init.headers ? ' +auth' : ''}`);
    const body = init?.body ? JSON.parse(String(init.body)) : null;
    if (url === '/api/auth/signup') return json(201, { ...pair(), user: USER });
    if (url === '/api/auth/refresh') {
      if (refreshFails === 'network') throw new TypeError('Failed to fetch');
      if (refreshFails === 'unauthorized' || !validRefresh.delete(body.refreshToken)) {
        return json(401, { error: { code: 'unauthorized', message: 'Refresh token revoked' } });
      }
      const withProfile = includesProfile && Array.isArray(body.include) && body.include.includes('me');
      return json(200, withProfile ? { ...pair(), me: PROFILE } : pair());
    }
    if (url === '/api/me') return json(200, PROFILE);
    if (url === '/api/auth/logout') return new Response(null, { status: 204 });
    return json(404, { error: { code: 'not_found', message: 'no' } });
  };
  return {
    fetchImpl,
    calls,
    failRefresh: (mode: 'unauthorized' | 'network' | null) => {
      refreshFails = mode;
    },
    actAsOlderServer: () => {
      includesProfile = false;
    },
  };
}

function setup() {
  let clock = Date.parse('2026-11-23T10:00:00Z');
  const timers: { at: number; callback: () => void }[] = [];
  const server = fakeServer(() => clock);
  const storage = new MemoryRefreshTokenStore();
  const api = new ApiClient('', server.fetchImpl);
  const auth = new LocalAuthClient({
    api,
    refreshTokens: storage,
    now: () => clock,
    setTimer: (callback, ms) => {
      const timer = { at: clock + ms, callback };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      const index = timers.indexOf(handle as (typeof timers)[number]);
      if (index >= 0) timers.splice(index, 1);
    },
  });
  api.useTokens(auth);
  return {
    auth,
    api,
    storage,
    server,
    timers,
    advance: (ms: number) => {
      clock += ms;
    },
    now: () => clock,
  };
}

describe('local auth client', () => {
  it('keeps the access token in memory and only the refresh token in storage', async () => {
    const { auth, storage } = setup();
    await auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    expect(auth.getState()).toEqual({ status: 'signed-in', user: USER });
    expect(storage.token).toBe('refresh-1');
    const accessToken = await auth.getAccessToken();
    expect(accessToken).toMatch(/^[\w-]+\.[\w-]+\.signature$/);
  });

  it('schedules the refresh a minute before the 15-minute expiry and rotates the refresh token', async () => {
    const { auth, storage, timers, now, advance } = setup();
    await auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    expect(timers).toHaveLength(1);
    expect(timers[0]!.at - now()).toBe(15 * 60_000 - REFRESH_MARGIN_MS);

    advance(15 * 60_000 - REFRESH_MARGIN_MS);
    timers[0]!.callback();
    await auth.refresh();
    expect(storage.token).toBe('refresh-2');
    expect(accessTokenExpiry((await auth.getAccessToken())!)).toBe(Math.floor(now() / 1000) * 1000 + 15 * 60_000);
  });

  it('refreshes once for concurrent requests made with an almost expired token', async () => {
    const { auth, server, advance } = setup();
    await auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    advance(15 * 60_000 - 30_000);
    const tokens = await Promise.all([auth.getAccessToken(), auth.getAccessToken(), auth.getAccessToken()]);
    expect(new Set(tokens).size).toBe(1);
    expect(server.calls.filter((call) => call.startsWith('POST /api/auth/refresh'))).toHaveLength(1);
    expect(auth.getState().status).toBe('signed-in');
  });

  it('restores a session after a reload from the stored refresh token', async () => {
    const first = setup();
    await first.auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    const reloaded = new LocalAuthClient({ api: first.api, refreshTokens: first.storage, now: first.now, setTimer: () => 0, clearTimer: () => undefined });
    first.api.useTokens(reloaded);
    await reloaded.start();
    expect(reloaded.getState()).toEqual({ status: 'signed-in', user: USER });
    expect(first.storage.token).toBe('refresh-2');
  });

  it('restores a session with one request: the refresh brings the profile, handed over before the state turns signed-in', async () => {
    const first = setup();
    await first.auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    const seen: string[] = [];
    const reloaded = new LocalAuthClient({
      api: first.api,
      refreshTokens: first.storage,
      now: first.now,
      setTimer: () => 0,
      clearTimer: () => undefined,
      onProfile: (me) => seen.push(`profile ${me.organizations.map((org) => org.name).join()} while ${reloaded.getState().status}`),
    });
    reloaded.subscribe((state) => seen.push(state.status));
    first.api.useTokens(reloaded);
    first.server.calls.length = 0;
    await reloaded.start();
    expect(first.server.calls).toEqual(['POST /api/auth/refresh']);
    expect(seen).toEqual(['profile Analytical while loading', 'signed-in']);
    expect(reloaded.getState()).toEqual({ status: 'signed-in', user: USER });
  });

  it('asks for the profile separately when the server does not send it with the refresh', async () => {
    const first = setup();
    await first.auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    first.server.actAsOlderServer();
    const profiles: unknown[] = [];
    const reloaded = new LocalAuthClient({
      api: first.api,
      refreshTokens: first.storage,
      now: first.now,
      setTimer: () => 0,
      clearTimer: () => undefined,
      onProfile: (me) => profiles.push(me),
    });
    first.api.useTokens(reloaded);
    first.server.calls.length = 0;
    await reloaded.start();
    expect(first.server.calls).toEqual(['POST /api/auth/refresh', 'GET /api/me +auth']);
    expect(profiles).toEqual([PROFILE]);
    expect(reloaded.getState()).toEqual({ status: 'signed-in', user: USER });
  });

  it('signs out with a reason when the server revokes the session, and forgets the refresh token', async () => {
    const { auth, storage, server, advance } = setup();
    await auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    server.failRefresh('unauthorized');
    advance(15 * 60_000);
    expect(await auth.getAccessToken()).toBeNull();
    expect(auth.getState()).toEqual({ status: 'signed-out', reason: 'Your session has ended. Sign in again.' });
    expect(storage.token).toBeNull();
  });

  it('keeps the refresh token when the server cannot be reached, so a later start can succeed', async () => {
    const { auth, storage, server } = setup();
    await auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    server.failRefresh('network');
    await auth.start();
    expect(auth.getState()).toMatchObject({ status: 'signed-out', reason: expect.stringContaining('Cannot reach') });
    expect(storage.token).toBe('refresh-1');
    server.failRefresh(null);
    await auth.start();
    expect(auth.getState()).toEqual({ status: 'signed-in', user: USER });
  });

  it('signs out on the server and locally', async () => {
    const { auth, storage, server } = setup();
    await auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    await auth.signOut();
    expect(server.calls).toContain('POST /api/auth/logout +auth');
    expect(auth.getState().status).toBe('signed-out');
    expect(storage.token).toBeNull();
  });
});

describe("a returning user's page, refreshing before the app's code has arrived", () => {
  /** A signed-up user's reloaded page: the early script refreshes, then the app starts with its outcome. */
  async function reloadWithEarlyRefresh(prepare?: (world: ReturnType<typeof setup>) => void) {
    const world = setup();
    await world.auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    prepare?.(world);
    world.server.calls.length = 0;
    const early = refreshEarly(world.storage, world.server.fetchImpl, (task) => task());
    const seen: string[] = [];
    const app = new LocalAuthClient({
      api: world.api,
      refreshTokens: world.storage,
      now: world.now,
      setTimer: (_callback, ms) => seen.push(`refresh planned in ${ms} ms`),
      clearTimer: () => undefined,
      earlyRefresh: early,
      onProfile: (me) => seen.push(`profile of ${me.user.name}`),
    });
    world.api.useTokens(app);
    await app.start();
    return { world, app, seen, early: await early };
  }

  it('uses the path the API contract declares for the refresh', () => {
    expect(EARLY_REFRESH_PATH).toBe(endpoints.auth.refresh.path);
  });

  it('signs in from the early refresh with no request of its own, keeping the rotated token and planning the next refresh', async () => {
    const { world, app, seen, early } = await reloadWithEarlyRefresh();
    expect(early.outcome).toBe('refreshed');
    expect(world.server.calls).toEqual(['POST /api/auth/refresh']);
    expect(app.getState()).toEqual({ status: 'signed-in', user: USER });
    expect(world.storage.token).toBe('refresh-2');
    expect(seen).toEqual([`refresh planned in ${15 * 60_000 - REFRESH_MARGIN_MS} ms`, 'profile of Ada']);
    world.api.useTokens(app);
    expect(await app.getAccessToken()).toMatch(/\./);
  });

  it('signs out with a reason and forgets the token when the server refuses it', async () => {
    const { world, app, early } = await reloadWithEarlyRefresh((w) => w.server.failRefresh('unauthorized'));
    expect(early).toEqual<EarlyRefresh>({ outcome: 'refused' });
    expect(world.server.calls).toEqual(['POST /api/auth/refresh']);
    expect(app.getState()).toEqual({ status: 'signed-out', reason: 'Your session has ended. Sign in again.' });
    expect(world.storage.token).toBeNull();
  });

  it('leaves the restore to the app when the server cannot be reached, keeping the token for it', async () => {
    const { world, app, early } = await reloadWithEarlyRefresh((w) => w.server.failRefresh('network'));
    expect(early).toEqual<EarlyRefresh>({ outcome: 'not-attempted' });
    // The app tried again itself, and was told the server is out of reach.
    expect(world.server.calls).toEqual(['POST /api/auth/refresh', 'POST /api/auth/refresh']);
    expect(app.getState()).toMatchObject({ status: 'signed-out', reason: expect.stringContaining('Cannot reach') });
    expect(world.storage.token).toBe('refresh-1');
  });

  it('asks for nothing when no token is stored', async () => {
    const { world, app, early } = await reloadWithEarlyRefresh((w) => {
      w.storage.token = null;
    });
    expect(early).toEqual<EarlyRefresh>({ outcome: 'no-token' });
    expect(world.server.calls).toEqual([]);
    expect(app.getState()).toEqual({ status: 'signed-out' });
  });

  it('asks for the profile when an older server answered the refresh without it', async () => {
    const { world, app } = await reloadWithEarlyRefresh((w) => w.server.actAsOlderServer());
    expect(world.server.calls).toEqual(['POST /api/auth/refresh', 'GET /api/me +auth']);
    expect(app.getState()).toEqual({ status: 'signed-in', user: USER });
  });
});

describe('local auth client in two tabs', () => {
  it('refreshing in both tabs at once uses each rotated refresh token only once, and both stay signed in', async () => {
    const first = setup();
    await first.auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    // One lock for both tabs, as Web Locks give one per origin.
    let queue = Promise.resolve();
    const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
      const run = queue.then(task);
      queue = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    };
    const tab = (api: ApiClient) =>
      new LocalAuthClient({ api, refreshTokens: first.storage, now: first.now, setTimer: () => 0, clearTimer: () => undefined, exclusive });
    const apiA = new ApiClient('', first.server.fetchImpl);
    const apiB = new ApiClient('', first.server.fetchImpl);
    const tabA = tab(apiA);
    const tabB = tab(apiB);
    apiA.useTokens(tabA);
    apiB.useTokens(tabB);
    await Promise.all([tabA.start(), tabB.start()]);
    expect(tabA.getState().status).toBe('signed-in');
    expect(tabB.getState().status).toBe('signed-in');
    expect(first.storage.token).toBe('refresh-3');
  });
});
