import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signUp, type TestApp } from '../helpers/test-app.js';
import { createLocalRbacWorld } from './local-world.js';
import { ACTORS, RBAC_CASES, type RbacWorld } from './rbac-cases.js';

let testApp: TestApp;
let world: RbacWorld & { admin: Awaited<ReturnType<typeof signUp>> };

beforeAll(async () => {
  testApp = await createTestApp();
  world = await createLocalRbacWorld(testApp.app);
});
afterAll(() => testApp.close());

describe('RBAC matrix with local accounts', () => {
  for (const routeCase of RBAC_CASES) {
    for (const actor of ACTORS) {
      it(`${routeCase.name} as ${actor} -> ${routeCase.expect[actor]}`, async () => {
        const request = await routeCase.prepare(world);
        const caller = actor === 'anonymous' ? null : world.callers[actor];
        const response = await call(testApp.app, caller, request.method, request.url, request.payload);
        expect(response.status, JSON.stringify(response.body)).toBe(routeCase.expect[actor]);
        if (response.status >= 400) expect(response.body.error.code).toBeTypeOf('string');
      });
    }
  }
});

describe('what each caller sees and what the rules forbid', () => {
  it('lists every team to an admin but only their own teams to a member', async () => {
    const other = await call(testApp.app, world.admin, 'POST', `/api/orgs/${world.orgId}/teams`, { name: 'Secret project' });
    expect(other.status).toBe(201);
    const asAdmin = await call(testApp.app, world.callers.orgAdmin, 'GET', `/api/orgs/${world.orgId}/teams`);
    const asMember = await call(testApp.app, world.callers.teamMember, 'GET', `/api/orgs/${world.orgId}/teams`);
    const asOrgMember = await call(testApp.app, world.callers.orgMember, 'GET', `/api/orgs/${world.orgId}/teams`);
    expect(asAdmin.body.teams.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['Platform', 'Secret project']));
    expect(asMember.body.teams.map((t: { name: string }) => t.name)).toEqual(['Platform']);
    expect(asOrgMember.body.teams).toEqual([]);
  });

  it('shows the team with its members and their roles', async () => {
    const response = await call(testApp.app, world.callers.teamMember, 'GET', `/api/teams/${world.teamId}`);
    expect(response.body).toMatchObject({ id: world.teamId, orgId: world.orgId, name: 'Platform' });
    const roles = Object.fromEntries(response.body.members.map((m: { name: string; role: string }) => [m.name, m.role]));
    expect(roles).toMatchObject({ Admin: 'lead', Lead: 'lead', Teammate: 'member' });
  });

  it('answers 404 for organizations and teams that do not exist', async () => {
    expect((await call(testApp.app, world.admin, 'GET', `/api/orgs/${randomUUID()}/members`)).status).toBe(404);
    expect((await call(testApp.app, world.admin, 'GET', `/api/teams/${randomUUID()}`)).status).toBe(404);
  });

  it('answers 422 naming the parameter when an id is malformed', async () => {
    const response = await call(testApp.app, world.admin, 'GET', '/api/teams/not-a-uuid');
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'validation_failed' });
    expect(response.body.error.message).toContain('params.teamId');
  });

  it('keeps the last admin from being demoted or removed', async () => {
    const solo = await signUp(testApp.app, 'Solo');
    const org = (await call(testApp.app, solo, 'POST', '/api/orgs', { name: 'Solo Inc' })).body;
    const demote = await call(testApp.app, solo, 'PATCH', `/api/orgs/${org.id}/members/${solo.id}`, { role: 'member' });
    expect(demote.status).toBe(409);
    const remove = await call(testApp.app, solo, 'DELETE', `/api/orgs/${org.id}/members/${solo.id}`);
    expect(remove.status).toBe(409);
    const members = await call(testApp.app, solo, 'GET', `/api/orgs/${org.id}/members`);
    expect(members.body.members).toEqual([expect.objectContaining({ userId: solo.id, role: 'admin' })]);
  });

  it('lets a second admin be promoted, after which the first may step down', async () => {
    const first = await signUp(testApp.app, 'First');
    const second = await signUp(testApp.app, 'Second');
    const org = (await call(testApp.app, first, 'POST', '/api/orgs', { name: 'Pair Ltd' })).body;
    await call(testApp.app, first, 'POST', `/api/orgs/${org.id}/members`, { email: second.email, role: 'admin' });
    expect((await call(testApp.app, first, 'PATCH', `/api/orgs/${org.id}/members/${first.id}`, { role: 'member' })).status).toBe(200);
    const me = await call(testApp.app, first, 'GET', '/api/me');
    expect(me.body.organizations).toEqual([{ id: org.id, name: 'Pair Ltd', role: 'member' }]);
  });

  it('answers 422 when adding an email with no account, and 409 when adding someone twice', async () => {
    const missing = await call(testApp.app, world.admin, 'POST', `/api/orgs/${world.orgId}/members`, { email: 'nobody@example.test' });
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toContain('body.email');
    const again = await call(testApp.app, world.admin, 'POST', `/api/orgs/${world.orgId}/members`, {
      email: (await world.freshOrgMember()).email,
    });
    expect(again.status).toBe(409);
  });

  it('refuses to put someone outside the organization on a team (422)', async () => {
    const stranger = await world.freshUser();
    const response = await call(testApp.app, world.admin, 'POST', `/api/teams/${world.teamId}/members`, { userId: stranger.id });
    expect(response.status).toBe(422);
    expect(response.body.error.message).toContain('body.userId');
  });

  it('removes someone from every team of an organization when they leave it', async () => {
    const member = await world.freshTeamMember();
    expect((await call(testApp.app, world.admin, 'DELETE', `/api/orgs/${world.orgId}/members/${member.id}`)).status).toBe(204);
    const team = await call(testApp.app, world.admin, 'GET', `/api/teams/${world.teamId}`);
    expect(team.body.members.map((m: { userId: string }) => m.userId)).not.toContain(member.id);
  });

  it('lets a member leave a team on their own', async () => {
    const member = await world.freshTeamMember();
    const self = await testApp.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: member.email, password: 'correct horse battery' } });
    const headers = { authorization: `Bearer ${self.json().accessToken}` };
    expect((await call(testApp.app, { headers }, 'DELETE', `/api/teams/${world.teamId}/members/${member.id}`)).status).toBe(204);
    expect((await call(testApp.app, { headers }, 'GET', `/api/teams/${world.teamId}`)).status).toBe(403);
  });
});
