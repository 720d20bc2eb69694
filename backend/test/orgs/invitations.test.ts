import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitations } from '../../src/db/schema/index.js';
import { call, createTestApp, signUp, type SignedInUser, type TestApp } from '../helpers/test-app.js';

const DAY_MS = 24 * 60 * 60 * 1000;
let clockMs = Date.now();
let t: TestApp;
let admin: SignedInUser;
let orgId: string;

/** Signs a user in again, so their token is valid at the test clock's current time. */
async function freshLogin(user: SignedInUser): Promise<SignedInUser> {
  const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: 'correct horse battery' } });
  const { accessToken } = login.json();
  return { ...user, accessToken, headers: { authorization: `Bearer ${accessToken}` } };
}

async function invite(body: Record<string, unknown> = { role: 'member' }) {
  const response = await call(t.app, admin, 'POST', `/api/orgs/${orgId}/invitations`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; token: string; url: string; expiresAt: string; role: string; email: string | null };
}

beforeAll(async () => {
  t = await createTestApp({ clock: () => clockMs, env: { PUBLIC_URL: 'https://collaro.example.test' } });
  admin = await signUp(t.app, 'Ada Admin');
  orgId = (await call(t.app, admin, 'POST', '/api/orgs', { name: 'Invite Works' })).body.id;
});
afterAll(() => t.close());

