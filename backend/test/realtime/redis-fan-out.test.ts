import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mentionOf } from '@collaro/shared';
import { createTestDatabase } from '../helpers/test-database.js';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { buildChatWorld, listenOnFreePort, TestSocket, type ChatWorld } from './realtime-world.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Signs an existing user in on another instance (each test app has its own signing key). */
async function signInOn(instance: TestApp, user: SignedInUser): Promise<SignedInUser> {
  const response = await call(instance.app, null, 'POST', '/api/auth/login', { email: user.email, password: 'correct horse battery' });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return {
    ...user,
    accessToken: response.body.accessToken,
    refreshToken: response.body.refreshToken,
    headers: { authorization: `Bearer ${response.body.accessToken}` },
  };
}

describe('two backend instances on one database, fanned out through Redis', () => {
  let database: DatabaseHandle;
  let first: TestApp;
  let second: TestApp;
  let world: ChatWorld;
  let urlA: string;
  let urlB: string;
  const sockets: TestSocket[] = [];
  const connect = async (url: string, user: SignedInUser) => {
    const socket = await TestSocket.signedIn(url, user);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await createTestApp({ database, env: { REDIS_URL } });
    second = await createTestApp({ database, env: { REDIS_URL } });
    world = await buildChatWorld(first.app);
    urlA = await listenOnFreePort(first.app);
    urlB = await listenOnFreePort(second.app);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(sockets.map((socket) => socket.closed));
    await first?.close();
    await second?.close();
    await database?.close();
  });

  it('uses the Redis bus when REDIS_URL is set', () => {
    expect(first.app.realtime.bus).toBe('redis');
    expect(second.app.realtime.bus).toBe('redis');
  });

  it('delivers chat, typing, presence and notifications between clients of different instances', async () => {
    const bobOnB = await signInOn(second, world.bob);
    const carolOnB = await signInOn(second, world.carol);
    const alice = await connect(urlA, world.alice);
    const carolA = await connect(urlA, world.carol);
    const bob = await connect(urlB, bobOnB);

    expect(await carolA.next('presence.update', (f) => f.userId === world.bob.id && f.status === 'online')).toBeDefined();
    const carolB = await connect(urlB, carolOnB);
    const snapshot = await carolB.next('presence.snapshot');
    expect(snapshot.users).toContainEqual({ userId: world.alice.id, status: 'online' });

    const fromA = randomUUID();
    alice.send({ type: 'chat.send', clientId: fromA, channelId: world.channelId, body: `hello from A ${mentionOf(world.bob.id)}` });
    const ack = await alice.next('chat.ack', (f) => f.clientId === fromA);
    const onB = await bob.next('chat.message', (f) => f.message.clientId === fromA);
    expect(onB.message.id).toBe(ack.messageId);
    expect((await bob.next('notify')).notification).toMatchObject({ kind: 'mention', messageId: ack.messageId });

    const fromB = randomUUID();
    bob.send({ type: 'chat.send', clientId: fromB, channelId: world.channelId, body: 'hello from B' });
    const onA = await alice.next('chat.message', (f) => f.message.clientId === fromB);
    expect(onA.message.authorId).toBe(world.bob.id);
    expect(onA.message.seq).toBeGreaterThan(ack.seq);

    bob.send({ type: 'typing', channelId: world.channelId });
    expect((await alice.next('typing.update')).userId).toBe(world.bob.id);

    first.app.realtime.notify([world.bob.id], { kind: 'meeting_reminder', orgId: world.orgId, title: 'Standup in 5 minutes', body: '' });
    expect((await bob.next('notify', (f) => f.notification.kind === 'meeting_reminder')).notification.title).toBe('Standup in 5 minutes');

    bob.close();
    await bob.closed;
    await carolA.next('presence.update', (f) => f.userId === world.bob.id && f.status === 'offline');
  });

  it('a membership change made through one instance reaches live connections on the other', async () => {
    const carolOnB = await signInOn(second, world.carol);
    const carol = await connect(urlB, carolOnB);
    const added = await call(first.app, world.admin, 'POST', `/api/teams/${world.teamId}/members`, { userId: world.carol.id });
    expect(added.status).toBe(201);
    await carol.next('channel.added', (f) => f.channelId === world.channelId);
    const alice = await connect(urlA, world.alice);
    const clientId = randomUUID();
    alice.send({ type: 'chat.send', clientId, channelId: world.channelId, body: 'welcome across instances' });
    await carol.next('chat.message', (f) => f.message.clientId === clientId);
  });
});
