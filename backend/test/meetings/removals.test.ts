import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { listenOnFreePort, TestSocket } from '../realtime/realtime-world.js';
import { createMeetingsWorld, expectStatus, type MeetingsWorld } from './meetings-world.js';

/** A removal keeps someone out of the current session only, and the host can see and lift it. */

let t: TestApp;
let w: MeetingsWorld;
let wsUrl: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  t = await createTestApp();
  w = await createMeetingsWorld(t.app);
  wsUrl = await listenOnFreePort(t.app);
});
afterEach(async () => {
  const open = sockets.splice(0);
  for (const socket of open) socket.close();
  await Promise.all(open.map((socket) => socket.closed));
});
afterAll(async () => {
  await t?.close();
});

async function enter(user: SignedInUser, meetingId: string) {
  await expectStatus(call(t.app, user, 'POST', `/api/meetings/${meetingId}/join`), 200);
  const socket = await TestSocket.signedIn(wsUrl, user);
  sockets.push(socket);
  socket.send({ type: 'meeting.join', meetingId });
  await socket.next('meeting.joined', (frame) => frame.meetingId === meetingId);
  return socket;
}

async function removeFromRoom(host: TestSocket, meetingId: string, user: SignedInUser) {
  host.send({ type: 'meeting.remove', meetingId, userId: user.id });
  await host.next('meeting.participants', (frame) => frame.meetingId === meetingId && !frame.participants.some((p) => p.userId === user.id));
}

describe('removing someone from a personal room', () => {
  it('keeps them out for the rest of the session only: the next session lets them in', async () => {
    const room = await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/personal-room?orgId=${w.orgId}`), 200);
    const host = await enter(w.host, room.id);
    await enter(w.bystander, room.id);
    await removeFromRoom(host, room.id, w.bystander);
    const refused = await call(t.app, w.bystander, 'POST', `/api/meetings/${room.id}/join`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('The host removed you from this meeting');

    await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${room.id}/end`), 200);
    // The next session, another day.
    await enter(w.host, room.id);
    expect((await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/${room.id}/removals`), 200)).removals).toEqual([]);
    await enter(w.bystander, room.id);
  });

  it('lists who was removed for the host, who can let them back in', async () => {
    const meeting = await expectStatus(call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Standup', inviteeIds: [w.invitee.id] }), 201);
    const host = await enter(w.host, meeting.id);
    await enter(w.invitee, meeting.id);
    await removeFromRoom(host, meeting.id, w.invitee);

    const listed = await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/${meeting.id}/removals`), 200);
    expect(listed.removals).toEqual([{ userId: w.invitee.id, name: 'Ivy Invitee', removedBy: w.host.id, removedAt: expect.any(String) }]);
    // An organization admin moderates too; the removed person and other participants do not.
    expect((await call(t.app, w.admin, 'GET', `/api/meetings/${meeting.id}/removals`)).status).toBe(200);
    expect((await call(t.app, w.invitee, 'GET', `/api/meetings/${meeting.id}/removals`)).status).toBe(403);
    expect((await call(t.app, w.invitee, 'DELETE', `/api/meetings/${meeting.id}/removals/${w.invitee.id}`)).status).toBe(403);
    expect((await call(t.app, w.outsider, 'GET', `/api/meetings/${meeting.id}/removals`)).status).toBe(404);
    expect((await call(t.app, null, 'GET', `/api/meetings/${meeting.id}/removals`)).status).toBe(401);

    expect((await call(t.app, w.invitee, 'POST', `/api/meetings/${meeting.id}/join`)).status).toBe(403);
    expect((await call(t.app, w.host, 'DELETE', `/api/meetings/${meeting.id}/removals/${w.invitee.id}`)).status).toBe(204);
    expect((await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/${meeting.id}/removals`), 200)).removals).toEqual([]);
    await enter(w.invitee, meeting.id);
    // Nothing left to lift.
    const again = await call(t.app, w.host, 'DELETE', `/api/meetings/${meeting.id}/removals/${w.invitee.id}`);
    expect(again.status).toBe(404);
  });
});
