import { randomUUID } from 'node:crypto';
import { WS_CLOSE_CODES } from '@collaro/shared';
import { describe, expect, it } from 'vitest';
import { call, type Caller, type SignedInUser } from '../helpers/test-app.js';
import { TestSocket } from '../realtime/realtime-world.js';
import { expectStatus, meetingRoomWorld } from './meetings-world.js';

/**
 * Guests: a host's link lets someone without an account into one meeting, its room and its chat,
 * and nowhere else, until the meeting ends.
 */

const world = meetingRoomWorld();

interface Guest extends Caller {
  id: string;
  token: string;
}

async function socketWith(token: string) {
  const socket = await world.openSocket();
  socket.send({ type: 'auth', token });
  await socket.next('ready');
  return socket;
}

async function enterRoom(socket: TestSocket, meetingId: string) {
  socket.send({ type: 'meeting.join', meetingId });
  return socket.next('meeting.joined', (frame) => frame.meetingId === meetingId);
}

async function hostInRoom(meetingId: string) {
  await expectStatus(call(world.app, world.people.host, 'POST', `/api/meetings/${meetingId}/join`), 200);
  const socket = await socketWith(world.people.host.accessToken);
  await enterRoom(socket, meetingId);
  return socket;
}

async function guestLink(meetingId: string, by: SignedInUser = world.people.host) {
  return expectStatus(call(world.app, by, 'POST', `/api/meetings/${meetingId}/guest-links`), 201);
}

async function enterAsGuest(linkToken: string, name: string): Promise<Guest> {
  const entry = await expectStatus(call(world.app, null, 'POST', `/api/guest-links/${linkToken}/guests`, { name }), 201);
  return { id: entry.guestId, token: entry.token, headers: { authorization: `Bearer ${entry.token}` } };
}

async function waitForChannel(guest: Guest): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const session = await expectStatus(call(world.app, guest, 'GET', '/api/guest/session'), 200);
    if (session.channelId) return session.channelId;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the meeting chat never appeared');
}

