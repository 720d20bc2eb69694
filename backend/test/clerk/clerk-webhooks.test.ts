import './offline-guard.js';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clerkWebhookDeliveries, memberships, organizations, users } from '../../src/db/schema/index.js';
import { WEBHOOK_DELIVERY_RETENTION_MS } from '../../src/auth/clerk/clerk-sync-repository.js';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  bearer,
  createClerkTestApp,
  clerkEnv,
  clerkEvents,
  clerkId,
  deliver,
  mintSessionToken,
  newWebhookSecret,
  sendEvent,
  signDelivery,
  v1OrgClaims,
  type RsaKeys,
} from './clerk-fixtures.js';

let keys: RsaKeys;
let secret: string;
let testApp: TestApp;

beforeAll(async () => {
  ({ keys, secret, testApp } = await createClerkTestApp());
}, 180_000);
afterAll(() => testApp?.close());

const db = () => testApp.database.db;
const userByClerkId = async (id: string) => (await db().select().from(users).where(eq(users.clerkUserId, id)))[0];
const orgByClerkId = async (id: string) => (await db().select().from(organizations).where(eq(organizations.clerkOrgId, id)))[0];
async function membershipOf(clerkOrgId: string, clerkUserId: string) {
  const org = await orgByClerkId(clerkOrgId);
  const user = await userByClerkId(clerkUserId);
  if (!org || !user) return undefined;
  return (
    await db()
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, user.id)))
  )[0];
}
const deliveryCount = async (svixId: string) => (await db().select().from(clerkWebhookDeliveries).where(eq(clerkWebhookDeliveries.svixId, svixId))).length;

describe('user events', () => {
  it('user.created adds the user with name and primary email; user.updated changes them', async () => {
    const id = clerkId('user');
    const created = await sendEvent(
      testApp.app,
      secret,
      clerkEvents.user('user.created', { id, firstName: 'Katherine', lastName: 'Johnson', email: 'KJ@Example.test' }),
    );
    expect(created).toEqual({ status: 200, body: { outcome: 'applied' } });
    expect(await userByClerkId(id)).toMatchObject({ name: 'Katherine Johnson', email: 'kj@example.test', passwordHash: null });

    await sendEvent(testApp.app, secret, clerkEvents.user('user.updated', { id, firstName: 'Kate', email: 'kate@example.test' }));
    expect(await userByClerkId(id)).toMatchObject({ name: 'Kate', email: 'kate@example.test' });
  });

  it('user.deleted removes the user, their memberships, and their access on the next request', async () => {
    const id = clerkId('user');
    const org = clerkId('org');
    await sendEvent(testApp.app, secret, clerkEvents.user('user.created', { id, firstName: 'Gone' }));
    await sendEvent(testApp.app, secret, clerkEvents.membership('organizationMembership.created', { orgId: org, userId: id, role: 'org:member' }));
    const token = await mintSessionToken(keys, { clerkUserId: id });
    expect((await call(testApp.app, bearer(token), 'GET', '/api/me')).status).toBe(200);

    expect((await sendEvent(testApp.app, secret, clerkEvents.userDeleted(id))).body.outcome).toBe('applied');
    expect(await userByClerkId(id)).toBeUndefined();
    const orgRow = await orgByClerkId(org);
    expect(await db().select().from(memberships).where(eq(memberships.orgId, orgRow!.id))).toEqual([]);

    // The token is still within its minute of life, but the account is gone.
    const after = await call(testApp.app, bearer(token), 'GET', '/api/me');
    expect(after.status).toBe(401);
    expect(after.body.error.message).toContain('deleted');
    expect(await userByClerkId(id)).toBeUndefined();
  });

  it('a user.updated that arrives after user.deleted does not bring the user back', async () => {
    const id = clerkId('user');
    const t = Date.now();
    await sendEvent(testApp.app, secret, clerkEvents.user('user.created', { id, firstName: 'Ghost' }, t - 2000));
    await sendEvent(testApp.app, secret, clerkEvents.userDeleted(id, t));
    const late = await sendEvent(testApp.app, secret, clerkEvents.user('user.updated', { id, firstName: 'Ghost' }, t - 1000));
    expect(late).toEqual({ status: 200, body: { outcome: 'ignored' } });
    expect(await userByClerkId(id)).toBeUndefined();
  });

  it('an older user.updated delivered late does not overwrite a newer one', async () => {
    const id = clerkId('user');
    const t = Date.now();
    await sendEvent(testApp.app, secret, clerkEvents.user('user.updated', { id, firstName: 'Newer' }, t));
    await sendEvent(testApp.app, secret, clerkEvents.user('user.updated', { id, firstName: 'Older' }, t - 5000));
    expect((await userByClerkId(id))?.name).toBe('Newer');
  });

  it('leaves the email empty when another account already uses it', async () => {
    const a = clerkId('user');
    const b = clerkId('user');
    await sendEvent(testApp.app, secret, clerkEvents.user('user.created', { id: a, firstName: 'A', email: 'shared@example.test' }));
    expect((await sendEvent(testApp.app, secret, clerkEvents.user('user.created', { id: b, firstName: 'B', email: 'shared@example.test' }))).status).toBe(200);
    expect((await userByClerkId(a))?.email).toBe('shared@example.test');
    expect((await userByClerkId(b))?.email).toBeNull();
  });
});

