import type { FastifyInstance } from 'fastify';
import { call, signUp, type SignedInUser } from '../helpers/test-app.js';
import type { RbacWorld } from './rbac-cases.js';

/** Runs a fixture call, failing loudly on an unexpected status; fixtures only need the new resource's id. */
async function expectStatus(result: Promise<{ status: number; body: unknown }>, status: number): Promise<{ id: string }> {
  const response = await result;
  if (response.status !== status) throw new Error(`fixture call returned ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as { id: string };
}

/** An organization with one team, and one local account for each kind of caller. */
export async function createLocalRbacWorld(app: FastifyInstance): Promise<RbacWorld & { admin: SignedInUser }> {
  const [orgAdmin, orgMember, teamMember, teamLead, outsider] = await Promise.all(
    ['Admin', 'Member', 'Teammate', 'Lead', 'Outsider'].map((name) => signUp(app, name)),
  );
  const org = await expectStatus(call(app, orgAdmin!, 'POST', '/api/orgs', { name: 'Acme' }), 201);
  const addToOrg = (user: { email: string }, role = 'member') =>
    expectStatus(call(app, orgAdmin!, 'POST', `/api/orgs/${org.id}/members`, { email: user.email, role }), 201);
  await Promise.all([addToOrg(orgMember!), addToOrg(teamMember!), addToOrg(teamLead!)]);
  const team = await expectStatus(call(app, orgAdmin!, 'POST', `/api/orgs/${org.id}/teams`, { name: 'Platform' }), 201);
  const addToTeam = (user: { id: string }, role: 'lead' | 'member') =>
    expectStatus(call(app, orgAdmin!, 'POST', `/api/teams/${team.id}/members`, { userId: user.id, role }), 201);
  await addToTeam(teamMember!, 'member');
  await addToTeam(teamLead!, 'lead');

  const freshUser = async () => signUp(app, 'Newcomer');
  const freshOrgMember = async () => {
    const user = await freshUser();
    await addToOrg(user);
    return user;
  };
  return {
    app,
    admin: orgAdmin!,
    callers: { orgAdmin: orgAdmin!, orgMember: orgMember!, teamMember: teamMember!, teamLead: teamLead!, outsider: outsider! },
    orgId: org.id,
    teamId: team.id,
    freshUser,
    freshOrgMember,
    freshTeam: () => expectStatus(call(app, orgAdmin!, 'POST', `/api/orgs/${org.id}/teams`, { name: `Team ${Math.random()}` }), 201),
    freshChannel: () => expectStatus(call(app, orgAdmin!, 'POST', `/api/teams/${team.id}/channels`, { name: `channel ${Math.random()}` }), 201),
    freshInvitation: async () => {
      const created = await call(app, orgAdmin!, 'POST', `/api/orgs/${org.id}/invitations`, { role: 'member' });
      if (created.status !== 201) throw new Error(`fixture call returned ${created.status}: ${JSON.stringify(created.body)}`);
      return created.body as { id: string; token: string };
    },
    freshTeamMember: async () => {
      const user = await freshOrgMember();
      await addToTeam(user, 'member');
      return user;
    },
  };
}
