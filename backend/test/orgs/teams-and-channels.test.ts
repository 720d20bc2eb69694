import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signUp, type SignedInUser, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let admin: SignedInUser;
let lead: SignedInUser;
let member: SignedInUser;
let orgId: string;

async function newTeam(name: string) {
  const team = (await call(t.app, admin, 'POST', `/api/orgs/${orgId}/teams`, { name })).body as { id: string };
  await call(t.app, admin, 'POST', `/api/teams/${team.id}/members`, { userId: lead.id, role: 'lead' });
  await call(t.app, admin, 'POST', `/api/teams/${team.id}/members`, { userId: member.id, role: 'member' });
  return team;
}

const channelsOf = async (user: SignedInUser) =>
  (await call(t.app, user, 'GET', `/api/orgs/${orgId}/channels`)).body.channels as {
    id: string;
    name: string;
    teamId: string;
    archived: boolean;
    isDefault: boolean;
  }[];

const post = (user: SignedInUser, channelId: string, body: string) =>
  call(t.app, user, 'POST', `/api/channels/${channelId}/messages`, { clientId: randomUUID(), body });

beforeAll(async () => {
  t = await createTestApp();
  [admin, lead, member] = await Promise.all([signUp(t.app, 'Ann Admin'), signUp(t.app, 'Leo Lead'), signUp(t.app, 'Mia Member')]);
  orgId = (await call(t.app, admin!, 'POST', '/api/orgs', { name: 'Teamwork' })).body.id;
  for (const user of [lead!, member!]) await call(t.app, admin!, 'POST', `/api/orgs/${orgId}/members`, { email: user.email });
});
afterAll(() => t.close());

describe('team roles change in place', () => {
  it('makes a member a lead with one request, after which they manage the team', async () => {
    const team = await newTeam('Roles');
    const newcomer = await signUp(t.app, 'Nat Newcomer');
    await call(t.app, admin, 'POST', `/api/orgs/${orgId}/members`, { email: newcomer.email });
    expect((await call(t.app, member, 'POST', `/api/teams/${team.id}/members`, { userId: newcomer.id })).status).toBe(403);

    const promoted = await call(t.app, lead, 'PATCH', `/api/teams/${team.id}/members/${member.id}`, { role: 'lead' });
    expect(promoted).toMatchObject({ status: 200, body: { userId: member.id, name: 'Mia Member', role: 'lead' } });
    const detail = await call(t.app, admin, 'GET', `/api/teams/${team.id}`);
    expect(detail.body.members.find((m: { userId: string }) => m.userId === member.id).role).toBe('lead');
    expect((await call(t.app, member, 'POST', `/api/teams/${team.id}/members`, { userId: newcomer.id })).status).toBe(201);

    expect((await call(t.app, member, 'PATCH', `/api/teams/${team.id}/members/${member.id}`, { role: 'member' })).status).toBe(200);
    const another = await signUp(t.app, 'Ava Another');
    await call(t.app, admin, 'POST', `/api/orgs/${orgId}/members`, { email: another.email });
    expect((await call(t.app, member, 'POST', `/api/teams/${team.id}/members`, { userId: another.id })).status).toBe(403);
  });

  it('answers 404 for someone not on the team and 422 for a role that does not exist', async () => {
    const team = await newTeam('Roles two');
    const outsider = await signUp(t.app, 'Out Sider');
    expect((await call(t.app, admin, 'PATCH', `/api/teams/${team.id}/members/${outsider.id}`, { role: 'lead' })).status).toBe(404);
    expect((await call(t.app, admin, 'PATCH', `/api/teams/${team.id}/members/${member.id}`, { role: 'boss' })).status).toBe(422);
  });
});