describe('organization events', () => {
  it('organization.created adds it, organization.updated renames it', async () => {
    const id = clerkId('org');
    await sendEvent(testApp.app, secret, clerkEvents.organization('organization.created', { id, name: 'Hooli' }));
    expect((await orgByClerkId(id))?.name).toBe('Hooli');
    await sendEvent(testApp.app, secret, clerkEvents.organization('organization.updated', { id, name: 'Hooli XYZ' }));
    expect((await orgByClerkId(id))?.name).toBe('Hooli XYZ');
  });

  it('names from Clerk with NUL or line breaks are stored without them, instead of failing every delivery', async () => {
    const org = clerkId('org');
    const user = clerkId('user');
    expect((await sendEvent(testApp.app, secret, clerkEvents.organization('organization.created', { id: org, name: 'Null\u0000\r\nCorp' }))).status).toBe(200);
    expect((await orgByClerkId(org))?.name).toBe('Null Corp');
    const created = await sendEvent(testApp.app, secret, clerkEvents.user('user.created', { id: user, firstName: 'Ada\u0000', lastName: '\u0007Lovelace' }));
    expect(created.status).toBe(200);
    expect((await userByClerkId(user))?.name).toBe('Ada Lovelace');
  });

  it('organization.deleted removes it with its memberships; members get 404 on the next request', async () => {
    const org = clerkId('org');
    const user = clerkId('user');
    await sendEvent(testApp.app, secret, clerkEvents.organization('organization.created', { id: org, name: 'Pied Piper' }));
    await sendEvent(testApp.app, secret, clerkEvents.membership('organizationMembership.created', { orgId: org, userId: user, role: 'org:admin' }));
    const token = await mintSessionToken(keys, { clerkUserId: user });
    const orgId = (await orgByClerkId(org))!.id;
    expect((await call(testApp.app, bearer(token), 'GET', `/api/orgs/${orgId}/members`)).status).toBe(200);

    await sendEvent(testApp.app, secret, clerkEvents.organizationDeleted(org));
    expect(await orgByClerkId(org)).toBeUndefined();
    expect((await call(testApp.app, bearer(token), 'GET', `/api/orgs/${orgId}/members`)).status).toBe(404);
    expect((await call(testApp.app, bearer(token), 'GET', '/api/me')).body.organizations).toEqual([]);
  });

  it('a token still naming a deleted organization does not recreate it', async () => {
    const org = clerkId('org');
    const user = clerkId('user');
    await sendEvent(
      testApp.app,
      secret,
      clerkEvents.membership('organizationMembership.created', { orgId: org, userId: user, role: 'org:member' }, Date.now() - 10_000),
    );
    await sendEvent(testApp.app, secret, clerkEvents.organizationDeleted(org));
    const token = await mintSessionToken(keys, { clerkUserId: user, claims: v1OrgClaims({ id: org, role: 'org:admin' }) });
    const response = await call(testApp.app, bearer(token), 'GET', '/api/me');
    expect(response.status).toBe(200);
    expect(response.body.organizations).toEqual([]);
    expect(await orgByClerkId(org)).toBeUndefined();
  });
});

