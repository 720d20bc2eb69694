import './offline-guard.js';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WS_CLOSE_CODES } from '@collaro/shared';
import { organizations, users } from '../../src/db/schema/index.js';
import { call, type TestApp } from '../helpers/test-app.js';
import { listenOnFreePort, TestSocket } from '../realtime/realtime-world.js';
import { bearer, createClerkTestApp, clerkEvents, clerkId, mintSessionToken, sendEvent, type RsaKeys } from './clerk-fixtures.js';

/** The realtime connection with Clerk identities: it signs in with a session token and follows Clerk's changes live. */
let keys: RsaKeys;
let secret: string;
let testApp: TestApp;
let url: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  ({ keys, secret, testApp } = await createClerkTestApp());
  url = await listenOnFreePort(testApp.app);
}, 180_000);
afterEach(async () => {
  const open = sockets.splice(0);
  for (const socket of open) socket.close();
  await Promise.all(open.map((socket) => socket.closed));
});
afterAll(() => testApp?.close());

async function connect(token: string) {
  const socket = await TestSocket.open(url);
  sockets.push(socket);
  socket.send({ type: 'auth', token });
  return socket;
}

async function clerkMember(clerkOrgId: string, name: string, role: 'org:admin' | 'org:member') {
  const clerkUserId = clerkId('user');
  await sendEvent(testApp.app, secret, clerkEvents.user('user.created', { id: clerkUserId, firstName: name, email: `${clerkUserId}@example.test` }));
  await sendEvent(testApp.app, secret, clerkEvents.membership('organizationMembership.created', { orgId: clerkOrgId, userId: clerkUserId, role }));
  const id = (await testApp.database.db.select().from(users).where(eq(users.clerkUserId, clerkUserId)))[0]!.id;
  const token = await mintSessionToken(keys, { clerkUserId });
  return { id, clerkUserId, token, caller: bearer(token) };
}

describe('realtime with Clerk session tokens', () => {
  it("signs the connection in with a Clerk token, and refuses a pending session's token", async () => {
    const clerkOrgId = clerkId('org');
    const ada = await clerkMember(clerkOrgId, 'Ada', 'org:member');
    const socket = await connect(ada.token);
    expect(await socket.next('ready')).toMatchObject({ userId: ada.id, reauthenticated: false });

    const pending = await connect(await mintSessionToken(keys, { clerkUserId: ada.clerkUserId, claims: { sts: 'pending' } }));
    expect((await pending.closed).code).toBe(WS_CLOSE_CODES.authFailed);
  });

  it('keeps a connection whose short-lived token is replaced in time; closes one whose token lapses', async () => {
    const ada = await clerkMember(clerkId('org'), 'Ada', 'org:member');
    const short = () => mintSessionToken(keys, { clerkUserId: ada.clerkUserId, lifetimeSeconds: 3 });
    const lapsing = await connect(await short());
    await lapsing.next('ready');
    const renewing = await connect(await short());
    await renewing.next('ready');
    renewing.send({ type: 'auth', token: await mintSessionToken(keys, { clerkUserId: ada.clerkUserId }) });
    expect(await renewing.next('ready')).toMatchObject({ reauthenticated: true, userId: ada.id });
    expect((await lapsing.closed).code).toBe(WS_CLOSE_CODES.tokenExpired);
    expect(renewing.isOpen).toBe(true);
  }, 30_000);

  it("stops delivering a channel's messages as soon as Clerk removes the membership", async () => {
    const clerkOrgId = clerkId('org');
    await sendEvent(testApp.app, secret, clerkEvents.organization('organization.created', { id: clerkOrgId, name: 'Live Co' }));
    const admin = await clerkMember(clerkOrgId, 'Admin', 'org:admin');
    const bob = await clerkMember(clerkOrgId, 'Bob', 'org:member');
    const orgId = (await testApp.database.db.select().from(organizations).where(eq(organizations.clerkOrgId, clerkOrgId)))[0]!.id;
    const team = await call(testApp.app, admin.caller, 'POST', `/api/orgs/${orgId}/teams`, { name: 'Platform' });
    expect(team.status).toBe(201);
    expect((await call(testApp.app, admin.caller, 'POST', `/api/teams/${team.body.id}/members`, { userId: bob.id })).status).toBe(201);
    const channels = await call(testApp.app, admin.caller, 'GET', `/api/orgs/${orgId}/channels`);
    const channelId = channels.body.channels.find((c: { teamId: string | null }) => c.teamId === team.body.id).id as string;

    const [adminSocket, bobSocket] = await Promise.all([connect(admin.token), connect(bob.token)]);
    await Promise.all([adminSocket.next('ready'), bobSocket.next('ready')]);
    const before = randomUUID();
    adminSocket.send({ type: 'chat.send', clientId: before, channelId, body: 'before' });
    await bobSocket.next('chat.message', (frame) => frame.message.clientId === before);

    await sendEvent(
      testApp.app,
      secret,
      clerkEvents.membership('organizationMembership.deleted', { orgId: clerkOrgId, userId: bob.clerkUserId, role: 'org:member' }),
    );
    const after = randomUUID();
    adminSocket.send({ type: 'chat.send', clientId: after, channelId, body: 'after' });
    await adminSocket.next('chat.ack', (frame) => frame.clientId === after);
    expect(await bobSocket.receives('chat.message', (frame) => frame.message.clientId === after, 1000)).toBe(false);
  }, 30_000);
});
