import { describe, expect, it } from 'vitest';
import { CLERK_REFRESH_MARGIN_MS, ClerkAuthClient, type ClerkSession, type LoadedClerk } from '../../src/renderer/src/auth/clerk-auth-client.js';

const START = Date.parse('2026-05-04T10:00:00Z');

/** A JWT-shaped token with the given expiry; the client only reads `exp` to plan its refresh. */
function tokenExpiringAt(ms: number, serial: number) {
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'RS256' })}.${part({ exp: Math.floor(ms / 1000), serial })}.signature`;
}

/** Stands in for Clerk: every getToken mints a 60-second token; tests drive time and session changes. */
function fakeWorld() {
  let now = START;
  const timers: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];
  const tokenCalls: Array<{ skipCache: boolean; at: number }> = [];
  const meCalls: string[] = [];
  let serial = 0;
  let listener: ((resources: { session?: ClerkSession | null }) => void) | null = null;
  const session: ClerkSession = {
    async getToken(options) {
      tokenCalls.push({ skipCache: options?.skipCache ?? false, at: now });
      serial += 1;
      return tokenExpiringAt(now + 60_000, serial);
    },
  };
  const clerk: LoadedClerk & { session: ClerkSession | null } = {
    session,
    addListener(callback) {
      listener = callback;
      return () => {
        listener = null;
      };
    },
    mountSignIn() {},
    unmountSignIn() {},
    async signOut() {
      clerk.session = null;
    },
  };
  let meStatus = 200;
  const client = new ClerkAuthClient({
    apiBaseUrl: 'http://collaro.test',
    loadClerk: async () => clerk,
    fetch: async (input, init) => {
      meCalls.push(new Headers(init?.headers).get('authorization') ?? '');
      expect(String(input)).toBe('http://collaro.test/api/me');
      const body =
        meStatus === 200
          ? { user: { id: '6f0e8a51-1d1c-4b35-9d52-6b1d1f6a7c11', email: 'ada@example.test', name: 'Ada' }, organizations: [] }
          : { error: { code: 'unauthorized', message: 'Clerk session is pending: finish signing in' } };
      return new Response(JSON.stringify(body), { status: meStatus, headers: { 'content-type': 'application/json' } });
    },
    now: () => now,
    setTimer: (callback, ms) => {
      const timer = { at: now + ms, callback, cancelled: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      (handle as { cancelled: boolean }).cancelled = true;
    },
  });
  return {
    client,
    clerk,
    tokenCalls,
    meCalls,
    setMeStatus: (status: number) => {
      meStatus = status;
    },
    emit: (resources: { session?: ClerkSession | null }) => listener?.(resources),
    /** Moves the clock, firing due timers in order. */
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        due.cancelled = true;
        now = due.at;
        due.callback();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      now = until;
    },
    now: () => now,
    pendingTimers: () => timers.filter((t) => !t.cancelled).map((t) => t.at - now),
  };
}

const expOf = (token: string) => JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000;

describe('ClerkAuthClient', () => {
  it('signs in with the Clerk session: /api/me is called with the session token as Bearer', async () => {
    const world = fakeWorld();
    await world.client.start();
    expect(world.client.getState()).toEqual({ status: 'signed-in', user: expect.objectContaining({ name: 'Ada' }) });
    expect(world.meCalls).toHaveLength(1);
    expect(world.meCalls[0]).toMatch(/^Bearer [\w-]+\.[\w-]+\.signature$/);
    expect(`Bearer ${await world.client.getAccessToken()}`).toBe(world.meCalls[0]);
  });

  it('reuses the token while it is fresh and refreshes it before it expires', async () => {
    const world = fakeWorld();
    await world.client.start();
    const first = (await world.client.getAccessToken())!;
    expect(world.tokenCalls).toHaveLength(1);
    await world.advance(30_000);
    expect(await world.client.getAccessToken()).toBe(first);
    expect(world.tokenCalls).toHaveLength(1);

    // The refresh timer fires CLERK_REFRESH_MARGIN_MS before expiry and asks Clerk for a new token.
    expect(world.pendingTimers()).toEqual([60_000 - 30_000 - CLERK_REFRESH_MARGIN_MS]);
    await world.advance(60_000 - 30_000 - CLERK_REFRESH_MARGIN_MS);
    expect(world.tokenCalls).toHaveLength(2);
    expect(world.tokenCalls[1]).toEqual({ skipCache: true, at: START + 60_000 - CLERK_REFRESH_MARGIN_MS });
    const second = (await world.client.getAccessToken())!;
    expect(second).not.toBe(first);
    expect(expOf(second)).toBeGreaterThan(expOf(first));

    // Over ten minutes, no token handed out is ever within the margin of expiring.
    for (let step = 0; step < 60; step += 1) {
      await world.advance(10_000);
      const token = (await world.client.getAccessToken())!;
      expect(expOf(token) - world.now()).toBeGreaterThan(CLERK_REFRESH_MARGIN_MS);
    }
  });

  it('fetches a fresh token when asked to, without using the cache, after a 401', async () => {
    const world = fakeWorld();
    await world.client.start();
    expect(await world.client.recoverFromUnauthorized()).toBe(true);
    expect(world.tokenCalls.at(-1)).toMatchObject({ skipCache: true });
  });

  it('follows Clerk: a session ending signs out and stops handing out tokens', async () => {
    const world = fakeWorld();
    const states: string[] = [];
    world.client.subscribe((state) => states.push(state.status));
    await world.client.start();
    world.emit({ session: null });
    await world.advance(0);
    expect(world.client.getState()).toEqual({ status: 'signed-out' });
    expect(await world.client.getAccessToken()).toBeNull();
    expect(await world.client.recoverFromUnauthorized()).toBe(false);
    expect(world.pendingTimers()).toEqual([]);
    expect(states).toEqual(['signed-in', 'signed-out']);
  });

  it('signs out through Clerk', async () => {
    const world = fakeWorld();
    await world.client.start();
    await world.client.signOut();
    expect(world.clerk.session).toBeNull();
    expect(world.client.getState()).toEqual({ status: 'signed-out' });
  });

  it("stays signed out, with the server's reason, when Collaro refuses the Clerk session", async () => {
    const world = fakeWorld();
    world.setMeStatus(401);
    await world.client.start();
    expect(world.client.getState()).toEqual({ status: 'signed-out', reason: 'Clerk session is pending: finish signing in' });
  });

  it('says Clerk cannot be reached when it does not load (offline)', async () => {
    const client = new ClerkAuthClient({
      apiBaseUrl: 'http://collaro.test',
      loadClerk: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await client.start();
    expect(client.getState()).toMatchObject({ status: 'signed-out', reason: expect.stringContaining('connection to Clerk') });
    expect(await client.getAccessToken()).toBeNull();
  });
});