describe('membership events', () => {
  it('maps roles: org:admin, org:member, legacy admin and basic_member, and custom roles', async () => {
    const org = clerkId('org');
    const cases: Array<[string, 'admin' | 'member']> = [
      ['org:admin', 'admin'],
      ['org:member', 'member'],
      ['admin', 'admin'],
      ['basic_member', 'member'],
      ['org:billing_manager', 'member'],
    ];
    for (const [clerkRole, expected] of cases) {
      const user = clerkId('user');
      await sendEvent(
        testApp.app,
        secret,
        clerkEvents.membership('organizationMembership.created', { orgId: org, orgName: 'Roles Inc', userId: user, role: clerkRole }),
      );
      expect((await membershipOf(org, user))?.role, clerkRole).toBe(expected);
    }
    expect((await orgByClerkId(org))?.name).toBe('Roles Inc');
  });

  it('stores custom permissions that name Collaro permissions, and nothing else', async () => {
    const org = clerkId('org');
    const user = clerkId('user');
    await sendEvent(
      testApp.app,
      secret,
      clerkEvents.membership('organizationMembership.created', {
        orgId: org,
        userId: user,
        role: 'org:member',
        permissions: ['org:meetings:manage', 'org:sys_memberships:read', 'org:billing:read', 'org:teams:manage'],
      }),
    );
    expect((await membershipOf(org, user))?.grantedPermissions).toEqual(['org:meetings:manage', 'org:teams:manage']);
  });

  it('creates the user from the membership when user.created has not arrived yet', async () => {
    const org = clerkId('org');
    const user = clerkId('user');
    await sendEvent(
      testApp.app,
      secret,
      clerkEvents.membership('organizationMembership.created', { orgId: org, userId: user, role: 'org:member', firstName: 'Early' }),
    );
    expect(await userByClerkId(user)).toMatchObject({ name: 'Early', email: `${user}@example.test` });
  });

  it('organizationMembership.updated changes the role; the next request sees it', async () => {
    const org = clerkId('org');
    const user = clerkId('user');
    const t = Date.now() - 20_000;
    await sendEvent(testApp.app, secret, clerkEvents.membership('organizationMembership.created', { orgId: org, userId: user, role: 'org:member' }, t));
    const token = await mintSessionToken(keys, { clerkUserId: user, issuedAt: Math.floor(t / 1000) - 5 });
    const orgId = (await orgByClerkId(org))!.id;
    expect((await call(testApp.app, bearer(token), 'POST', `/api/orgs/${orgId}/teams`, { name: 'Before' })).status).toBe(403);
    await sendEvent(testApp.app, secret, clerkEvents.membership('organizationMembership.updated', { orgId: org, userId: user, role: 'org:admin' }, t + 1000));
    expect((await call(testApp.app, bearer(token), 'POST', `/api/orgs/${orgId}/teams`, { name: 'After' })).status).toBe(201);
  });

  it('organizationMembership.deleted removes access on the next request', async () => {
    const org = clerkId('org');
    const user = clerkId('user');
    await sendEvent(
      testApp.app,
      secret,
      clerkEvents.membership('organizationMembership.created', { orgId: org, userId: user, role: 'org:admin' }, Date.now() - 5000),
    );
    const token = await mintSessionToken(keys, { clerkUserId: user, issuedAt: Math.floor(Date.now() / 1000) - 10 });
    const orgId = (await orgByClerkId(org))!.id;
    expect((await call(testApp.app, bearer(token), 'GET', `/api/orgs/${orgId}/members`)).status).toBe(200);
    await sendEvent(testApp.app, secret, clerkEvents.membership('organizationMembership.deleted', { orgId: org, userId: user, role: 'org:admin' }));
    expect(await membershipOf(org, user)).toBeUndefined();
    expect((await call(testApp.app, bearer(token), 'GET', `/api/orgs/${orgId}/members`)).status).toBe(404);
  });
});

