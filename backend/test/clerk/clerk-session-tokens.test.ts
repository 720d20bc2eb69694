import './offline-guard.js';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { __experimental_JWTPayloadToAuthObjectProperties as clerksOwnClaimsParser } from '@clerk/shared/jwtPayloadParser';
import { eq } from 'drizzle-orm';
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSessionClaims } from '../../src/auth/clerk/session-claims.js';
import { users } from '../../src/db/schema/index.js';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  backendApiUser,
  bearer,
  clerkEnv,
  clerkEvents,
  clerkId,
  DEV_ORIGIN,
  generateRsaKeys,
  mintSessionToken,
  newWebhookSecret,
  nowSeconds,
  PUBLISHABLE_KEY,
  sendEvent,
  startClerkApiStandIn,
  v1OrgClaims,
  v2OrgClaims,
  type RsaKeys,
} from './clerk-fixtures.js';
import { takeNetworkAttempts } from './offline-guard.js';

let keys: RsaKeys;
let secret: string;
let testApp: TestApp;
let standIn: Awaited<ReturnType<typeof startClerkApiStandIn>>;
const profiles = new Map<string, ReturnType<typeof backendApiUser>>();

beforeAll(async () => {
  keys = generateRsaKeys();
  secret = newWebhookSecret();
  standIn = await startClerkApiStandIn((request) => {
    const match = /^\/v1\/users\/([\w-]+)$/.exec(request.url);
    const profile = request.method === 'GET' && match ? profiles.get(match[1]!) : undefined;
    return profile ? { status: 200, body: profile } : undefined;
  });
  testApp = await createTestApp({ env: clerkEnv(keys, secret, { CLERK_API_URL: standIn.url }) });
}, 180_000);
afterAll(async () => {
  await testApp?.close();
  await standIn?.close();
});

const me = (token: string) => call(testApp.app, bearer(token), 'GET', '/api/me');
const userRow = async (clerkUserId: string) => (await testApp.database.db.select().from(users).where(eq(users.clerkUserId, clerkUserId)))[0];

describe('the server announces Clerk', () => {
  it('reports auth "clerk" and the publishable key in GET /api/config', async () => {
    const response = await call(testApp.app, null, 'GET', '/api/config');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ auth: 'clerk', clerkPublishableKey: PUBLISHABLE_KEY });
  });

  it('answers the local sign-in routes with auth_provider_mismatch', async () => {
    for (const [url, payload] of [
      ['/api/auth/signup', { email: 'a@example.test', password: 'long enough', name: 'A' }],
      ['/api/auth/login', { email: 'a@example.test', password: 'long enough' }],
      ['/api/auth/refresh', { refreshToken: 'anything' }],
    ] as const) {
      const response = await call(testApp.app, null, 'POST', url, payload);
      expect(response.status, url).toBe(409);
      expect(response.body.error.code).toBe('auth_provider_mismatch');
      expect(response.body.error.message).toContain('Clerk');
    }
  });
});

