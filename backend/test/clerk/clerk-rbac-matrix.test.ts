import './offline-guard.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizations, users } from '../../src/db/schema/index.js';
import { call, type Caller, type TestApp } from '../helpers/test-app.js';
import { ACTORS, RBAC_CASES, type RbacWorld } from '../rbac/rbac-cases.js';
import { bearer, createClerkTestApp, clerkEvents, clerkId, mintSessionToken, sendEvent, v1OrgClaims, v2OrgClaims, type RsaKeys } from './clerk-fixtures.js';

/**
 * The foundation's route-by-caller table, run with callers who exist only in Clerk: users,
 * the organization and memberships arrive by webhook, and every request carries a Clerk session token.
 */
let keys: RsaKeys;
let secret: string;
let testApp: TestApp;
let world: RbacWorld;

async function expectOk(result: Promise<{ status: number; body?: unknown }>): Promise<{ id?: string }> {
  const response = await result;
  if (response.status >= 300) throw new Error(`fixture step failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body ?? {};
}

async function createClerkRbacWorld(app: TestApp['app']): Promise<RbacWorld> {
  const clerkOrgId = clerkId('org');
  await expectOk(sendEvent(app, secret, clerkEvents.organization('organization.created', { id: clerkOrgId, name: 'Acme (Clerk)' })));
  const orgId = (await testApp.database.db.select().from(organizations).where(eq(organizations.clerkOrgId, clerkOrgId)))[0]!.id;

  async function clerkUser(name: string) {
    const clerkUserId = clerkId('user');
    const email = `${name.toLowerCase()}-${clerkUserId}@example.test`;
    await expectOk(sendEvent(app, secret, clerkEvents.user('user.created', { id: clerkUserId, firstName: name, email })));
    const row = (await testApp.database.db.select().from(users).where(eq(users.clerkUserId, clerkUserId)))[0]!;
    return { id: row.id, email, clerkUserId };
  }
  async function joinOrg(user: { clerkUserId: string }, role: 'org:admin' | 'org:member') {
    await expectOk(sendEvent(app, secret, clerkEvents.membership('organizationMembership.created', { orgId: clerkOrgId, userId: user.clerkUserId, role })));
  }
  // Half the callers use claims v1, half v2; the tokens outlive the run so a slow machine cannot expire them.
  async function tokenFor(user: { clerkUserId: string }, role?: 'org:admin' | 'org:member', version: 1 | 2 = 1): Promise<Caller> {
    const claims = role ? (version === 1 ? v1OrgClaims({ id: clerkOrgId, role }) : v2OrgClaims({ id: clerkOrgId, role })) : {};
    return bearer(await mintSessionToken(keys, { clerkUserId: user.clerkUserId, lifetimeSeconds: 3600, claims }));
  }

  const [admin, member, teammate, lead, outsider] = await Promise.all(['Admin', 'Member', 'Teammate', 'Lead', 'Outsider'].map(clerkUser));
  await joinOrg(admin!, 'org:admin');
  await Promise.all([joinOrg(member!, 'org:member'), joinOrg(teammate!, 'org:member'), joinOrg(lead!, 'org:member')]);
  const callers = {
    orgAdmin: await tokenFor(admin!, 'org:admin', 2),
    orgMember: await tokenFor(member!, 'org:member', 1),
    teamMember: await tokenFor(teammate!, 'org:member', 2),
    teamLead: await tokenFor(lead!),
    outsider: await tokenFor(outsider!),
  };
  const team = await expectOk(call(app, callers.orgAdmin, 'POST', `/api/orgs/${orgId}/teams`, { name: 'Platform' }));
  const teamId = team.id!;
  const addToTeam = (user: { id: string }, role: 'lead' | 'member') =>
    expectOk(call(app, callers.orgAdmin, 'POST', `/api/teams/${teamId}/members`, { userId: user.id, role }));
  await addToTeam(teammate!, 'member');
  await addToTeam(lead!, 'lead');

  const freshOrgMember = async () => {
    const user = await clerkUser('Newcomer');
    await joinOrg(user, 'org:member');
    return user;
  };
  return {
    app,
    callers,
    orgId,
    teamId,
    freshUser: () => clerkUser('Newcomer'),
    freshOrgMember,
    freshTeam: async () =>
      (await expectOk(call(app, callers.orgAdmin, 'POST', `/api/orgs/${orgId}/teams`, { name: `Team ${Math.random()}` }))) as { id: string },
    freshChannel: async () =>
      (await expectOk(call(app, callers.orgAdmin, 'POST', `/api/teams/${teamId}/channels`, { name: `channel ${Math.random()}` }))) as { id: string },
    freshInvitation: async () =>
      (await expectOk(call(app, callers.orgAdmin, 'POST', `/api/orgs/${orgId}/invitations`, { role: 'member' }))) as { id: string; token: string },
    freshTeamMember: async () => {
      const user = await freshOrgMember();
      await addToTeam(user, 'member');
      return user;
    },
  };
}

beforeAll(async () => {
  ({ keys, secret, testApp } = await createClerkTestApp());
  world = await createClerkRbacWorld(testApp.app);
}, 180_000);
afterAll(() => testApp?.close());

describe('RBAC matrix with Clerk identities', () => {
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
