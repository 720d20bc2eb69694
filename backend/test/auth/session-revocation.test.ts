import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../src/auth/local/signing-keys.js';
import { call, createTestApp, signUp, type TestApp } from '../helpers/test-app.js';

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('session revocation across backend instances (needs REDIS_URL)', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    // Two instances on one database with one signing key, as two processes sharing a data dir would be.
    const signingKey = await generateSigningKey();
    first = await createTestApp({ env: { REDIS_URL: redisUrl! }, signingKey });
    second = await createTestApp({ env: { REDIS_URL: redisUrl! }, signingKey, database: first.database });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('rejects a token on every instance right after logout on one of them', async () => {
    const user = await signUp(first.app, 'Roamer');
    // Both instances have now seen the session active and remember it.
    expect((await call(first.app, user, 'GET', '/api/me')).status).toBe(200);
    expect((await call(second.app, user, 'GET', '/api/me')).status).toBe(200);

    expect((await call(first.app, user, 'POST', '/api/auth/logout')).status).toBe(204);

    const deadline = Date.now() + 1000;
    let status = 200;
    while (Date.now() < deadline) {
      status = (await call(second.app, user, 'GET', '/api/me')).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(status).toBe(401);
  });

  it('revokes on every instance when a replayed refresh token ends the session', async () => {
    const user = await signUp(first.app, 'Replayed');
    expect((await call(second.app, user, 'GET', '/api/me')).status).toBe(200);
    const refresh = (refreshToken: string) => first.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
    const rotated = await refresh(user.refreshToken);
    expect(rotated.statusCode).toBe(200);
    // The replacement is used, so the first token coming back can only be a copy.
    expect((await refresh(rotated.json().refreshToken)).statusCode).toBe(200);
    expect((await refresh(user.refreshToken)).statusCode).toBe(401);
    await expect.poll(async () => (await call(second.app, user, 'GET', '/api/me')).status, { timeout: 1000, interval: 10 }).toBe(401);
  });
});