describe('a user who exists only in Clerk', () => {
  it('sees the organizations and roles the webhooks delivered, with a v1 token', async () => {
    const clerkUserId = clerkId('user');
    const acme = clerkId('org');
    const globex = clerkId('org');
    expect(
      (
        await sendEvent(
          testApp.app,
          secret,
          clerkEvents.user('user.created', { id: clerkUserId, firstName: 'Ada', lastName: 'Lovelace', email: 'Ada@Example.test' }),
        )
      ).status,
    ).toBe(200);
    await sendEvent(testApp.app, secret, clerkEvents.organization('organization.created', { id: acme, name: 'Acme' }));
    await sendEvent(testApp.app, secret, clerkEvents.organization('organization.created', { id: globex, name: 'Globex' }));
    await sendEvent(
      testApp.app,
      secret,
      clerkEvents.membership('organizationMembership.created', { orgId: acme, orgName: 'Acme', userId: clerkUserId, role: 'org:admin' }),
    );
    await sendEvent(
      testApp.app,
      secret,
      clerkEvents.membership('organizationMembership.created', { orgId: globex, orgName: 'Globex', userId: clerkUserId, role: 'org:member' }),
    );

    const token = await mintSessionToken(keys, { clerkUserId, issuedAt: nowSeconds() - 30 });
    const response = await me(token);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.user).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.test' });
    expect(response.body.organizations.map((o: { name: string; role: string }) => [o.name, o.role])).toEqual([
      ['Acme', 'admin'],
      ['Globex', 'member'],
    ]);
    // The webhook introduced the user, so no profile lookup was needed.
    expect(standIn.requests.filter((r) => r.url.includes(clerkUserId))).toEqual([]);
  });

  it('is provisioned on the first verified request, with the profile read from the Backend API', async () => {
    const clerkUserId = clerkId('user');
    profiles.set(clerkUserId, backendApiUser({ id: clerkUserId, firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.test' }));
    expect(await userRow(clerkUserId)).toBeUndefined();

    const response = await me(await mintSessionToken(keys, { clerkUserId }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ user: { name: 'Grace Hopper', email: 'grace@example.test' }, organizations: [] });
    expect(await userRow(clerkUserId)).toMatchObject({ name: 'Grace Hopper', passwordHash: null });

    const lookups = standIn.requests.filter((r) => r.url.includes(clerkUserId));
    expect(lookups).toHaveLength(1);
    expect(lookups[0]).toMatchObject({ method: 'GET', url: `/v1/users/${clerkUserId}` });
    expect(lookups[0]!.headers.authorization).toBe('Bearer sk_test_collaroTestSecretKey0123456789');

    // Known from now on: no second lookup.
    expect((await me(await mintSessionToken(keys, { clerkUserId }))).status).toBe(200);
    expect(standIn.requests.filter((r) => r.url.includes(clerkUserId))).toHaveLength(1);
  });

  it('is refused once Clerk has deleted them, without asking the Backend API about them', async () => {
    const clerkUserId = clerkId('user');
    profiles.set(clerkUserId, backendApiUser({ id: clerkUserId, firstName: 'Deleted', lastName: 'Person', email: 'deleted@example.test' }));
    await sendEvent(testApp.app, secret, clerkEvents.userDeleted(clerkUserId));
    const response = await me(await mintSessionToken(keys, { clerkUserId, issuedAt: nowSeconds() - 5 }));
    expect(response.status).toBe(401);
    expect(response.body.error.message).toBe('This Clerk account has been deleted');
    expect(await userRow(clerkUserId)).toBeUndefined();
    expect(standIn.requests.filter((r) => r.url.includes(clerkUserId))).toEqual([]);
  });

  it('is still let in with a placeholder name when the Backend API does not know them yet', async () => {
    const clerkUserId = clerkId('user');
    const response = await me(await mintSessionToken(keys, { clerkUserId }));
    expect(response.status).toBe(200);
    expect(response.body.user.name).toBe(`Clerk user ${clerkUserId.slice(-6)}`);
    // A later user.updated webhook fills the profile in.
    await sendEvent(testApp.app, secret, clerkEvents.user('user.updated', { id: clerkUserId, firstName: 'Linus', email: 'linus@example.test' }));
    expect((await me(await mintSessionToken(keys, { clerkUserId }))).body.user).toMatchObject({ name: 'Linus', email: 'linus@example.test' });
  });
});

describe('organization claims in the token', () => {
  it('v1: org_id, org_role and org_permissions give the membership, role and granted permissions', async () => {
    const clerkUserId = clerkId('user');
    const org = clerkId('org');
    const token = await mintSessionToken(keys, {
      clerkUserId,
      claims: v1OrgClaims({ id: org, slug: 'initech', role: 'org:member', permissions: ['org:teams:manage', 'org:billing:read'] }),
    });
    const response = await me(token);
    expect(response.body.organizations).toEqual([{ id: expect.any(String), name: 'initech', role: 'member' }]);
    const orgId = response.body.organizations[0].id;
    // org:teams:manage is a Collaro permission: this member may create teams, which members cannot by default.
    expect((await call(testApp.app, bearer(token), 'POST', `/api/orgs/${orgId}/teams`, { name: 'Granted' })).status).toBe(201);
    // It does not make them an admin.
    expect((await call(testApp.app, bearer(token), 'POST', `/api/orgs/${orgId}/members`, { email: 'x@example.test' })).status).toBe(403);
  });

  it('v2: the compact o claim gives the same membership, role and permissions', async () => {
    const clerkUserId = clerkId('user');
    const org = clerkId('org');
    const token = await mintSessionToken(keys, {
      clerkUserId,
      claims: v2OrgClaims({ id: org, slug: 'umbrella', role: 'org:member', features: { billing: ['read'], teams: ['read', 'manage'] } }),
    });
    const response = await me(token);
    expect(response.body.organizations).toEqual([{ id: expect.any(String), name: 'umbrella', role: 'member' }]);
    const orgId = response.body.organizations[0].id;
    expect((await call(testApp.app, bearer(token), 'POST', `/api/orgs/${orgId}/teams`, { name: 'Granted' })).status).toBe(201);
  });

  it('v2: o.rol "admin" is an organization admin', async () => {
    const token = await mintSessionToken(keys, { clerkUserId: clerkId('user'), claims: v2OrgClaims({ id: clerkId('org'), role: 'org:admin' }) });
    expect((await me(token)).body.organizations).toEqual([expect.objectContaining({ role: 'admin' })]);
  });

  it('legacy role keys: admin is an admin, basic_member a member', async () => {
    const admin = await mintSessionToken(keys, { clerkUserId: clerkId('user'), claims: v1OrgClaims({ id: clerkId('org'), role: 'admin' }) });
    const basic = await mintSessionToken(keys, { clerkUserId: clerkId('user'), claims: v1OrgClaims({ id: clerkId('org'), role: 'basic_member' }) });
    expect((await me(admin)).body.organizations).toEqual([expect.objectContaining({ role: 'admin' })]);
    expect((await me(basic)).body.organizations).toEqual([expect.objectContaining({ role: 'member' })]);
  });

  it("reads v2 claims exactly as Clerk's own parser does", () => {
    const payload = {
      sub: 'user_1',
      iat: 1,
      exp: 2,
      v: 2,
      fea: 'u:profile,o:dashboard,o:teams,uo:meetings',
      o: { id: 'org_1', slg: 'acme', rol: 'member', per: 'manage,read,create', fpm: '3,2,5' },
    };
    const ours = readSessionClaims(payload);
    const theirs = clerksOwnClaimsParser(payload as never);
    expect(ours.activeOrganization).toEqual({
      clerkOrgId: theirs.orgId,
      slug: theirs.orgSlug,
      role: theirs.orgRole,
      permissions: theirs.orgPermissions,
    });
    expect(ours.activeOrganization!.permissions).toEqual([
      'org:dashboard:manage',
      'org:dashboard:read',
      'org:teams:read',
      'org:meetings:manage',
      'org:meetings:create',
    ]);
  });
});

describe('rejected tokens (401, and nobody is provisioned)', () => {
  const rejections: Array<[string, (clerkUserId: string) => Promise<string>, string]> = [
    ['expired', (sub) => mintSessionToken(keys, { clerkUserId: sub, issuedAt: nowSeconds() - 600, lifetimeSeconds: 60 }), 'expired'],
    ['not valid yet (nbf in the future)', (sub) => mintSessionToken(keys, { clerkUserId: sub, claims: { nbf: nowSeconds() + 300 } }), 'not valid yet'],
    ['issued in the future (iat)', (sub) => mintSessionToken(keys, { clerkUserId: sub, issuedAt: nowSeconds() + 300 }), 'not valid yet'],
    [
      'tampered payload',
      async (sub) => {
        const [header, , signature] = (await mintSessionToken(keys, { clerkUserId: sub })).split('.');
        const forged = base64url.encode(
          JSON.stringify({ sub, iat: nowSeconds(), exp: nowSeconds() + 60, azp: 'collaro-app://app', org_id: 'org_x', org_role: 'org:admin' }),
        );
        return `${header}.${forged}.${signature}`;
      },
      'signature',
    ],
    ['signed with another RSA key', (sub) => mintSessionToken(keys, { clerkUserId: sub, key: generateRsaKeys().privateKey }), 'signature'],
    [
      'HS256 signed with the public key',
      (sub) =>
        new SignJWT({ azp: 'collaro-app://app' })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject(sub)
          .setIssuedAt()
          .setExpirationTime('1m')
          .sign(new TextEncoder().encode(keys.publicPem)),
      'algorithm',
    ],
    [
      'alg none',
      async (sub) => {
        const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
        const payload = base64url.encode(JSON.stringify({ sub, iat: nowSeconds(), exp: nowSeconds() + 60, azp: 'collaro-app://app' }));
        return `${header}.${payload}.`;
      },
      'algorithm',
    ],
    [
      'ES256 (an algorithm Clerk does not use)',
      (sub) =>
        new SignJWT({ azp: 'collaro-app://app' })
          .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
          .setSubject(sub)
          .setIssuedAt()
          .setExpirationTime('1m')
          .sign(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey),
      'algorithm',
    ],
    ['azp of another site', (sub) => mintSessionToken(keys, { clerkUserId: sub, azp: 'https://evil.example' }), 'azp'],
    ['no azp', (sub) => mintSessionToken(keys, { clerkUserId: sub, azp: null }), 'azp'],
    ['pending session (sts: "pending")', (sub) => mintSessionToken(keys, { clerkUserId: sub, claims: { sts: 'pending' } }), 'pending'],
    ['not a JWT', async () => 'abc.def', 'Malformed'],
  ];

  for (const [name, mint, reason] of rejections) {
    it(`refuses a token that is ${name}`, async () => {
      const clerkUserId = clerkId('user');
      const response = await me(await mint(clerkUserId));
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
      expect(response.body.error.message).toContain(reason);
      expect(await userRow(clerkUserId)).toBeUndefined();
    });
  }

  it('accepts the same token shape when nothing is wrong (the cases above differ in one thing only)', async () => {
    const clerkUserId = clerkId('user');
    expect((await me(await mintSessionToken(keys, { clerkUserId }))).status).toBe(200);
    expect((await me(await mintSessionToken(keys, { clerkUserId, azp: DEV_ORIGIN }))).status).toBe(200);
    expect((await me(await mintSessionToken(keys, { clerkUserId, claims: { sts: 'active' } }))).status).toBe(200);
  });

  it('answers 401 without a token', async () => {
    expect((await call(testApp.app, null, 'GET', '/api/me')).status).toBe(401);
  });
});

describe('without CLERK_JWT_KEY', () => {
  it('fetches the signing key from the Backend API (JWKS) and verifies with it', async () => {
    const jwk = { ...createPublicKey(keys.publicPem).export({ format: 'jwk' }), kid: 'ins_test', alg: 'RS256', use: 'sig' };
    const jwks = await startClerkApiStandIn((request) => (request.url === '/v1/jwks' ? { status: 200, body: { keys: [jwk] } } : undefined));
    const env = clerkEnv(keys, secret, { CLERK_API_URL: jwks.url });
    delete (env as Partial<typeof env>).CLERK_JWT_KEY;
    const online = await createTestApp({ env, database: testApp.database });
    try {
      const response = await call(online.app, bearer(await mintSessionToken(keys, { clerkUserId: clerkId('user') })), 'GET', '/api/me');
      expect(response.status).toBe(200);
      const keyFetches = jwks.requests.filter((request) => request.url === '/v1/jwks');
      expect(keyFetches).toHaveLength(1);
      expect(keyFetches[0]!.method).toBe('GET');
      expect(keyFetches[0]!.headers.authorization).toBe('Bearer sk_test_collaroTestSecretKey0123456789');
      const forged = await mintSessionToken(keys, { clerkUserId: clerkId('user'), key: generateRsaKeys().privateKey });
      expect((await call(online.app, bearer(forged), 'GET', '/api/me')).status).toBe(401);
    } finally {
      await online.close();
      await jwks.close();
    }
  }, 120_000);
});

describe('the offline guard', () => {
  it('refuses and records a request to anywhere but this machine', async () => {
    await expect(fetch('https://api.clerk.com/v1/jwks')).rejects.toThrow(/refused in an offline test/);
    expect(takeNetworkAttempts()).toEqual(['fetch https://api.clerk.com/v1/jwks']);
  });
});
