import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { buildChatWorld, listenOnFreePort, TestSocket, type ChatWorld } from './realtime-world.js';

const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

async function signInOn(instance: TestApp, user: SignedInUser): Promise<SignedInUser> {
  const response = await call(instance.app, null, 'POST', '/api/auth/login', { email: user.email, password: 'correct horse battery' });
  return {
    ...user,
    accessToken: response.body.accessToken,
    refreshToken: response.body.refreshToken,
    headers: { authorization: `Bearer ${response.body.accessToken}` },
  };
}

describe('when Redis becomes unreachable', () => {
  let proxy: TcpProxy;
  let database: DatabaseHandle;
  let first: TestApp;
  let second: TestApp;
  let world: ChatWorld;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    await proxy.start();
    const viaProxy = `redis://127.0.0.1:${proxy.port}`;
    database = await createTestDatabase();
    first = await createTestApp({ database, env: { REDIS_URL: viaProxy } });
    second = await createTestApp({ database, env: { REDIS_URL: viaProxy } });
    world = await buildChatWorld(first.app);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await first?.close();
    await second?.close();
    await database?.close();
    await proxy?.close();
  });

  const say = (socket: TestSocket, body: string) => {
    const clientId = randomUUID();
    socket.send({ type: 'chat.send', clientId, channelId: world.channelId, body });
    return clientId;
  };

  it('keeps delivering between clients of the same instance, then shares again once Redis is back', { timeout: 60_000 }, async () => {
    const urlA = await listenOnFreePort(first.app);
    const urlB = await listenOnFreePort(second.app);
    await expect.poll(() => first.app.realtime.deliveryMode(), { timeout: 10_000 }).toBe('shared');
    await expect.poll(() => second.app.realtime.deliveryMode(), { timeout: 10_000 }).toBe('shared');
    const alice = await TestSocket.signedIn(urlA, world.alice);
    const bobOnA = await TestSocket.signedIn(urlA, world.bob);
    const bobOnB = await TestSocket.signedIn(urlB, await signInOn(second, world.bob));
    sockets.push(alice, bobOnA, bobOnB);

    say(alice, 'before the outage');
    await bobOnA.next('chat.message', (frame) => frame.message.body === 'before the outage');
    await bobOnB.next('chat.message', (frame) => frame.message.body === 'before the outage');

    await proxy.cut();
    await expect.poll(() => first.app.realtime.deliveryMode(), { timeout: 10_000 }).toBe('local-only');

    const during = say(alice, 'during the outage');
    await alice.next('chat.ack', (frame) => frame.clientId === during);
    await bobOnA.next('chat.message', (frame) => frame.message.body === 'during the outage');
    // A new connection is still served, presence included, while Redis is away.
    const lateComer = await TestSocket.signedIn(urlA, world.alice);
    sockets.push(lateComer);
    expect(lateComer.isOpen).toBe(true);

    await proxy.restore();
    await expect.poll(() => first.app.realtime.deliveryMode(), { timeout: 15_000 }).toBe('shared');
    await expect.poll(() => second.app.realtime.deliveryMode(), { timeout: 15_000 }).toBe('shared');
    // The subscription is renewed after the reconnect: instance B hears instance A again.
    await expect
      .poll(
        async () => {
          const body = `after the outage ${randomUUID()}`;
          say(alice, body);
          return bobOnB.receives('chat.message', (frame) => frame.message.body === body, 500);
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(true);
    // What was said during the outage is in the history that a reconnecting client fetches.
    const history = await call(first.app, world.bob, 'GET', `/api/channels/${world.channelId}/messages?limit=50`);
    expect(history.body.messages.map((message: { body: string }) => message.body)).toContain('during the outage');
  });

  it('starts even when Redis is unreachable from the beginning', { timeout: 30_000 }, async () => {
    const unreachable = await createTestApp({ database, env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      expect(unreachable.app.realtime.deliveryMode()).toBe('local-only');
      expect((await unreachable.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await unreachable.close();
    }
  });
});
