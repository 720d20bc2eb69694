import './offline-guard.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyClerkMembership } from '../../src/auth/clerk/clerk-sync-repository.js';
import { call, type TestApp } from '../helpers/test-app.js';
import {
  bearer,
  createClerkTestApp,
  clerkEvents,
  clerkId,
  mintSessionToken,
  nowSeconds,
  sendEvent,
  v1OrgClaims,
  v2OrgClaims,
  type RsaKeys,
} from './clerk-fixtures.js';

/**
 * A role can reach Collaro two ways: a webhook (stamped with the time Clerk emitted the event) and
 * the session token (stamped with `iat`). Whichever describes the later moment wins; on a tie the
 * webhook wins, because `iat` is rounded down to the second.
 */
let keys: RsaKeys;
let secret: string;
let testApp: TestApp;

beforeAll(async () => {
  ({ keys, secret, testApp } = await createClerkTestApp());
}, 180_000);
afterAll(() => testApp?.close());

async function roleIn(token: string, clerkOrgName: string) {
  const response = await call(testApp.app, bearer(token), 'GET', '/api/me');
  expect(response.status).toBe(200);
  return response.body.organizations.find((o: { name: string }) => o.name === clerkOrgName)?.role as string | undefined;
}

/** A member of a fresh organization, as of `atMs`, delivered by webhook. */
async function memberSince(atMs: number, role = 'org:member') {
  const org = clerkId('org');
  const user = clerkId('user');
  const name = `Org ${org}`;
  await sendEvent(testApp.app, secret, clerkEvents.membership('organizationMembership.created', { orgId: org, orgName: name, userId: user, role }, atMs));
  return { org, user, name };
}

const membershipEvent = (
  type: 'organizationMembership.updated' | 'organizationMembership.deleted',
  m: { org: string; user: string; name: string },
  role: string,
  atMs: number,
) => clerkEvents.membership(type, { orgId: m.org, orgName: m.name, userId: m.user, role }, atMs);

