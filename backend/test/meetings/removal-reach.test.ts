import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, type SignedInUser } from '../helpers/test-app.js';
import { TestSocket } from '../realtime/realtime-world.js';
import { expectStatus, meetingRoomWorld } from './meetings-world.js';

/** As in signaling.test.ts: a single instance checks rooms in memory, with Redis every signal is checked in the database. */
const modes = [
  { bus: 'in-process', busEnv: {} as Record<string, string> },
  { bus: 'redis', busEnv: { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' } },
];

describe.each(modes)('removal reaches the room and its chat ($bus bus)', ({ busEnv }) => {
  const world = meetingRoomWorld({ env: busEnv }, 120_000);
  const enter = (user: SignedInUser, meetingId: string) => world.enter(user, meetingId);

  /** The meeting's chat, which everyone entering the room joins (announced with channel.added). */
  async function meetingChat(socket: TestSocket, meetingId: string) {
    for (;;) {
      const added = await socket.next('channel.added');
      const channel = await call(world.app, world.people.host, 'GET', `/api/channels/${added.channelId}`);
      if (channel.status === 200 && channel.body.meetingId === meetingId) return added.channelId;
    }
  }

  async function post(user: SignedInUser, channelId: string, body: string) {
    const clientId = randomUUID();
    return { clientId, response: await call(world.app, user, 'POST', `/api/channels/${channelId}/messages`, { clientId, body }) };
  }

  /** A message to `to` in a conversation they keep: once it arrives, anything posted before it would have too. */
  async function sentinel(from: SignedInUser, to: SignedInUser, socket: TestSocket) {
    const dm = await call(world.app, from, 'POST', `/api/orgs/${world.people.orgId}/dms`, { userIds: [to.id] });
    const { clientId } = await post(from, dm.body.id, 'still here?');
    await socket.next('chat.message', (f) => f.message.clientId === clientId);
  }

  const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } } as const;

  it('a participant the host removes stops hearing the in-call chat and may no longer post in it', async () => {
    const meeting = await expectStatus(
      call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'Retro', inviteeIds: [world.people.invitee.id] }),
      201,
    );
    const host = await enter(world.people.host, meeting.id);
    const chatId = await meetingChat(host.socket, meeting.id);
    const guest = await enter(world.people.invitee, meeting.id);
    expect(await meetingChat(guest.socket, meeting.id)).toBe(chatId);
    const before = await post(world.people.host, chatId, 'welcome');
    await guest.socket.next('chat.message', (f) => f.message.clientId === before.clientId);

    host.socket.send({ type: 'meeting.remove', meetingId: meeting.id, userId: world.people.invitee.id });
    await guest.socket.next('meeting.removed', (f) => f.reason === 'removed_by_host');
    const after = await post(world.people.host, chatId, 'now without Ivy');
    expect(after.response.status).toBe(201);
    await sentinel(world.people.host, world.people.invitee, guest.socket);
    expect(guest.socket.frames.some((f) => f.type === 'chat.message' && f.message.clientId === after.clientId)).toBe(false);

    const refused = await post(world.people.invitee, chatId, 'let me back');
    expect(refused.response.status).toBe(403);
    const clientId = randomUUID();
    guest.socket.send({ type: 'chat.send', clientId, channelId: chatId, body: 'over the socket then' });
    expect((await guest.socket.next('error', (f) => f.ref?.clientId === clientId)).code).toBe('forbidden');
    expect((await call(world.app, world.people.invitee, 'GET', `/api/channels/${chatId}/messages`)).status).toBe(403);
    expect(await host.socket.receives('chat.message', (f) => f.message.authorId === world.people.invitee.id)).toBe(false);
  });

  it('someone removed from the organization while in a room is dropped from it and refused signalling and media changes', async () => {
    const meeting = await expectStatus(call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'All hands' }), 201);
    const host = await enter(world.people.host, meeting.id);
    const leaver = await enter(world.people.bystander, meeting.id);
    await host.socket.next('meeting.participants', (f) => f.participants.some((p) => p.userId === world.people.bystander.id));
    const chatId = await meetingChat(leaver.socket, meeting.id);

    expect((await call(world.app, world.people.admin, 'DELETE', `/api/orgs/${world.people.orgId}/members/${world.people.bystander.id}`)).status).toBe(204);
    const dropped = await leaver.socket.next('meeting.removed');
    expect(dropped).toMatchObject({ meetingId: meeting.id, connectionId: leaver.room.connectionId, reason: 'removed_from_organization' });
    await host.socket.next('meeting.participants', (f) => !f.participants.some((p) => p.userId === world.people.bystander.id));

    leaver.socket.send({ type: 'rtc.signal', meetingId: meeting.id, to: world.people.host.id, signal: offer });
    expect((await leaver.socket.next('error', (f) => f.ref?.type === 'rtc.signal')).code).toBe('forbidden');
    leaver.socket.send({ type: 'meeting.media', meetingId: meeting.id, audioMuted: true, videoMuted: true, screenSharing: true });
    expect((await leaver.socket.next('error', (f) => f.ref?.type === 'meeting.media')).code).toBe('forbidden');
    expect(await host.socket.receives('rtc.signal')).toBe(false);
    expect(await host.socket.receives('meeting.participants', (f) => f.participants.some((p) => p.userId === world.people.bystander.id))).toBe(false);
    expect((await post(world.people.bystander, chatId, 'still in?')).response.status).toBe(404);
    expect((await call(world.app, world.people.bystander, 'POST', `/api/meetings/${meeting.id}/join`)).status).toBe(404);
  });
});