describe('invitation links', () => {
  it('gives the admin a link with a 256-bit token that expires in 7 days, and keeps only its hash', async () => {
    const created = await invite();
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.token, 'base64url')).toHaveLength(32);
    expect(created.url).toBe(`https://collaro.example.test/invite/${created.token}`);
    expect(new Date(created.expiresAt).getTime()).toBe(clockMs + 7 * DAY_MS);
    const [row] = await t.database.db.select().from(invitations).where(eq(invitations.id, created.id));
    expect(row!.tokenHash).not.toContain(created.token);
    expect(JSON.stringify(row)).not.toContain(created.token);
  });

  it('lets someone without an account see the invitation, sign up, accept it and land in the organization', async () => {
    const { token } = await invite({ role: 'member' });
    const preview = await call(t.app, null, 'GET', `/api/invitations/${token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ orgName: 'Invite Works', role: 'member', invitedByName: 'Ada Admin', email: null });

    const newcomer = await signUp(t.app, 'Nia Newcomer');
    const accepted = await call(t.app, newcomer, 'POST', `/api/invitations/${token}/accept`);
    expect(accepted).toMatchObject({ status: 200, body: { orgId, role: 'member' } });
    const me = await call(t.app, newcomer, 'GET', '/api/me');
    expect(me.body.organizations).toEqual([{ id: orgId, name: 'Invite Works', role: 'member' }]);
    const members = await call(t.app, admin, 'GET', `/api/orgs/${orgId}/members`);
    expect(members.body.members.map((m: { name: string }) => m.name)).toContain('Nia Newcomer');
  });

  it('shares one link with several people until it is revoked, then answers 404 for it', async () => {
    const { id, token } = await invite({ role: 'member' });
    const [first, second, late] = await Promise.all([signUp(t.app, 'First'), signUp(t.app, 'Second'), signUp(t.app, 'Late')]);
    expect((await call(t.app, first, 'POST', `/api/invitations/${token}/accept`)).status).toBe(200);
    expect((await call(t.app, second, 'POST', `/api/invitations/${token}/accept`)).status).toBe(200);
    const listed = await call(t.app, admin, 'GET', `/api/orgs/${orgId}/invitations`);
    expect(listed.body.invitations.find((i: { id: string }) => i.id === id)).toMatchObject({ acceptedCount: 2, createdByName: 'Ada Admin' });

    expect((await call(t.app, admin, 'DELETE', `/api/orgs/${orgId}/invitations/${id}`)).status).toBe(204);
    const refused = await call(t.app, late, 'POST', `/api/invitations/${token}/accept`);
    expect(refused.status).toBe(404);
    expect(refused.body.error.message).toMatch(/not valid any more/);
    expect((await call(t.app, null, 'GET', `/api/invitations/${token}`)).status).toBe(404);
    const after = await call(t.app, admin, 'GET', `/api/orgs/${orgId}/invitations`);
    expect(after.body.invitations.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await call(t.app, admin, 'DELETE', `/api/orgs/${orgId}/invitations/${id}`)).status).toBe(404);
  });

  it('keeps an invitation for one email to that account, and uses it up once accepted', async () => {
    const invited = await signUp(t.app, 'Ivy Invited');
    const other = await signUp(t.app, 'Otto Other');
    const { token } = await invite({ role: 'admin', email: invited.email.toUpperCase() });
    const wrong = await call(t.app, other, 'POST', `/api/invitations/${token}/accept`);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toContain(invited.email);
    expect(await call(t.app, invited, 'POST', `/api/invitations/${token}/accept`)).toMatchObject({ status: 200, body: { orgId, role: 'admin' } });
    const again = await signUp(t.app, 'Again');
    expect((await call(t.app, again, 'POST', `/api/invitations/${token}/accept`)).status).toBe(404);
  });

  it('expires after 7 days by default, or after the number of days the admin chose', async () => {
    const start = clockMs;
    const week = await invite({ role: 'member' });
    const day = await invite({ role: 'member', expiresInDays: 1 });
    const waiting = await signUp(t.app, 'Wes Waiting');
    try {
      clockMs = start + 6 * DAY_MS;
      const sixDaysLater = await freshLogin(waiting);
      expect((await call(t.app, null, 'GET', `/api/invitations/${week.token}`)).status).toBe(200);
      expect((await call(t.app, sixDaysLater, 'POST', `/api/invitations/${day.token}/accept`)).status).toBe(404);
      clockMs = start + 7 * DAY_MS + 60_000;
      const weekLater = await freshLogin(waiting);
      expect((await call(t.app, weekLater, 'POST', `/api/invitations/${week.token}/accept`)).status).toBe(404);
      expect(
        (await call(t.app, await freshLogin(admin), 'GET', `/api/orgs/${orgId}/invitations`)).body.invitations.map((i: { id: string }) => i.id),
      ).not.toContain(week.id);
    } finally {
      clockMs = start;
    }
  });

  it('answers 404 for a token nobody issued, and 422 for something that is not a token', async () => {
    const unknown = randomBytes(32).toString('base64url');
    expect((await call(t.app, null, 'GET', `/api/invitations/${unknown}`)).status).toBe(404);
    expect((await call(t.app, admin, 'POST', `/api/invitations/${unknown}/accept`)).status).toBe(404);
    expect((await call(t.app, admin, 'POST', '/api/invitations/short/accept')).status).toBe(422);
    expect((await call(t.app, null, 'POST', `/api/invitations/${unknown}/accept`)).status).toBe(401);
  });

  it('leaves an admin who follows a member link an admin', async () => {
    const { token } = await invite({ role: 'member' });
    expect(await call(t.app, admin, 'POST', `/api/invitations/${token}/accept`)).toMatchObject({ status: 200, body: { orgId, role: 'admin' } });
  });

  it('refuses invitations to members who are not admins, and hides other organizations (404)', async () => {
    const member = await signUp(t.app, 'Mo Member');
    await call(t.app, admin, 'POST', `/api/orgs/${orgId}/members`, { email: member.email });
    expect((await call(t.app, member, 'POST', `/api/orgs/${orgId}/invitations`, { role: 'member' })).status).toBe(403);
    const stranger = await signUp(t.app, 'Stan Stranger');
    expect((await call(t.app, stranger, 'GET', `/api/orgs/${orgId}/invitations`)).status).toBe(404);
    const otherOrg = (await call(t.app, stranger, 'POST', '/api/orgs', { name: 'Elsewhere' })).body.id;
    const theirs = await call(t.app, stranger, 'POST', `/api/orgs/${otherOrg}/invitations`, {});
    expect((await call(t.app, admin, 'DELETE', `/api/orgs/${orgId}/invitations/${theirs.body.id}`)).status).toBe(404);
  });
});
