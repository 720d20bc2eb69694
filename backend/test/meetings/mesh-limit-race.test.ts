import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../src/auth/local/signing-keys.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { call, createTestApp, signUp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { expectStatus } from './meetings-world.js';

const MESH_LIMIT = 6;
const JOINERS = 12;

/**
 * The mesh limit under simultaneous joins: two backend instances on one database (PGlite shared in
 * this process by default, a real PostgreSQL server with DATABASE_URL), each taking half the joins.
 */
describe('the built-in mesh limit under simultaneous joins on two instances', () => {
  let database: DatabaseHandle;
  let first: TestApp;
  let second: TestApp;
  let admin: SignedInUser;
  let joiners: SignedInUser[];
  let orgId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One signing key, so a token from either instance is good on both, as behind a load balancer.
    const signingKey = await generateSigningKey();
    const env = { MEETING_MESH_LIMIT: String(MESH_LIMIT) };
    first = await createTestApp({ database, signingKey, env });
    second = await createTestApp({ database, signingKey, env });
    admin = await signUp(first.app, 'Admin');
    orgId = (await expectStatus(call(first.app, admin, 'POST', '/api/orgs', { name: 'Crowded' }), 201)).id;
    joiners = [];
    for (let i = 0; i < JOINERS; i += 1) {
      const user = await signUp(first.app, `Joiner ${i}`);
      await expectStatus(call(first.app, admin, 'POST', `/api/orgs/${orgId}/members`, { email: user.email }), 201);
      joiners.push(user);
    }
  }, 120_000);

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.close();
  });

  it('admits exactly the limit out of twelve people joining at the same moment, round after round', async () => {
    for (let round = 0; round < 3; round += 1) {
      const meeting = await expectStatus(
        call(first.app, admin, 'POST', '/api/meetings', { orgId, title: `Stand-up ${round}`, startsAt: new Date(Date.now() + 60_000).toISOString() }),
        201,
      );
      const answers = await Promise.all(joiners.map((user, i) => call(i % 2 === 0 ? first.app : second.app, user, 'POST', `/api/meetings/${meeting.id}/join`)));
      const admitted = answers.filter((answer) => answer.status === 200);
      const refused = answers.filter((answer) => answer.status === 409);
      expect(admitted.length, `round ${round}: ${answers.map((a) => a.status).join(',')}`).toBe(MESH_LIMIT);
      expect(refused.length).toBe(JOINERS - MESH_LIMIT);
      for (const answer of refused) expect(answer.body.error.message).toContain(`already has ${MESH_LIMIT} participants`);
      // A place admitted is a place held: someone already in may join again (a reload), nobody new may.
      const inside = joiners.filter((_, i) => answers[i]!.status === 200);
      const outside = joiners.filter((_, i) => answers[i]!.status !== 200);
      expect((await call(second.app, inside[0]!, 'POST', `/api/meetings/${meeting.id}/join`)).status).toBe(200);
      expect((await call(second.app, outside[0]!, 'POST', `/api/meetings/${meeting.id}/join`)).status).toBe(409);
    }
  });
});
