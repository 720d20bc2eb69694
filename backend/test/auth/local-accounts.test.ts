import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { refreshTokens } from '../../src/db/schema/index.js';
import { REFRESH_RETRY_GRACE_MS } from '../../src/auth/local/sessions-repository.js';
import { call, createTestApp, signUp, type TestApp } from '../helpers/test-app.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}, app = testApp) =>
  app.app.inject({ method: 'POST', url, payload: payload as object, headers });

function accessTokenSession(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid;
}

describe('sign up and log in', () => {
  it('signs up, returns the user and a token pair, and normalises the email', async () => {
    const response = await post('/api/auth/signup', { email: 'Grace@Example.TEST', password: 'long enough', name: ' Grace ' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      user: { email: 'grace@example.test', name: 'Grace' },
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    });
    const login = await post('/api/auth/login', { email: 'grace@example.test', password: 'long enough' });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.id).toBe(response.json().user.id);
  });

  it('refuses a taken email with 409, whatever its case', async () => {
    await post('/api/auth/signup', { email: 'dup@example.test', password: 'long enough', name: 'A' });
    const again = await post('/api/auth/signup', { email: 'DUP@example.test', password: 'other password', name: 'B' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
  });

  it.each([
    [{ email: 'not-an-email', password: 'long enough', name: 'A' }, 'body.email'],
    [{ email: 'a@example.test', password: 'short', name: 'A' }, 'body.password'],
    [{ email: 'a@example.test', password: 'long enough', name: '   ' }, 'body.name'],
    [{ email: 'a@example.test', password: 'long enough' }, 'body.name'],
  ])('refuses an invalid signup with 422 naming the field (%j)', async (payload, field) => {
    const response = await post('/api/auth/signup', payload);
    expect(response.statusCode).toBe(422);
    expect(response.json().error.message).toContain(field);
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    await post('/api/auth/signup', { email: 'known@example.test', password: 'right password', name: 'K' });
    const wrongPassword = await post('/api/auth/login', { email: 'known@example.test', password: 'wrong password' });
    const unknownEmail = await post('/api/auth/login', { email: 'unknown@example.test', password: 'wrong password' });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(unknownEmail.json()).toEqual(wrongPassword.json());
  });

  it('never stores the password itself', async () => {
    await post('/api/auth/signup', { email: 'hashed@example.test', password: 'plain text secret', name: 'H' });
    const { users } = await import('../../src/db/schema/index.js');
    const { eq } = await import('drizzle-orm');
    const [row] = await testApp.database.db.select().from(users).where(eq(users.email, 'hashed@example.test'));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain('plain text secret');
  });
});

describe('refresh tokens and logout', () => {
  it('rotates the refresh token on every use', async () => {
    const user = await signUp(testApp.app, 'Rotator');
    const first = await post('/api/auth/refresh', { refreshToken: user.refreshToken });
    expect(first.statusCode).toBe(200);
    const pair = first.json();
    expect(pair.refreshToken).not.toBe(user.refreshToken);
    expect((await call(testApp.app, { headers: { authorization: `Bearer ${pair.accessToken}` } }, 'GET', '/api/me')).status).toBe(200);
    const second = await post('/api/auth/refresh', { refreshToken: pair.refreshToken });
    expect(second.statusCode).toBe(200);
  });

  it('answers a refresh that asks for the profile with what GET /api/me says, and a plain refresh with the pair alone', async () => {
    const user = await signUp(testApp.app, 'Returning');
    const org = await call(testApp.app, user, 'POST', '/api/orgs', { name: 'Returning Org' });
    const restored = await post('/api/auth/refresh', { refreshToken: user.refreshToken, include: ['me'] });
    expect(restored.statusCode).toBe(200);
    const body = restored.json();
    const me = await call(testApp.app, { headers: { authorization: `Bearer ${body.accessToken}` } }, 'GET', '/api/me');
    expect(body.me).toEqual(me.body);
    expect(body.me.organizations).toEqual([{ id: (org.body as { id: string }).id, name: 'Returning Org', role: 'admin' }]);

    const plain = (await post('/api/auth/refresh', { refreshToken: body.refreshToken })).json();
    expect(Object.keys(plain).sort()).toEqual(['accessToken', 'refreshToken']);
  });

  it('refuses a refresh asking for something it cannot include, naming the field, without using the token', async () => {
    const user = await signUp(testApp.app, 'Curious');
    const refused = await post('/api/auth/refresh', { refreshToken: user.refreshToken, include: ['secrets'] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toContain('body.include');
    expect((await post('/api/auth/refresh', { refreshToken: user.refreshToken })).statusCode).toBe(200);
  });

  it('revokes the whole session when a rotated refresh token is presented again after its replacement was used', async () => {
    const user = await signUp(testApp.app, 'Victim');
    const rotated = (await post('/api/auth/refresh', { refreshToken: user.refreshToken })).json();
    const current = (await post('/api/auth/refresh', { refreshToken: rotated.refreshToken })).json();

    const replay = await post('/api/auth/refresh', { refreshToken: user.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.message).toMatch(/revoked/);

    // Both the thief's and the rightful holder's tokens are now dead.
    expect((await post('/api/auth/refresh', { refreshToken: current.refreshToken })).statusCode).toBe(401);
    const access = await call(testApp.app, { headers: { authorization: `Bearer ${current.accessToken}` } }, 'GET', '/api/me');
    expect(access.status).toBe(401);
  });

  it('lets a client retry a refresh whose answer it never received, and treats that lost answer as stolen if it ever shows up', async () => {
    const user = await signUp(testApp.app, 'Reloader');
    // The page reloaded while this refresh was in flight: the server rotated, the answer was lost.
    const lost = (await post('/api/auth/refresh', { refreshToken: user.refreshToken })).json();

    const retry = await post('/api/auth/refresh', { refreshToken: user.refreshToken });
    expect(retry.statusCode).toBe(200);
    const kept = retry.json();
    expect((await call(testApp.app, { headers: { authorization: `Bearer ${kept.accessToken}` } }, 'GET', '/api/me')).status).toBe(200);

    // Whoever holds the lost answer did not get it from the client: using it ends the session.
    expect((await post('/api/auth/refresh', { refreshToken: lost.refreshToken })).statusCode).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: kept.refreshToken })).statusCode).toBe(401);
  });

  it('keeps the person signed in when a refresh overlaps one still in flight with the same token (a page reloaded mid-refresh)', async () => {
    for (let round = 0; round < 5; round += 1) {
      const user = await signUp(testApp.app, `Racer ${round}`);
      const results = await Promise.all([
        post('/api/auth/refresh', { refreshToken: user.refreshToken }),
        post('/api/auth/refresh', { refreshToken: user.refreshToken }),
      ]);
      expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
      // One of the two answers is the one the client kept; the other's refresh token was abandoned.
      const sessionId = accessTokenSession(results[0].json().accessToken);
      const live = await testApp.database.db
        .select()
        .from(refreshTokens)
        .where(and(eq(refreshTokens.sessionId, sessionId), isNull(refreshTokens.rotatedAt)));
      expect(live).toHaveLength(1);
      for (const result of results) {
        expect((await call(testApp.app, { headers: { authorization: `Bearer ${result.json().accessToken}` } }, 'GET', '/api/me')).status).toBe(200);
      }
    }
  });

  it('refuses an unknown refresh token', async () => {
    expect((await post('/api/auth/refresh', { refreshToken: 'made-up' })).statusCode).toBe(401);
  });

  it('ends the session at once on logout', async () => {
    const user = await signUp(testApp.app, 'Leaver');
    expect((await call(testApp.app, user, 'POST', '/api/auth/logout')).status).toBe(204);
    expect((await call(testApp.app, user, 'GET', '/api/me')).status).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: user.refreshToken })).statusCode).toBe(401);
  });

  it('keeps other sessions of the same user alive on logout', async () => {
    const user = await signUp(testApp.app, 'Two devices');
    const laptop = (await post('/api/auth/login', { email: user.email, password: 'correct horse battery' })).json();
    await call(testApp.app, user, 'POST', '/api/auth/logout');
    expect((await call(testApp.app, { headers: { authorization: `Bearer ${laptop.accessToken}` } }, 'GET', '/api/me')).status).toBe(200);
  });
});