describe('webhook versus session token', () => {
  it('a promotion by webhook takes effect on the next request, even with a token minted before it', async () => {
    const base = (nowSeconds() - 40) * 1000;
    const m = await memberSince(base);
    await sendEvent(testApp.app, secret, membershipEvent('organizationMembership.updated', m, 'org:admin', base + 20_000));
    const olderToken = await mintSessionToken(keys, {
      clerkUserId: m.user,
      issuedAt: base / 1000 + 10,
      claims: v1OrgClaims({ id: m.org, role: 'org:member' }),
    });
    expect(await roleIn(olderToken, m.name)).toBe('admin');
  });

  it('a newer token applies a promotion before its webhook arrives; the late webhook then changes nothing', async () => {
    const base = (nowSeconds() - 40) * 1000;
    const m = await memberSince(base);
    const newerToken = await mintSessionToken(keys, { clerkUserId: m.user, issuedAt: base / 1000 + 30, claims: v2OrgClaims({ id: m.org, role: 'org:admin' }) });
    expect(await roleIn(newerToken, m.name)).toBe('admin');
    // The promotion happened at +20 s; its webhook is older than the token already applied.
    const late = await sendEvent(testApp.app, secret, membershipEvent('organizationMembership.updated', m, 'org:admin', base + 20_000));
    expect(late.body.outcome).toBe('ignored');
    // A demotion after the token wins again.
    await sendEvent(testApp.app, secret, membershipEvent('organizationMembership.updated', m, 'org:member', base + 35_000));
    expect(await roleIn(newerToken, m.name)).toBe('member');
  });

  it('a newer token demotes before the webhook arrives, and an older webhook cannot undo it', async () => {
    const base = (nowSeconds() - 40) * 1000;
    const m = await memberSince(base, 'org:admin');
    const token = await mintSessionToken(keys, { clerkUserId: m.user, issuedAt: base / 1000 + 30, claims: v1OrgClaims({ id: m.org, role: 'org:member' }) });
    expect(await roleIn(token, m.name)).toBe('member');
    await sendEvent(testApp.app, secret, membershipEvent('organizationMembership.updated', m, 'org:admin', base + 10_000));
    expect(await roleIn(token, m.name)).toBe('member');
  });

  it('a membership deleted by webhook stays deleted for tokens minted before; a later token (re-added) restores it', async () => {
    const base = (nowSeconds() - 40) * 1000;
    const m = await memberSince(base, 'org:admin');
    await sendEvent(testApp.app, secret, membershipEvent('organizationMembership.deleted', m, 'org:admin', base + 20_000));
    const before = await mintSessionToken(keys, { clerkUserId: m.user, issuedAt: base / 1000 + 10, claims: v1OrgClaims({ id: m.org, role: 'org:admin' }) });
    expect(await roleIn(before, m.name)).toBeUndefined();
    const after = await mintSessionToken(keys, { clerkUserId: m.user, issuedAt: base / 1000 + 30, claims: v1OrgClaims({ id: m.org, role: 'org:member' }) });
    expect(await roleIn(after, m.name)).toBe('member');
  });

  it('on a tie the webhook wins, whichever arrives first', async () => {
    const base = (nowSeconds() - 40) * 1000;
    const a = await memberSince(base);
    const tokenA = await mintSessionToken(keys, { clerkUserId: a.user, issuedAt: base / 1000 + 20, claims: v1OrgClaims({ id: a.org, role: 'org:admin' }) });
    expect(await roleIn(tokenA, a.name)).toBe('admin');
    await sendEvent(testApp.app, secret, membershipEvent('organizationMembership.updated', a, 'org:member', base + 20_000));
    expect(await roleIn(tokenA, a.name)).toBe('member');

    const b = await memberSince(base);
    await sendEvent(testApp.app, secret, membershipEvent('organizationMembership.updated', b, 'org:member', base + 20_000));
    const tokenB = await mintSessionToken(keys, { clerkUserId: b.user, issuedAt: base / 1000 + 20, claims: v1OrgClaims({ id: b.org, role: 'org:admin' }) });
    expect(await roleIn(tokenB, b.name)).toBe('member');
  });

  it('a token whose active organization is another one, or none, leaves other memberships alone', async () => {
    const base = (nowSeconds() - 40) * 1000;
    const m = await memberSince(base, 'org:admin');
    const elsewhere = clerkId('org');
    const token = await mintSessionToken(keys, {
      clerkUserId: m.user,
      issuedAt: base / 1000 + 30,
      claims: v1OrgClaims({ id: elsewhere, slug: 'elsewhere', role: 'org:member' }),
    });
    expect(await roleIn(token, m.name)).toBe('admin');
    expect(await roleIn(token, 'elsewhere')).toBe('member');
    const noOrg = await mintSessionToken(keys, { clerkUserId: m.user, issuedAt: base / 1000 + 35 });
    expect(await roleIn(noOrg, m.name)).toBe('admin');
  });

  it("permissions follow the same rule: a newer token's permissions replace the webhook's", async () => {
    const base = (nowSeconds() - 40) * 1000;
    const org = clerkId('org');
    const user = clerkId('user');
    await sendEvent(
      testApp.app,
      secret,
      clerkEvents.membership(
        'organizationMembership.created',
        { orgId: org, orgName: 'Perms', userId: user, role: 'org:member', permissions: ['org:teams:manage'] },
        base,
      ),
    );
    const stale = await mintSessionToken(keys, { clerkUserId: user, issuedAt: base / 1000 - 5, claims: v1OrgClaims({ id: org, role: 'org:member' }) });
    const me = await call(testApp.app, bearer(stale), 'GET', '/api/me');
    const orgId = me.body.organizations[0].id;
    expect((await call(testApp.app, bearer(stale), 'POST', `/api/orgs/${orgId}/teams`, { name: 'Allowed' })).status).toBe(201);
    const fresh = await mintSessionToken(keys, {
      clerkUserId: user,
      issuedAt: base / 1000 + 10,
      claims: v1OrgClaims({ id: org, role: 'org:member', permissions: [] }),
    });
    expect((await call(testApp.app, bearer(fresh), 'POST', `/api/orgs/${orgId}/teams`, { name: 'Revoked' })).status).toBe(403);
  });

  it('settles a race at the database too: a token stamped at the same moment as the stored webhook is stale', async () => {
    const base = (nowSeconds() - 40) * 1000;
    const m = await memberSince(base);
    const db = testApp.database.db;
    const change = {
      role: 'admin' as const,
      grantedPermissions: [],
      organizationName: m.name,
      userProfile: { name: 'Racer', email: null },
    };
    const asToken = (observedAtMs: number) => ({ clerkOrgId: m.org, clerkUserId: m.user, observedAtMs, source: 'token' as const });
    expect(await db.transaction((tx) => applyClerkMembership(tx, asToken(base), change))).toMatchObject({ outcome: 'stale' });
    expect(await db.transaction((tx) => applyClerkMembership(tx, asToken(base - 1000), change))).toMatchObject({ outcome: 'stale' });
    expect(await db.transaction((tx) => applyClerkMembership(tx, { ...asToken(base), source: 'webhook' }, change))).toMatchObject({ outcome: 'applied' });
    expect(await db.transaction((tx) => applyClerkMembership(tx, asToken(base + 1000), { ...change, role: 'member' }))).toMatchObject({ outcome: 'applied' });
  });
});