describe('admins rename and delete teams', () => {
  it('renames a team, refusing a name another team has', async () => {
    const team = await newTeam('Old name');
    await newTeam('Taken');
    const renamed = await call(t.app, admin, 'PATCH', `/api/teams/${team.id}`, { name: 'New name' });
    expect(renamed).toMatchObject({ status: 200, body: { id: team.id, name: 'New name' } });
    expect((await call(t.app, admin, 'PATCH', `/api/teams/${team.id}`, { name: 'Taken' })).status).toBe(409);
    expect((await call(t.app, lead, 'PATCH', `/api/teams/${team.id}`, { name: 'Lead was here' })).status).toBe(403);
    const teams = (await call(t.app, member, 'GET', `/api/orgs/${orgId}/teams`)).body.teams.map((x: { name: string }) => x.name);
    expect(teams).toContain('New name');
  });

  it('deletes a team with its channels: its members no longer see them', async () => {
    const team = await newTeam('Short lived');
    const channelIds = (await channelsOf(member)).filter((c) => c.teamId === team.id).map((c) => c.id);
    expect(channelIds).toHaveLength(1);
    expect((await call(t.app, lead, 'DELETE', `/api/teams/${team.id}`)).status).toBe(403);
    expect((await call(t.app, admin, 'DELETE', `/api/teams/${team.id}`)).status).toBe(204);
    expect((await call(t.app, admin, 'GET', `/api/teams/${team.id}`)).status).toBe(404);
    expect((await channelsOf(member)).map((c) => c.id)).not.toContain(channelIds[0]);
    expect((await call(t.app, member, 'GET', `/api/channels/${channelIds[0]}/messages`)).status).toBe(404);
  });
});

describe('team leads manage their channels', () => {
  it('creates, renames, archives and unarchives a channel; an archived channel keeps its history and takes no messages', async () => {
    const team = await newTeam('Channels');
    const created = await call(t.app, lead, 'POST', `/api/teams/${team.id}/channels`, { name: 'design' });
    expect(created.status).toBe(201);
    const channelId = created.body.id;
    expect((await post(member, channelId, 'first idea')).status).toBe(201);

    const renamed = await call(t.app, lead, 'PATCH', `/api/channels/${channelId}`, { name: 'design-review' });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'design-review', archived: false } });

    const archived = await call(t.app, lead, 'PATCH', `/api/channels/${channelId}`, { archived: true });
    expect(archived.body.archived).toBe(true);
    expect((await channelsOf(member)).find((c) => c.id === channelId)?.archived).toBe(true);
    const refused = await post(member, channelId, 'too late');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/archived/);
    const history = await call(t.app, member, 'GET', `/api/channels/${channelId}/messages`);
    expect(history.body.messages.map((m: { body: string }) => m.body)).toEqual(['first idea']);

    expect((await call(t.app, admin, 'PATCH', `/api/channels/${channelId}`, { archived: false })).status).toBe(200);
    expect((await post(member, channelId, 'back again')).status).toBe(201);
  });

  it("refuses a duplicate name (whatever its case), archiving the team's first channel, and plain members", async () => {
    const team = await newTeam('Rules');
    const general = (await channelsOf(lead)).find((c) => c.teamId === team.id && c.isDefault)!;
    const extra = (await call(t.app, lead, 'POST', `/api/teams/${team.id}/channels`, { name: 'random' })).body;
    expect((await call(t.app, lead, 'PATCH', `/api/channels/${extra.id}`, { name: 'GENERAL' })).status).toBe(409);
    const archiveGeneral = await call(t.app, lead, 'PATCH', `/api/channels/${general.id}`, { archived: true });
    expect(archiveGeneral.status).toBe(409);
    expect(archiveGeneral.body.error.message).toMatch(/cannot be archived/);
    expect((await call(t.app, member, 'PATCH', `/api/channels/${extra.id}`, { name: 'mine now' })).status).toBe(403);
    expect((await call(t.app, lead, 'PATCH', `/api/channels/${extra.id}`, {})).status).toBe(422);
  });

  it('does not rename direct messages', async () => {
    const dm = (await call(t.app, lead, 'POST', `/api/orgs/${orgId}/dms`, { userIds: [member.id] })).body;
    expect((await call(t.app, admin, 'PATCH', `/api/channels/${dm.id}`, { name: 'x' })).status).toBe(403);
    expect((await call(t.app, lead, 'PATCH', `/api/channels/${dm.id}`, { name: 'x' })).status).toBe(403);
  });
});
