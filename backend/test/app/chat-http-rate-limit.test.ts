import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import { buildChatWorld, type ChatWorld } from '../realtime/realtime-world.js';

/**
 * Posting over HTTP spends a budget per user, by default a WebSocket connection's (40 at once, 20 a
 * second). Here it is 5 per 5-second window, so a slow machine cannot stretch a burst across windows.
 */
const LIMITS = { rateBurst: 5, ratePerSecond: 1 };

describe('chat writes over HTTP are rate-limited per user', () => {
  let t: TestApp;
  let w: ChatWorld;

  beforeAll(async () => {
    t = await createTestApp({ chatWriteLimits: LIMITS });
    w = await buildChatWorld(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (user: ChatWorld['alice'], body: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/channels/${w.channelId}/messages`,
      headers: user.headers,
      payload: { clientId: randomUUID(), body },
    });

  it('refuses a burst past the budget with 429 and Retry-After, leaves other people alone, and lets the writer go on once it refills', async () => {
    const { rateBurst } = LIMITS;
    const burst = await Promise.all(Array.from({ length: rateBurst + 20 }, (_, i) => post(w.alice, `flood ${i}`)));
    const accepted = burst.filter((response) => response.statusCode === 201);
    const refused = burst.filter((response) => response.statusCode === 429);
    expect(accepted.length + refused.length).toBe(burst.length);
    expect(accepted.length).toBe(rateBurst);
    expect(refused.length).toBe(20);
    const retryAfter = Number(refused[0]!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused[0]!.json().error.code).toBe('rate_limited');

    // Every chat write over HTTP spends the same budget: opening a direct message too.
    const directMessage = await call(t.app, w.alice, 'POST', `/api/orgs/${w.orgId}/dms`, { userIds: [w.bob.id] });
    expect(directMessage.status).toBe(429);
    // Reading is not limited, and Bob's budget is his own.
    expect((await call(t.app, w.alice, 'GET', `/api/channels/${w.channelId}/messages`)).status).toBe(200);
    expect((await post(w.bob, 'unaffected')).statusCode).toBe(201);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect((await post(w.alice, 'after the pause')).statusCode).toBe(201);
  });
});
