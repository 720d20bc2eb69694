import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { buildChatWorld, listenOnFreePort, TestSocket, type ChatWorld } from '../realtime/realtime-world.js';
import { expectStatus } from '../meetings/meetings-world.js';

let clockMs = Date.now();
let t: TestApp;
let w: ChatWorld;
let wsUrl: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  t = await createTestApp({ clock: () => clockMs });
  w = await buildChatWorld(t.app);
  wsUrl = await listenOnFreePort(t.app);
  // The reminder test below drives the check itself, with the injected clock.
  await t.app.meetingReminders?.stop();
}, 120_000);
afterEach(async () => {
  const open = sockets.splice(0);
  for (const socket of open) socket.close();
  await Promise.all(open.map((socket) => socket.closed));
});
afterAll(async () => {
  await t?.close();
});

async function socketFor(user: SignedInUser) {
  const socket = await TestSocket.signedIn(wsUrl, user);
  sockets.push(socket);
  return socket;
}

async function post(user: SignedInUser, channelId: string, body: string) {
  const clientId = randomUUID();
  const response = await call(t.app, user, 'POST', `/api/channels/${channelId}/messages`, { clientId, body });
  expect(response.status).toBe(201);
  return clientId;
}

describe('channels created after an admin connected', () => {
  it("reach the admin live: a new channel of a team they are not on, and a new team's first channel", async () => {
    const admin = await socketFor(w.admin);
    await expectStatus(call(t.app, w.admin, 'PATCH', `/api/teams/${w.teamId}/members/${w.alice.id}`, { role: 'lead' }), 200);
    const design = await expectStatus(call(t.app, w.alice, 'POST', `/api/teams/${w.teamId}/channels`, { name: 'design' }), 201);
    await admin.next('channel.added', (f) => f.channelId === design.id && f.orgId === w.orgId);
    const clientId = await post(w.alice, design.id, 'first sketches are up');
    expect((await admin.next('chat.message', (f) => f.message.clientId === clientId)).message.channelId).toBe(design.id);

    // Another admin makes a team; the first admin sees its channel without reconnecting.
    await expectStatus(call(t.app, w.admin, 'PATCH', `/api/orgs/${w.orgId}/members/${w.carol.id}`, { role: 'admin' }), 200);
    const team = await expectStatus(call(t.app, w.carol, 'POST', `/api/orgs/${w.orgId}/teams`, { name: 'Support' }), 201);
    const channels = await expectStatus(call(t.app, w.carol, 'GET', `/api/orgs/${w.orgId}/channels`), 200);
    const general = channels.channels.find((c: { teamId: string | null }) => c.teamId === team.id);
    await admin.next('channel.added', (f) => f.channelId === general.id);
    const hello = await post(w.carol, general.id, 'support starts today');
    await admin.next('chat.message', (f) => f.message.clientId === hello);
    await expectStatus(call(t.app, w.admin, 'PATCH', `/api/orgs/${w.orgId}/members/${w.carol.id}`, { role: 'member' }), 200);
  });
});