describe('deliveries that are refused', () => {
  const event = () => clerkEvents.user('user.created', { id: clerkId('user'), firstName: 'Mallory' });

  async function expectRefused(delivery: ReturnType<typeof signDelivery>, status: number, message: string) {
    const clerkUserId = (JSON.parse(delivery.body) as { data: { id: string } }).data.id;
    const response = await deliver(testApp.app, delivery);
    expect(response.status).toBe(status);
    expect(response.body.error?.message).toContain(message);
    expect(await userByClerkId(clerkUserId)).toBeUndefined();
    expect(await deliveryCount(delivery.headers['svix-id']!)).toBe(0);
  }

  it('a tampered body (signature over the original bytes)', async () => {
    const delivery = signDelivery(secret, JSON.stringify(event()));
    await expectRefused({ ...delivery, body: delivery.body.replace('Mallory', 'Trudy') }, 401, 'signature');
  });

  it('the same JSON re-serialised with different whitespace', async () => {
    const delivery = signDelivery(secret, JSON.stringify(event()));
    await expectRefused({ ...delivery, body: JSON.stringify(JSON.parse(delivery.body), null, 2) }, 401, 'signature');
  });

  it('signed with another secret', async () => {
    await expectRefused(signDelivery(newWebhookSecret(), JSON.stringify(event())), 401, 'signature');
  });

  it('a timestamp more than 5 minutes old', async () => {
    await expectRefused(signDelivery(secret, JSON.stringify(event()), { timestamp: new Date(Date.now() - 6 * 60_000) }), 401, 'more than 5 minutes old');
  });

  it('a timestamp more than 5 minutes in the future', async () => {
    await expectRefused(signDelivery(secret, JSON.stringify(event()), { timestamp: new Date(Date.now() + 6 * 60_000) }), 401, 'in the future');
  });

  it('(for contrast) accepts a delivery signed 4 minutes ago or 4 minutes ahead, within the tolerance', async () => {
    for (const offset of [-4 * 60_000, 4 * 60_000]) {
      const delivery = signDelivery(secret, JSON.stringify(event()), { timestamp: new Date(Date.now() + offset) });
      expect((await deliver(testApp.app, delivery)).body).toEqual({ outcome: 'applied' });
    }
  });

  it('a signature whose svix-timestamp header was changed', async () => {
    const delivery = signDelivery(secret, JSON.stringify(event()), { timestamp: new Date(Date.now() - 60_000) });
    await expectRefused({ ...delivery, headers: { ...delivery.headers, 'svix-timestamp': String(Math.floor(Date.now() / 1000)) } }, 401, 'signature');
  });

  for (const header of ['svix-id', 'svix-timestamp', 'svix-signature']) {
    it(`a missing ${header} header`, async () => {
      const delivery = signDelivery(secret, JSON.stringify(event()));
      const headers = { ...delivery.headers };
      delete headers[header];
      const clerkUserId = (JSON.parse(delivery.body) as { data: { id: string } }).data.id;
      const response = await deliver(testApp.app, { ...delivery, headers });
      expect(response.status).toBe(400);
      expect(response.body.error?.message).toBe(`Missing ${header} header`);
      expect(await userByClerkId(clerkUserId)).toBeUndefined();
    });
  }

  it('a signed body that is not JSON (400), and signed JSON that is not an event (422)', async () => {
    const notJson = await deliver(testApp.app, signDelivery(secret, 'user.created Mallory'));
    expect(notJson.status).toBe(400);
    expect(notJson.body.error?.message).toBe('Webhook body is not JSON');
    const notEvent = await deliver(testApp.app, signDelivery(secret, JSON.stringify({ data: { id: 'user_1' } })));
    expect(notEvent.status).toBe(422);
  });

  it("a signed event whose data does not match Clerk's shape (422, naming the field)", async () => {
    const bad = { ...clerkEvents.organization('organization.created', { id: clerkId('org'), name: 'x' }), data: { id: 'org_1' } };
    const response = await sendEvent(testApp.app, secret, bad);
    expect(response.status).toBe(422);
    expect(response.body.error?.message).toContain('body.data.name');
  });

  it('is refused with 503 when the server has no signing secret', async () => {
    const env = clerkEnv(keys, secret);
    delete (env as Partial<typeof env>).CLERK_WEBHOOK_SIGNING_SECRET;
    const unconfigured = await createTestApp({ env, database: testApp.database });
    try {
      const response = await sendEvent(unconfigured.app, secret, event());
      expect(response.status).toBe(503);
      expect(response.body.error?.message).toContain('CLERK_WEBHOOK_SIGNING_SECRET');
    } finally {
      await unconfigured.close();
    }
  }, 120_000);
});

