import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { listenOnFreePort, TestSocket } from '../realtime/realtime-world.js';
import { createMeetingsWorld, expectStatus, type MeetingsWorld } from './meetings-world.js';

/** As in signaling.test.ts: a single instance checks rooms in memory, with Redis every signal is checked in the database. */
const modes = [
  { bus: 'in-process', busEnv: {} as Record<string, string> },
  { bus: 'redis', busEnv: { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' } },
];

describe.each(modes)('removal reaches the room and its chat ($bus bus)', ({ busEnv }) => {
  let t: TestApp;
  let w: MeetingsWorld;
  let wsUrl: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: busEnv });
    w = await createMeetingsWorld(t.app);
    wsUrl = await listenOnFreePort(t.app);
  }, 120_000);
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
    const room = await socket.next('meeting.joined', (frame) => frame.meetingId === meetingId);
    return { socket, room };
  }

  /** The meeting's chat, which everyone entering the room joins (announced with channel.added). */
  async function meetingChat(socket: TestSocket, meetingId: string) {
    for (;;) {
      const added = await socket.next('channel.added');
      const channel = await call(t.app, w.host, 'GET', `/api/channels/${added.channelId}`);
      if (channel.status === 200 && channel.body.meetingId === meetingId) return added.channelId;
    }
  }

  async function post(user: SignedInUser, channelId: string, body: string) {
    const clientId = randomUUID();
    return { clientId, response: await call(t.app, user, 'POST', `/api/channels/${channelId}/messages`, { clientId, body }) };
  }

  /** A message to `to` in a conversation they keep: once it arrives, anything posted before it would have too. */
  async function sentinel(from: SignedInUser, to: SignedInUser, socket: TestSocket) {
    const dm = await call(t.app, from, 'POST', `/api/orgs/${w.orgId}/dms`, { userIds: [to.id] });
    const { clientId } = await post(from, dm.body.id, 'still here?');
    await socket.next('chat.message', (f) => f.message.clientId === clientId);
  }

  const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } } as const;

  it('a participant the host removes stops hearing the in-call chat and may no longer post in it', async () => {
    const meeting = await expectStatus(call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Retro', inviteeIds: [w.invitee.id] }), 201);
    const host = await enter(w.host, meeting.id);
    const chatId = await meetingChat(host.socket, meeting.id);
    const guest = await enter(w.invitee, meeting.id);
    expect(await meetingChat(guest.socket, meeting.id)).toBe(chatId);
    const before = await post(w.host, chatId, 'welcome');
    await guest.socket.next('chat.message', (f) => f.message.clientId === before.clientId);

    host.socket.send({ type: 'meeting.remove', meetingId: meeting.id, userId: w.invitee.id });
    await guest.socket.next('meeting.removed', (f) => f.reason === 'removed_by_host');
    const after = await post(w.host, chatId, 'now without Ivy');
    expect(after.response.status).toBe(201);
    await sentinel(w.host, w.invitee, guest.socket);
    expect(guest.socket.frames.some((f) => f.type === 'chat.message' && f.message.clientId === after.clientId)).toBe(false);

    const refused = await post(w.invitee, chatId, 'let me back');
    expect(refused.response.status).toBe(403);
    const clientId = randomUUID();
    guest.socket.send({ type: 'chat.send', clientId, channelId: chatId, body: 'over the socket then' });
    expect((await guest.socket.next('error', (f) => f.ref?.clientId === clientId)).code).toBe('forbidden');
    expect((await call(t.app, w.invitee, 'GET', `/api/channels/${chatId}/messages`)).status).toBe(403);
    expect(await host.socket.receives('chat.message', (f) => f.message.authorId === w.invitee.id)).toBe(false);
  });

  it('someone removed from the organization while in a room is dropped from it and refused signalling and media changes', async () => {
    const meeting = await expectStatus(call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'All hands' }), 201);
    const host = await enter(w.host, meeting.id);
    const leaver = await enter(w.bystander, meeting.id);
    await host.socket.next('meeting.participants', (f) => f.participants.some((p) => p.userId === w.bystander.id));
    const chatId = await meetingChat(leaver.socket, meeting.id);

    expect((await call(t.app, w.admin, 'DELETE', `/api/orgs/${w.orgId}/members/${w.bystander.id}`)).status).toBe(204);
    const dropped = await leaver.socket.next('meeting.removed');
    expect(dropped).toMatchObject({ meetingId: meeting.id, connectionId: leaver.room.connectionId, reason: 'removed_from_organization' });
    await host.socket.next('meeting.participants', (f) => !f.participants.some((p) => p.userId === w.bystander.id));

    leaver.socket.send({ type: 'rtc.signal', meetingId: meeting.id, to: w.host.id, signal: offer });
    expect((await leaver.socket.next('error', (f) => f.ref?.type === 'rtc.signal')).code).toBe('forbidden');
    leaver.socket.send({ type: 'meeting.media', meetingId: meeting.id, audioMuted: true, videoMuted: true, screenSharing: true });
    expect((await leaver.socket.next('error', (f) => f.ref?.type === 'meeting.media')).code).toBe('forbidden');
    expect(await host.socket.receives('rtc.signal')).toBe(false);
    expect(await host.socket.receives('meeting.participants', (f) => f.participants.some((p) => p.userId === w.bystander.id))).toBe(false);
    expect((await post(w.bystander, chatId, 'still in?')).response.status).toBe(404);
    expect((await call(t.app, w.bystander, 'POST', `/api/meetings/${meeting.id}/join`)).status).toBe(404);
  });
});
