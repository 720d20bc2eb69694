import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RealtimeClient, type WebSocketLike } from '@collaro/shared';
import { generateSigningKey } from '../../src/auth/local/signing-keys.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { buildChatWorld, listenOnFreePort, nextClientFrame, TestSocket, type ChatWorld } from './realtime-world.js';

const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

describe('resuming on another instance while a message is still on its way between instances', () => {
  let proxy: TcpProxy;
  let database: DatabaseHandle;
  let first: TestApp;
  let second: TestApp;
  let world: ChatWorld;
  let urlA: string;
  let urlB: string;
  const sockets: TestSocket[] = [];
  let bob: RealtimeClient | undefined;

  beforeAll(async () => {
    // The second instance reaches Redis through a proxy that can hold back what Redis sends it.
    proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    await proxy.start();
    const signingKey = await generateSigningKey();
    database = await createTestDatabase();
    first = await createTestApp({ database, signingKey, env: { REDIS_URL: redis.toString() } });
    second = await createTestApp({ database, signingKey, env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
    world = await buildChatWorld(first.app);
    urlA = await listenOnFreePort(first.app);
    urlB = await listenOnFreePort(second.app);
  });
  afterAll(async () => {
    proxy?.release();
    bob?.close();
    for (const socket of sockets) socket.close();
    await first?.close();
    await second?.close();
    await database?.close();
    await proxy?.close();
  });

  it('replays the late message instead of skipping it', async () => {
    await expect.poll(() => second.app.realtime.deliveryMode(), { timeout: 10_000 }).toBe('shared');
    const aliceOnA = await TestSocket.signedIn(urlA, world.alice);
    const aliceOnB = await TestSocket.signedIn(urlB, world.alice);
    sockets.push(aliceOnA, aliceOnB);

    // Bob's app, connected to B; after a drop its load balancer sends it to A.
    let target = urlB;
    const bobSockets: WebSocket[] = [];
    bob = new RealtimeClient({
      url: urlB,
      getToken: async () => world.bob.accessToken,
      createSocket: () => {
        const socket = new WebSocket(target);
        bobSockets.push(socket);
        return socket as unknown as WebSocketLike;
      },
      backoff: { initialMs: 50, maxMs: 200, factor: 2, jitter: 0 },
      cursors: { [world.channelId]: 0 },
    });
    const received = new Set<string>();
    bob.on('chat.message', (frame) => received.add(frame.message.clientId));
    const firstResume = nextClientFrame(bob, 'resumed');
    bob.connect();
    await firstResume;

    const say = async (socket: TestSocket, body: string) => {
      const clientId = randomUUID();
      socket.send({ type: 'chat.send', clientId, channelId: world.channelId, body });
      return (await socket.next('chat.ack', (frame) => frame.clientId === clientId)).clientId;
    };

    // What Redis sends B is held back: A's message is stored first but reaches Bob (on B) after B's own.
    proxy.hold();
    const late = await say(aliceOnA, 'sent through A');
    const early = await say(aliceOnB, 'sent through B');
    await nextClientFrame(bob, 'chat.message', (frame) => frame.message.clientId === early);
    expect(received.has(late)).toBe(false);

    // The socket drops before A's message arrives, and Bob comes back on A.
    target = urlA;
    const resumed = nextClientFrame(bob, 'resumed', () => true, 10_000);
    bobSockets.at(-1)!.terminate();
    await resumed;
    expect(bobSockets.at(-1)!.url).toBe(urlA);
    expect([...received]).toEqual(expect.arrayContaining([early, late]));
    proxy.release();

    // And from then on nothing is skipped either.
    const after = await say(aliceOnA, 'after the reconnect');
    await nextClientFrame(bob, 'chat.message', (frame) => frame.message.clientId === after);
  });
});