describe('repeated deliveries', () => {
  it('applies a repeated svix-id once, even after a newer change', async () => {
    const id = clerkId('user');
    const first = signDelivery(secret, JSON.stringify(clerkEvents.user('user.created', { id, firstName: 'First' }, Date.now() - 3000)), {
      id: `msg_first_${id}`,
    });
    expect((await deliver(testApp.app, first)).body.outcome).toBe('applied');
    // The user's name changes in Clerk; then the first delivery is retried (same svix-id, fresh signature time).
    await sendEvent(testApp.app, secret, clerkEvents.user('user.updated', { id, firstName: 'Second' }, Date.now() - 1000));
    const retried = signDelivery(secret, first.body, { id: `msg_first_${id}`, timestamp: new Date() });
    expect(await deliver(testApp.app, retried)).toEqual({ status: 200, body: { outcome: 'duplicate' } });
    expect((await userByClerkId(id))?.name).toBe('Second');
    expect(await deliveryCount(`msg_first_${id}`)).toBe(1);
  });

  it('a repeated membership deletion does not remove the membership Clerk re-created in between', async () => {
    const org = clerkId('org');
    const user = clerkId('user');
    const t = Date.now() - 10_000;
    await sendEvent(testApp.app, secret, clerkEvents.membership('organizationMembership.created', { orgId: org, userId: user, role: 'org:member' }, t));
    const deletion = signDelivery(
      secret,
      JSON.stringify(clerkEvents.membership('organizationMembership.deleted', { orgId: org, userId: user, role: 'org:member' }, t + 1000)),
    );
    expect((await deliver(testApp.app, deletion)).body.outcome).toBe('applied');
    await sendEvent(testApp.app, secret, clerkEvents.membership('organizationMembership.created', { orgId: org, userId: user, role: 'org:admin' }, t + 2000));
    expect((await deliver(testApp.app, { ...deletion, headers: { ...deletion.headers } })).body.outcome).toBe('duplicate');
    expect((await membershipOf(org, user))?.role).toBe('admin');
  });

  it('processes concurrent copies of one delivery exactly once', async () => {
    const id = clerkId('user');
    const delivery = signDelivery(secret, JSON.stringify(clerkEvents.user('user.created', { id, firstName: 'Racer' })));
    const outcomes = await Promise.all([deliver(testApp.app, delivery), deliver(testApp.app, delivery), deliver(testApp.app, delivery)]);
    expect(outcomes.map((o) => o.body.outcome).sort()).toEqual(['applied', 'duplicate', 'duplicate']);
    expect(await deliveryCount(delivery.headers['svix-id']!)).toBe(1);
  });

  it('forgets delivery ids after the retention, long after Clerk has stopped retrying them', async () => {
    const old = new Date(Date.now() - WEBHOOK_DELIVERY_RETENTION_MS - 60_000);
    const recent = new Date(Date.now() - WEBHOOK_DELIVERY_RETENTION_MS + 60 * 60_000);
    await db()
      .insert(clerkWebhookDeliveries)
      .values([
        { svixId: 'msg_expired', eventType: 'user.created', receivedAt: old },
        { svixId: 'msg_kept', eventType: 'user.created', receivedAt: recent },
      ]);
    await sendEvent(testApp.app, secret, clerkEvents.user('user.created', { id: clerkId('user'), firstName: 'Trigger' }));
    expect(await deliveryCount('msg_expired')).toBe(0);
    expect(await deliveryCount('msg_kept')).toBe(1);
  });

  it('acknowledges event types Collaro does not handle without changing anything', async () => {
    const delivery = signDelivery(secret, JSON.stringify({ type: 'session.created', object: 'event', timestamp: Date.now(), data: { id: 'sess_1' } }));
    expect(await deliver(testApp.app, delivery)).toEqual({ status: 200, body: { outcome: 'ignored' } });
    expect(await deliveryCount(delivery.headers['svix-id']!)).toBe(1);
  });
});
