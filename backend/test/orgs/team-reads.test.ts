import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { expectStatus } from '../meetings/meetings-world.js';
import { buildChatWorld, type ChatWorld } from '../realtime/realtime-world.js';

let t: TestApp;
let w: ChatWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await buildChatWorld(t.app);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** Reads the team twice, so the second answer would come from the kept read if there is one. */
async function readTwice(user: SignedInUser, teamId = w.teamId) {
  await call(t.app, user, 'GET', `/api/teams/${teamId}`);
  return call(t.app, user, 'GET', `/api/teams/${teamId}`);
}

const memberIds = (body: { members: { userId: string }[] }) => body.members.map((member) => member.userId).sort();

/**
 * Team reads are kept for a moment (policy/team-reads.ts); every change that can alter an answer
 * must show in the very next read, for the person changed and for everyone else reading the team.
 */
describe('a kept team read never outlives a change', () => {
  it('a member removed from the team is refused at once, and the others no longer see them listed', async () => {
    expect(memberIds((await readTwice(w.bob)).body)).toEqual([w.alice.id, w.bob.id].sort());
    expect((await readTwice(w.alice)).status).toBe(200);
    await expectStatus(call(t.app, w.admin, 'DELETE', `/api/teams/${w.teamId}/members/${w.bob.id}`), 204);
    expect((await call(t.app, w.bob, 'GET', `/api/teams/${w.teamId}`)).status).toBe(403);
    expect(memberIds((await call(t.app, w.alice, 'GET', `/api/teams/${w.teamId}`)).body)).toEqual([w.alice.id]);
    await expectStatus(call(t.app, w.admin, 'POST', `/api/teams/${w.teamId}/members`, { userId: w.bob.id }), 201);
    expect(memberIds((await call(t.app, w.bob, 'GET', `/api/teams/${w.teamId}`)).body)).toEqual([w.alice.id, w.bob.id].sort());
  });

  it('a renamed team reads back renamed, for every member', async () => {
    await readTwice(w.alice);
    await readTwice(w.bob);
    await expectStatus(call(t.app, w.admin, 'PATCH', `/api/teams/${w.teamId}`, { name: 'Platform Core' }), 200);
    expect((await call(t.app, w.alice, 'GET', `/api/teams/${w.teamId}`)).body.name).toBe('Platform Core');
    expect((await call(t.app, w.bob, 'GET', `/api/teams/${w.teamId}`)).body.name).toBe('Platform Core');
  });

  it("a member's new team role shows at once", async () => {
    await readTwice(w.bob);
    await expectStatus(call(t.app, w.admin, 'PATCH', `/api/teams/${w.teamId}/members/${w.alice.id}`, { role: 'lead' }), 200);
    const members = (await call(t.app, w.bob, 'GET', `/api/teams/${w.teamId}`)).body.members as { userId: string; role: string }[];
    expect(members.find((member) => member.userId === w.alice.id)?.role).toBe('lead');
    await expectStatus(call(t.app, w.admin, 'PATCH', `/api/teams/${w.teamId}/members/${w.alice.id}`, { role: 'member' }), 200);
  });

  it('an admin demoted outside the team loses the team at once; one removed from the organization gets 404', async () => {
    await expectStatus(call(t.app, w.admin, 'PATCH', `/api/orgs/${w.orgId}/members/${w.carol.id}`, { role: 'admin' }), 200);
    expect((await readTwice(w.carol)).status).toBe(200);
    await expectStatus(call(t.app, w.admin, 'PATCH', `/api/orgs/${w.orgId}/members/${w.carol.id}`, { role: 'member' }), 200);
    expect((await call(t.app, w.carol, 'GET', `/api/teams/${w.teamId}`)).status).toBe(403);

    expect((await readTwice(w.bob)).status).toBe(200);
    await expectStatus(call(t.app, w.admin, 'DELETE', `/api/orgs/${w.orgId}/members/${w.bob.id}`), 204);
    expect((await call(t.app, w.bob, 'GET', `/api/teams/${w.teamId}`)).status).toBe(404);
  });

  it('a deleted team is gone at once for its members', async () => {
    const team = await expectStatus(call(t.app, w.admin, 'POST', `/api/orgs/${w.orgId}/teams`, { name: 'Short-lived' }), 201);
    await expectStatus(call(t.app, w.admin, 'POST', `/api/teams/${team.id}/members`, { userId: w.alice.id }), 201);
    expect((await readTwice(w.alice, team.id)).status).toBe(200);
    await expectStatus(call(t.app, w.admin, 'DELETE', `/api/teams/${team.id}`), 204);
    expect((await call(t.app, w.alice, 'GET', `/api/teams/${team.id}`)).status).toBe(404);
  });
});
