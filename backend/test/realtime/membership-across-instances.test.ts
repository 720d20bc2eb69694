import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../src/auth/local/signing-keys.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { channels } from '../../src/db/schema/index.js';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { buildChatWorld, listenOnFreePort, TestSocket, type ChatWorld } from './realtime-world.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = 20;

/**
 * Membership changes against messages sent right after them, with the member connected to the other
 * instance: two backend instances on one database (PostgreSQL with DATABASE_URL), fanned out through Redis.
 */
describe('a team removal on one instance reaches the member on the other before the next message', () => {
  let database: DatabaseHandle;
  let first: TestApp;
  let second: TestApp;
  let world: ChatWorld;
  let bob: TestSocket;
  let dmId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One signing key: a token from either instance is good on both, as behind a load balancer.
    const signingKey = await generateSigningKey();
    first = await createTestApp({ database, signingKey, env: { REDIS_URL } });
    second = await createTestApp({ database, signingKey, env: { REDIS_URL } });
    world = await buildChatWorld(first.app);
    await listenOnFreePort(first.app);
    const urlB = await listenOnFreePort(second.app);
    bob = await TestSocket.signedIn(urlB, world.bob);
    const dm = await call(first.app, world.alice, 'POST', `/api/orgs/${world.orgId}/dms`, { userIds: [world.bob.id] });
    expect([200, 201]).toContain(dm.status);
    dmId = dm.body.id;
    // A large organization: working out what a member may hear takes a moment, which is when a
    // message posted right after the removal used to slip through.
    const archive = await call(first.app, world.admin, 'POST', `/api/orgs/${world.orgId}/teams`, { name: 'Archive' });
    await database.db
      .insert(channels)
      .values(Array.from({ length: 3000 }, (_, i) => ({ orgId: world.orgId, teamId: archive.body.id, kind: 'team' as const, name: `project-${i}` })));
  }, 120_000);

  afterAll(async () => {
    bob?.close();
    await bob?.closed;
    await first?.close();
    await second?.close();
    await database?.close();
  });

  it(`never delivers the first message after the removal, in ${ROUNDS} rounds, whichever instance it is posted on`, async () => {
    const { admin, alice, teamId, channelId } = world;
    expect((await call(first.app, admin, 'DELETE', `/api/teams/${teamId}/members/${world.bob.id}`)).status).toBe(204);
    const leaked: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      expect((await call(first.app, admin, 'POST', `/api/teams/${teamId}/members`, { userId: world.bob.id })).status).toBe(201);
      // Bob hears the channel again: a line posted there after the addition reaches him. (Not
      // channel.added: when the removal before was read after this addition, his connection never
      // lost the channel, and there is nothing new to tell him.)
      const probe = randomUUID();
      expect((await call(first.app, alice, 'POST', `/api/channels/${channelId}/messages`, { clientId: probe, body: `back in ${round}` })).status).toBe(201);
      await bob.next('chat.message', (f) => f.message.clientId === probe, 15_000);
      expect((await call(first.app, admin, 'DELETE', `/api/teams/${teamId}/members/${world.bob.id}`)).status).toBe(204);
      // Posted right after the removal answered, alternately on the remover's instance and the member's.
      const poster = round % 2 === 0 ? first.app : second.app;
      const after = randomUUID();
      const sentinel = randomUUID();
      expect((await call(poster, alice, 'POST', `/api/channels/${channelId}/messages`, { clientId: after, body: `round ${round}` })).status).toBe(201);
      // A later message in a conversation Bob still has: once it arrives, the earlier one would have too.
      expect((await call(poster, alice, 'POST', `/api/channels/${dmId}/messages`, { clientId: sentinel, body: `after round ${round}` })).status).toBe(201);
      await bob.next('chat.message', (f) => f.message.clientId === sentinel, 15_000);
      if (bob.frames.some((f) => f.type === 'chat.message' && f.message.clientId === after)) leaked.push(round);
    }
    expect(leaked, 'rounds in which the removed member received the next channel message').toEqual([]);
  }, 180_000);
});
