import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/renderer/src/api/api-client.js';
import type { KeyValueStorage } from '../../src/renderer/src/auth/auth-client.js';
import { LocalAuthClient, REFRESH_MARGIN_MS, REFRESH_TOKEN_KEY, accessTokenExpiry } from '../../src/renderer/src/auth/local-auth-client.js';

const USER = { id: '5e8b0c9a-0000-4000-8000-000000000001', email: 'ada@example.test', name: 'Ada' };

function jwtExpiringAt(expSeconds: number, n: number): string {
  const encode = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'EdDSA' })}.${encode({ sub: USER.id, exp: expSeconds, n })}.signature`;
}

class MemoryStorage implements KeyValueStorage {
  values = new Map<string, string>();
  getItem(key: string) {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.values.set(key, value);
  }
  removeItem(key: string) {
    this.values.delete(key);
  }
}

/** A stand-in for the auth routes: rotating refresh tokens, each good for one use. */
function fakeServer(now: () => number) {
  let issued = 0;
  const validRefresh = new Set<string>();
  const calls: string[] = [];
  let refreshFails: 'unauthorized' | 'network' | null = null;
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
      return json(200, pair());
    }
    if (url === '/api/me') return json(200, { user: USER, organizations: [] });
    if (url === '/api/auth/logout') return new Response(null, { status: 204 });
    return json(404, { error: { code: 'not_found', message: 'no' } });
  };
  return {
    fetchImpl,
    calls,
    failRefresh: (mode: 'unauthorized' | 'network' | null) => {
      refreshFails = mode;
    },
  };
}

function setup() {
  let clock = Date.parse('2026-11-23T10:00:00Z');
  const timers: { at: number; callback: () => void }[] = [];
  const server = fakeServer(() => clock);
  const storage = new MemoryStorage();
  const api = new ApiClient('', server.fetchImpl);
  const auth = new LocalAuthClient({
    api,
    storage,
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
    expect([...storage.values.keys()]).toEqual([REFRESH_TOKEN_KEY]);
    expect(storage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-1');
    const accessToken = await auth.getAccessToken();
    expect(accessToken).toMatch(/^[\w-]+\.[\w-]+\.signature$/);
    expect([...storage.values.values()]).not.toContain(accessToken);
  });

  it('schedules the refresh a minute before the 15-minute expiry and rotates the refresh token', async () => {
    const { auth, storage, timers, now, advance } = setup();
    await auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    expect(timers).toHaveLength(1);
    expect(timers[0]!.at - now()).toBe(15 * 60_000 - REFRESH_MARGIN_MS);

    advance(15 * 60_000 - REFRESH_MARGIN_MS);
    timers[0]!.callback();
    await auth.refresh();
    expect(storage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-2');
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
    const reloaded = new LocalAuthClient({ api: first.api, storage: first.storage, now: first.now, setTimer: () => 0, clearTimer: () => undefined });
    first.api.useTokens(reloaded);
    await reloaded.start();
    expect(reloaded.getState()).toEqual({ status: 'signed-in', user: USER });
    expect(first.storage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-2');
  });

  it('signs out with a reason when the server revokes the session, and forgets the refresh token', async () => {
    const { auth, storage, server, advance } = setup();
    await auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    server.failRefresh('unauthorized');
    advance(15 * 60_000);
    expect(await auth.getAccessToken()).toBeNull();
    expect(auth.getState()).toEqual({ status: 'signed-out', reason: 'Your session has ended. Sign in again.' });
    expect(storage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
  });

  it('keeps the refresh token when the server cannot be reached, so a later start can succeed', async () => {
    const { auth, storage, server } = setup();
    await auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    server.failRefresh('network');
    await auth.start();
    expect(auth.getState()).toMatchObject({ status: 'signed-out', reason: expect.stringContaining('Cannot reach') });
    expect(storage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-1');
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
    expect(storage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
  });
});

describe('local auth client in two tabs', () => {
  it('refreshing in both tabs at once uses each rotated refresh token only once, and both stay signed in', async () => {
    const first = setup();
    await first.auth.signUp({ email: USER.email, password: 'correct horse', name: 'Ada' });
    // One lock for both tabs, as Web Locks give one per origin.
    let queue = Promise.resolve();
    const exclusive = <T,>(task: () => Promise<T>): Promise<T> => {
      const run = queue.then(task);
      queue = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    };
    const tab = (api: ApiClient) =>
      new LocalAuthClient({ api, storage: first.storage, now: first.now, setTimer: () => 0, clearTimer: () => undefined, exclusive });
    const apiA = new ApiClient('', first.server.fetchImpl);
    const apiB = new ApiClient('', first.server.fetchImpl);
    const tabA = tab(apiA);
    const tabB = tab(apiB);
    apiA.useTokens(tabA);
    apiB.useTokens(tabB);
    await Promise.all([tabA.start(), tabB.start()]);
    expect(tabA.getState().status).toBe('signed-in');
    expect(tabB.getState().status).toBe('signed-in');
    expect(first.storage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-3');
  });
});