describe('guest links', () => {
  it('only the host or an admin makes one; it names the meeting and its host to whoever holds it', async () => {
    const meeting = await expectStatus(call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'Customer call' }), 201);
    const link = await guestLink(meeting.id);
    expect(link.url).toBe(`${world.test.config.publicUrl}/guest/${link.token}`);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await guestLink(meeting.id, world.people.admin);
    expect((await call(world.app, world.people.bystander, 'POST', `/api/meetings/${meeting.id}/guest-links`)).status).toBe(403);
    expect((await call(world.app, world.people.outsider, 'POST', `/api/meetings/${meeting.id}/guest-links`)).status).toBe(404);
    expect((await call(world.app, null, 'POST', `/api/meetings/${meeting.id}/guest-links`)).status).toBe(401);

    expect(await expectStatus(call(world.app, null, 'GET', `/api/guest-links/${link.token}`), 200)).toEqual({
      meetingTitle: 'Customer call',
      hostName: 'Hal Host',
    });
    const unknown = await call(world.app, null, 'GET', `/api/guest-links/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('Ask the host for a new one');
    const nameless = await call(world.app, null, 'POST', `/api/guest-links/${link.token}/guests`, { name: '   ' });
    expect(nameless.status).toBe(422);
    expect(nameless.body.error.message).toContain('Enter the name the others will see');
  });

  it('a guest gives a name, joins the room, and talks in the meeting chat with the members', async () => {
    const meeting = await expectStatus(
      call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'Demo for a customer' }),
      201,
    );
    const host = await hostInRoom(meeting.id);
    const guest = await enterAsGuest((await guestLink(meeting.id)).token, 'Gus Guest');
    expect(guest.token).toMatch(/^cg_[A-Za-z0-9_-]{43}$/);

    const session = await expectStatus(call(world.app, guest, 'GET', '/api/guest/session'), 200);
    expect(session).toMatchObject({ guestId: guest.id, name: 'Gus Guest', meeting: { id: meeting.id, title: 'Demo for a customer', status: 'live' } });
    const joined = await expectStatus(call(world.app, guest, 'POST', '/api/guest/join'), 200);
    expect(joined).toMatchObject({ provider: 'local', participantId: guest.id });

    const socket = await socketWith(guest.token);
    const entered = await enterRoom(socket, meeting.id);
    expect(entered.participants.map((p) => p.name)).toEqual(['Hal Host', 'Gus Guest']);
    await host.next('meeting.participants', (frame) => frame.participants.some((p) => p.userId === guest.id && p.name === 'Gus Guest'));
    // Signals reach the host, as a member's do.
    socket.send({ type: 'rtc.signal', meetingId: meeting.id, to: world.people.host.id, signal: { kind: 'candidate', candidate: null } });
    await host.next('rtc.signal', (frame) => frame.from === guest.id);

    const channelId = await waitForChannel(guest);
    socket.send({ type: 'chat.send', channelId, clientId: randomUUID(), body: 'Hello from outside' });
    await socket.next('chat.ack', (frame) => frame.channelId === channelId);
    await host.next('chat.message', (frame) => frame.message.body === 'Hello from outside' && frame.message.authorId === guest.id);
    host.send({ type: 'chat.send', channelId, clientId: randomUUID(), body: 'Welcome, Gus' });
    await socket.next('chat.message', (frame) => frame.message.body === 'Welcome, Gus');

    const history = await expectStatus(call(world.app, guest, 'GET', '/api/guest/messages'), 200);
    expect(history.messages.map((m: { body: string }) => m.body)).toEqual(['Hello from outside', 'Welcome, Gus']);
    expect(history.authors).toEqual({ [guest.id]: 'Gus Guest', [world.people.host.id]: 'Hal Host' });
  });

  it('a guest whose connection dropped gets, on reconnecting, what the meeting chat said meanwhile', async () => {
    const meeting = await expectStatus(
      call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'Patchy network' }),
      201,
    );
    const host = await hostInRoom(meeting.id);
    const guest = await enterAsGuest((await guestLink(meeting.id)).token, 'Wendy Wifi');
    await expectStatus(call(world.app, guest, 'POST', '/api/guest/join'), 200);
    const first = await socketWith(guest.token);
    await enterRoom(first, meeting.id);
    const channelId = await waitForChannel(guest);
    host.send({ type: 'chat.send', channelId, clientId: randomUUID(), body: 'Can you hear me?' });
    const heard = await first.next('chat.message', (frame) => frame.message.body === 'Can you hear me?');
    first.close();
    await first.closed;

    for (const body of ['You froze', 'Still there?']) {
      host.send({ type: 'chat.send', channelId, clientId: randomUUID(), body });
      await host.next('chat.message', (frame) => frame.message.body === body);
    }
    const again = await socketWith(guest.token);
    again.send({ type: 'resume', channels: [{ channelId, afterEventSeq: heard.message.eventSeq }] });
    const resumed = await again.next('resumed');
    expect(resumed.channels).toEqual([{ channelId, replayed: 2, refetch: false }]);
    const replayed = again.frames.filter((frame) => frame.type === 'chat.message').map((frame) => frame.message.body);
    expect(replayed).toEqual(['You froze', 'Still there?']);
  });

  it('a guest connection can do nothing but its meeting: no moderation, no other meeting, no other channel, no other frame', async () => {
    const meeting = await expectStatus(
      call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'Guests welcome' }),
      201,
    );
    const other = await expectStatus(call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'Members only' }), 201);
    await hostInRoom(meeting.id);
    const guest = await enterAsGuest((await guestLink(meeting.id)).token, 'Gwen Guest');
    await expectStatus(call(world.app, guest, 'POST', '/api/guest/join'), 200);
    const socket = await socketWith(guest.token);
    await enterRoom(socket, meeting.id);
    const general = (await expectStatus(call(world.app, world.people.host, 'GET', `/api/orgs/${world.people.orgId}/channels`), 200)).channels.find(
      (c: { kind: string }) => c.kind === 'team',
    );

    const refusals: [string, object][] = [
      ['meeting.mute', { type: 'meeting.mute', meetingId: meeting.id, userId: world.people.host.id }],
      ['meeting.remove', { type: 'meeting.remove', meetingId: meeting.id, userId: world.people.host.id }],
      ['presence.set', { type: 'presence.set', status: 'away' }],
      ['typing', { type: 'typing', channelId: general.id }],
    ];
    for (const [type, frame] of refusals) {
      socket.send(frame as never);
      const error = await socket.next('error', (e) => e.ref?.type === type);
      expect(error.code, type).toBe('forbidden');
    }
    socket.send({ type: 'meeting.join', meetingId: other.id });
    expect((await socket.next('error', (e) => e.ref?.type === 'meeting.join')).code).toBe('not_found');
    socket.send({ type: 'resume', channels: [{ channelId: general.id, afterEventSeq: 0 }] });
    expect((await socket.next('error', (e) => e.ref?.type === 'resume')).code).toBe('not_found');
    expect((await socket.next('resumed')).channels).toEqual([]);
    socket.send({ type: 'chat.send', channelId: general.id, clientId: randomUUID(), body: 'sneaking in' });
    expect((await socket.next('error', (e) => e.ref?.type === 'chat.send')).code).toBe('not_found');
    expect(await socket.receives('chat.message', (frame) => frame.message.channelId === general.id)).toBe(false);
  });

  it('every route of the API but the guest ones refuses a guest token', async () => {
    const meeting = await expectStatus(
      call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'Sweep', teamId: world.people.teamId }),
      201,
    );
    await hostInRoom(meeting.id);
    const guest = await enterAsGuest((await guestLink(meeting.id)).token, 'Sam Sweeper');
    await expectStatus(call(world.app, guest, 'POST', '/api/guest/join'), 200);
    const channelId = await waitForChannel(guest);
    // Every path parameter gets the guest's own meeting, chat, organization and team where it fits.
    const ids: Record<string, string> = {
      id: meeting.id,
      meetingId: meeting.id,
      channelId,
      orgId: world.people.orgId,
      teamId: world.people.teamId,
      userId: world.people.host.id,
    };
    const spec = world.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    let checked = 0;
    for (const [template, operations] of Object.entries(spec.paths)) {
      if (template.startsWith('/api/guest/') || template.startsWith('/api/guest-links/')) continue;
      const url = template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? randomUUID());
      for (const method of Object.keys(operations)) {
        const verb = method.toUpperCase() as 'GET' | 'POST' | 'PATCH' | 'DELETE';
        if (!['GET', 'POST', 'PATCH', 'DELETE'].includes(verb)) continue;
        const asGuest = await call(world.app, guest, verb, url, verb === 'GET' || verb === 'DELETE' ? undefined : {});
        if (asGuest.status < 400) {
          // Only what anyone may see without signing in (health, client configuration) answers a guest.
          const anonymous = await call(world.app, null, verb, url, verb === 'GET' || verb === 'DELETE' ? undefined : {});
          expect(anonymous.status, `${verb} ${template} answers a guest ${asGuest.status} but anonymous callers ${anonymous.status}`).toBe(asGuest.status);
        } else {
          expect([400, 401, 403, 404, 405, 422], `${verb} ${template}`).toContain(asGuest.status);
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect((await call(world.app, guest, 'GET', `/api/meetings/${meeting.id}`)).status).toBe(401);
    expect((await call(world.app, guest, 'GET', `/api/channels/${channelId}/messages`)).status).toBe(401);
    expect((await call(world.app, guest, 'GET', '/api/me')).status).toBe(401);
  });
});

describe('when the meeting ends', () => {
  it('the link and every guest token made from it stop working, on HTTP and on the WebSocket', async () => {
    const meeting = await expectStatus(call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'Short one' }), 201);
    await hostInRoom(meeting.id);
    const link = await guestLink(meeting.id);
    const guest = await enterAsGuest(link.token, 'Lou Late');
    await expectStatus(call(world.app, guest, 'POST', '/api/guest/join'), 200);
    const socket = await socketWith(guest.token);
    await enterRoom(socket, meeting.id);

    await expectStatus(call(world.app, world.people.host, 'POST', `/api/meetings/${meeting.id}/end`), 200);
    await socket.next('meeting.ended', (frame) => frame.meetingId === meeting.id);
    expect((await call(world.app, null, 'GET', `/api/guest-links/${link.token}`)).status).toBe(404);
    expect((await call(world.app, null, 'POST', `/api/guest-links/${link.token}/guests`, { name: 'Too Late' })).status).toBe(404);
    const session = await call(world.app, guest, 'GET', '/api/guest/session');
    expect(session.status).toBe(401);
    expect(session.body.error.message).toContain('the meeting is over');
    expect((await call(world.app, guest, 'POST', '/api/guest/join')).status).toBe(401);
    // The live connection can no longer act, and a new one is refused.
    socket.send({ type: 'meeting.join', meetingId: meeting.id });
    expect((await socket.next('error', (e) => e.ref?.type === 'meeting.join')).code).toBe('forbidden');
    const again = await world.openSocket();
    again.send({ type: 'auth', token: guest.token });
    expect((await again.closed).code).toBe(WS_CLOSE_CODES.authFailed);
    // And no new link for a meeting that is over.
    expect((await call(world.app, world.people.host, 'POST', `/api/meetings/${meeting.id}/guest-links`)).status).toBe(409);
  });

  it("a guest of a personal room reads what this session's chat said before they came, but nothing of its earlier sessions", async () => {
    const room = await expectStatus(call(world.app, world.people.host, 'GET', `/api/meetings/personal-room?orgId=${world.people.orgId}`), 200);
    const say = async (channelId: string, body: string) =>
      expectStatus(call(world.app, world.people.host, 'POST', `/api/channels/${channelId}/messages`, { clientId: randomUUID(), body }), 201);
    const bodies = async (guest: Guest) =>
      (await expectStatus(call(world.app, guest, 'GET', '/api/guest/messages'), 200)).messages.map((m: { body: string }) => m.body);

    await hostInRoom(room.id);
    const earlier = await enterAsGuest((await guestLink(room.id)).token, 'Early Bird');
    const channelId = await waitForChannel(earlier);
    await say(channelId, 'Salaries for next year');
    expect(await bodies(earlier)).toContain('Salaries for next year');
    await expectStatus(call(world.app, world.people.host, 'POST', `/api/meetings/${room.id}/end`), 200);

    await hostInRoom(room.id);
    await say(channelId, 'Welcome to the demo');
    const guest = await enterAsGuest((await guestLink(room.id)).token, 'Dora Demo');
    expect(await bodies(guest)).toEqual(['Welcome to the demo']);
    // Nor does a resume from the very start of the chat bring the earlier session back.
    await expectStatus(call(world.app, guest, 'POST', '/api/guest/join'), 200);
    const socket = await socketWith(guest.token);
    socket.send({ type: 'resume', channels: [{ channelId, afterEventSeq: 0 }] });
    await socket.next('resumed');
    expect(socket.frames.filter((frame) => frame.type === 'chat.message').map((frame) => frame.message.body)).toEqual(['Welcome to the demo']);
    await expectStatus(call(world.app, world.people.host, 'POST', `/api/meetings/${room.id}/end`), 200);
  });

  it("a personal room's link dies with the session it was made in; the next session needs a new one", async () => {
    const room = await expectStatus(call(world.app, world.people.host, 'GET', `/api/meetings/personal-room?orgId=${world.people.orgId}`), 200);
    await hostInRoom(room.id);
    const first = await guestLink(room.id);
    await enterAsGuest(first.token, 'Pat Visitor');
    await expectStatus(call(world.app, world.people.host, 'POST', `/api/meetings/${room.id}/end`), 200);
    expect((await call(world.app, null, 'GET', `/api/guest-links/${first.token}`)).status).toBe(404);
    const second = await guestLink(room.id);
    await enterAsGuest(second.token, 'Pat Visitor');
  });
});