describe('rate limits on sign-in', () => {
  // Counters may live in Redis for the whole window, so every run attacks addresses of its own.
  const run = `${process.pid}-${Date.now()}`;
  const target = `target-${run}@example.test`;
  const ip = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

  it('limits failed attempts per email from one address and tells the client when to retry', async () => {
    const limited = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_EMAIL: '3', AUTH_RATE_LIMIT_PER_IP: '1000' }, database: testApp.database });
    try {
      const attempt = () => limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: target, password: 'guess' } });
      for (let i = 0; i < 3; i += 1) expect((await attempt()).statusCode).toBe(401);
      const blocked = await attempt();
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.code).toBe('rate_limited');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // Another account from the same address is still allowed.
      const other = await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: `other-${run}@example.test`, password: 'guess' } });
      expect(other.statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });

  it('limits attempts per client address across different emails', async () => {
    const limited = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_EMAIL: '1000', AUTH_RATE_LIMIT_PER_IP: '4' }, database: testApp.database });
    const sprayer = `10.${process.pid % 250}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const response = await limited.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { email: `spray-${i}-${run}@example.test`, password: 'long enough', name: 'Spray' },
          remoteAddress: sprayer,
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([201, 201, 201, 201, 429]);
      const elsewhere = await limited.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { email: `elsewhere-${run}@example.test`, password: 'long enough', name: 'Else' },
        remoteAddress: ip(),
      });
      expect(elsewhere.statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it.skipIf(!process.env.REDIS_URL)('counts attempts against one account across backend instances (needs REDIS_URL)', async () => {
    const env = { AUTH_RATE_LIMIT_PER_ACCOUNT: '4', AUTH_RATE_LIMIT_PER_EMAIL: '1000', AUTH_RATE_LIMIT_PER_IP: '1000', REDIS_URL: process.env.REDIS_URL! };
    const first = await createTestApp({ env, database: testApp.database });
    const second = await createTestApp({ env, database: testApp.database });
    const email = `shared-${run}@example.test`;
    try {
      const statuses: number[] = [];
      for (const instance of [first, second, first, second, first]) {
        const response = await instance.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'guess' }, remoteAddress: ip() });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe('refresh retries and time', () => {
  let now = Date.now();
  let clockedApp: TestApp;
  beforeAll(async () => {
    clockedApp = await createTestApp({ clock: () => now });
  });
  afterAll(() => clockedApp.close());

  it('revokes the session when a rotated token comes back after the retry grace, even if its replacement is unused', async () => {
    const user = await signUp(clockedApp.app, 'Late');
    const lost = (await post('/api/auth/refresh', { refreshToken: user.refreshToken }, {}, clockedApp)).json();
    now += REFRESH_RETRY_GRACE_MS + 1_000;
    const replay = await post('/api/auth/refresh', { refreshToken: user.refreshToken }, {}, clockedApp);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.message).toMatch(/revoked/);
    expect((await post('/api/auth/refresh', { refreshToken: lost.refreshToken }, {}, clockedApp)).statusCode).toBe(401);
  });
});