describe('rejoining an organization', () => {
  it('gives back the direct messages the person was in, whether an admin adds them or they accept an invitation', async () => {
    const dm = await expectStatus(call(t.app, w.alice, 'POST', `/api/orgs/${w.orgId}/dms`, { userIds: [w.carol.id] }), 201);
    const group = await expectStatus(call(t.app, w.alice, 'POST', `/api/orgs/${w.orgId}/dms`, { userIds: [w.carol.id, w.bob.id] }), 201);
    await post(w.carol, dm.id, 'see you around');

    for (const rejoin of ['added by an admin', 'invitation link'] as const) {
      expect((await call(t.app, w.carol, 'DELETE', `/api/orgs/${w.orgId}/members/${w.carol.id}`)).status).toBe(204);
      expect((await call(t.app, w.carol, 'GET', `/api/channels/${dm.id}/messages`)).status).toBe(404);
      // While she is away the conversation goes on; she sees it when she is back.
      const meanwhile = await post(w.alice, dm.id, `while you were away (${rejoin})`);
      const carol = await socketFor(w.carol);
      if (rejoin === 'added by an admin') {
        await expectStatus(call(t.app, w.admin, 'POST', `/api/orgs/${w.orgId}/members`, { email: w.carol.email }), 201);
      } else {
        const invitation = await expectStatus(call(t.app, w.admin, 'POST', `/api/orgs/${w.orgId}/invitations`, { role: 'member' }), 201);
        await expectStatus(call(t.app, w.carol, 'POST', `/api/invitations/${invitation.token}/accept`), 200);
      }
      await carol.next('channel.added', (f) => f.channelId === dm.id);
      await carol.next('channel.added', (f) => f.channelId === group.id);
      const history = await expectStatus(call(t.app, w.carol, 'GET', `/api/channels/${dm.id}/messages`), 200);
      expect(history.messages.map((m: { clientId: string }) => m.clientId)).toContain(meanwhile);
      const listed = await expectStatus(call(t.app, w.carol, 'GET', `/api/orgs/${w.orgId}/channels`), 200);
      const mine = listed.channels.filter((c: { kind: string }) => c.kind === 'dm');
      expect(mine.map((c: { id: string }) => c.id).sort()).toEqual([dm.id, group.id].sort());
      expect(mine.find((c: { id: string }) => c.id === group.id).memberIds.sort()).toEqual([w.alice.id, w.bob.id, w.carol.id].sort());
      const reply = await post(w.carol, dm.id, 'back again');
      expect(reply).toBeTruthy();
      // Opening the same conversation again finds it rather than making another.
      expect((await call(t.app, w.carol, 'POST', `/api/orgs/${w.orgId}/dms`, { userIds: [w.alice.id] })).body.id).toBe(dm.id);
    }
  });
});

describe('meetings of a host who left the organization', () => {
  it('can be cancelled by an admin, after which invitees no longer see them in lists, feeds or reminders', async () => {
    const host = w.bob;
    const startsAt = new Date(clockMs + 12 * 60_000).toISOString();
    const meeting = await expectStatus(
      call(t.app, host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Quarterly plan', startsAt, inviteeIds: [w.alice.id] }),
      201,
    );
    const notCancelled = await expectStatus(
      call(t.app, host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Not cancelled', startsAt, inviteeIds: [w.alice.id] }),
      201,
    );
    const feed = await expectStatus(call(t.app, w.alice, 'POST', '/api/me/calendar-token'), 201);

    // While the host is a member the meeting stays theirs: an admin may not cancel it.
    expect((await call(t.app, w.admin, 'DELETE', `/api/meetings/${notCancelled.id}`)).status).toBe(403);
    expect((await call(t.app, host, 'DELETE', `/api/orgs/${w.orgId}/members/${host.id}`)).status).toBe(204);
    expect((await call(t.app, w.alice, 'DELETE', `/api/meetings/${meeting.id}`)).status).toBe(403);
    expect((await call(t.app, w.admin, 'DELETE', `/api/meetings/${meeting.id}`)).status).toBe(204);

    const upcoming = await expectStatus(call(t.app, w.alice, 'GET', `/api/meetings?orgId=${w.orgId}&scope=upcoming`), 200);
    expect(upcoming.meetings.map((m: { id: string }) => m.id)).not.toContain(meeting.id);
    const ics = await t.app.inject({ method: 'GET', url: `/api/calendar/feed/${feed.token}.ics` });
    const event = ics.body.split('BEGIN:VEVENT').find((part) => part.includes(`meeting-${meeting.id}@`));
    expect(event).toContain('STATUS:CANCELLED');

    const alice = await socketFor(w.alice);
    clockMs += 8 * 60_000;
    // Only the meeting nobody cancelled is reminded of.
    expect(await t.app.meetingReminders.runOnce()).toBe(1);
    await alice.next('notify', (f) => f.notification.meetingId === notCancelled.id);
    expect(alice.frames.some((f) => f.type === 'notify' && f.notification.meetingId === meeting.id)).toBe(false);
  });
});
