import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { listenOnFreePort, TestSocket } from '../realtime/realtime-world.js';
import type { RealtimeHub } from '../../src/realtime/realtime-hub.js';
import { createMeetingsWorld, expectStatus, type MeetingsWorld } from './meetings-world.js';

/**
 * Once with the in-process event bus (a single instance: room membership is checked in memory) and
 * once through Redis (several instances possible: every signal is checked in the database).
 */
const modes = [
  { bus: 'in-process', busEnv: {} as Record<string, string> },
  { bus: 'redis', busEnv: { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' } },
];

describe.each(modes)('meeting rooms over the gateway ($bus bus)', ({ busEnv }) => {
  let t: TestApp;
  let w: MeetingsWorld;
  let wsUrl: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { MEETING_MESH_LIMIT: '3', ICE_SERVERS: '[{"urls":"stun:stun.collaro.test:3478"}]', ...busEnv } });
    w = await createMeetingsWorld(t.app);
    wsUrl = await listenOnFreePort(t.app);
  });
  afterEach(async () => {
    // Each test starts with nobody in a room, so presence and places are its own.
    const open = sockets.splice(0);
    for (const socket of open) socket.close();
    await Promise.all(open.map((socket) => socket.closed));
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
  afterAll(async () => {
    await t?.close();
  });

  async function socketFor(user: SignedInUser) {
    const socket = await TestSocket.signedIn(wsUrl, user);
    sockets.push(socket);
    return socket;
  }

  async function liveMeeting(inviteeIds: string[] = [w.invitee.id]) {
    return expectStatus(call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Signaling', inviteeIds }), 201);
  }

  /** Joins over HTTP and enters the room over the socket, as the mesh client does. */
  async function enter(user: SignedInUser, meetingId: string) {
    const joined = await expectStatus(call(t.app, user, 'POST', `/api/meetings/${meetingId}/join`), 200);
    const socket = await socketFor(user);
    socket.send({ type: 'meeting.join', meetingId });
    const room = await socket.next('meeting.joined', (frame) => frame.meetingId === meetingId);
    return { socket, room, joined };
  }

  const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } } as const;

  it('hands out the configured ICE servers and lists who is in the room', async () => {
    const meeting = await liveMeeting();
    const host = await enter(w.host, meeting.id);
    expect(host.joined.iceServers).toEqual([{ urls: 'stun:stun.collaro.test:3478' }]);
    expect(host.room.participants.map((p) => p.userId)).toEqual([w.host.id]);
    const guest = await enter(w.invitee, meeting.id);
    // The join response already names who is in the room, so offers can start before the room answers.
    expect(guest.joined.participants.map((p: { userId: string }) => p.userId)).toEqual([w.host.id]);
    expect(guest.room.participants.map((p) => [p.userId, p.name, p.isHost])).toEqual([
      [w.host.id, 'Hal Host', true],
      [w.invitee.id, 'Ivy Invitee', false],
    ]);
    const update = await host.socket.next('meeting.participants', (frame) => frame.participants.length === 2);
    expect(update.meetingId).toBe(meeting.id);
  });

  it('relays offers, answers and candidates between two participants, naming the sender', async () => {
    const meeting = await liveMeeting();
    const host = await enter(w.host, meeting.id);
    const guest = await enter(w.invitee, meeting.id);
    host.socket.send({ type: 'rtc.signal', meetingId: meeting.id, to: w.invitee.id, signal: offer });
    const received = await guest.socket.next('rtc.signal');
    expect(received).toEqual({ type: 'rtc.signal', meetingId: meeting.id, from: w.host.id, connectionId: guest.room.connectionId, signal: offer });
    const candidate = {
      kind: 'candidate',
      candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 },
    } as const;
    guest.socket.send({ type: 'rtc.signal', meetingId: meeting.id, to: w.host.id, signal: candidate });
    const back = await host.socket.next('rtc.signal');
    expect(back.from).toBe(w.invitee.id);
    expect(back.signal).toEqual(candidate);
  });

  it("relays a call's signals at once to someone whose access is being reloaded, while other frames wait for the reload", async () => {
    const meeting = await liveMeeting();
    const host = await enter(w.host, meeting.id);
    const guest = await enter(w.invitee, meeting.id);
    // As while the guest's membership of the in-call chat is loaded, right after every join.
    const topics = (t.app.realtime as RealtimeHub).topics;
    const reloading = [...topics.connectionsOf(w.invitee.id)];
    for (const connection of reloading) topics.hold(connection);
    try {
      host.socket.send({ type: 'meeting.media', meetingId: meeting.id, audioMuted: true, videoMuted: false, screenSharing: false });
      host.socket.send({ type: 'rtc.signal', meetingId: meeting.id, to: w.invitee.id, signal: offer });
      expect((await guest.socket.next('rtc.signal')).signal).toEqual(offer);
      expect(await guest.socket.receives('meeting.participants', (f) => f.participants.some((p) => p.userId === w.host.id && p.audioMuted))).toBe(false);
    } finally {
      for (const connection of reloading) topics.unhold(connection);
    }
    await guest.socket.next('meeting.participants', (f) => f.participants.some((p) => p.userId === w.host.id && p.audioMuted));
  });

  it('never relays a signal across meetings, nor from a connection that is not in the room', async () => {
    const first = await liveMeeting();
    const second = await expectStatus(
      call(t.app, w.teammate, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Other room', inviteeIds: [w.bystander.id] }),
      201,
    );
    const host = await enter(w.host, first.id);
    const guest = await enter(w.invitee, first.id);
    const other = await enter(w.bystander, second.id);

    // To someone in another meeting, naming this meeting: the recipient is not in this room.
    host.socket.send({ type: 'rtc.signal', meetingId: first.id, to: w.bystander.id, signal: offer });
    expect((await host.socket.next('error', (f) => f.ref?.type === 'rtc.signal')).code).toBe('not_found');
    // Naming the other meeting, which the sender's connection never entered.
    host.socket.send({ type: 'rtc.signal', meetingId: second.id, to: w.bystander.id, signal: offer });
    expect((await host.socket.next('error', (f) => f.ref?.type === 'rtc.signal')).code).toBe('forbidden');
    // From the other room into this one.
    other.socket.send({ type: 'rtc.signal', meetingId: first.id, to: w.invitee.id, signal: offer });
    expect((await other.socket.next('error', (f) => f.ref?.type === 'rtc.signal')).code).toBe('forbidden');
    // A second socket of a participant that did not enter the room cannot use it either.
    const sideSocket = await socketFor(w.host);
    sideSocket.send({ type: 'rtc.signal', meetingId: first.id, to: w.invitee.id, signal: offer });
    expect((await sideSocket.next('error', (f) => f.ref?.type === 'rtc.signal')).code).toBe('forbidden');

    expect(await other.socket.receives('rtc.signal')).toBe(false);
    expect(await guest.socket.receives('rtc.signal')).toBe(false);
    expect(await other.socket.receives('meeting.participants', (f) => f.meetingId === first.id)).toBe(false);
  });

  it('keeps out users who may not see the meeting, and users who skipped the HTTP join', async () => {
    const meeting = await expectStatus(
      call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Invitees only', inviteeIds: [w.invitee.id], inviteesOnly: true }),
      201,
    );
    const bystander = await socketFor(w.bystander);
    bystander.send({ type: 'meeting.join', meetingId: meeting.id });
    expect((await bystander.next('error', (f) => f.ref?.type === 'meeting.join')).code).toBe('forbidden');
    const outsider = await socketFor(w.outsider);
    outsider.send({ type: 'meeting.join', meetingId: meeting.id });
    expect((await outsider.next('error', (f) => f.ref?.type === 'meeting.join')).code).toBe('not_found');
    const invitee = await socketFor(w.invitee);
    invitee.send({ type: 'meeting.join', meetingId: meeting.id });
    const skipped = await invitee.next('error', (f) => f.ref?.type === 'meeting.join');
    expect(skipped.code).toBe('conflict');
    expect(skipped.message).toContain(`POST /api/meetings/${meeting.id}/join`);
    const malformed: Record<string, unknown> = {
      type: 'rtc.signal',
      meetingId: meeting.id,
      to: w.host.id,
      signal: { kind: 'description', description: { type: 'offer', sdp: 5 } },
    };
    invitee.send(malformed);
    expect((await invitee.next('error', (f) => f.ref?.type === 'rtc.signal')).code).toBe('invalid_frame');
  });

  it('shares mute state, lets the host ask a participant to mute, and nobody else', async () => {
    const meeting = await liveMeeting();
    const host = await enter(w.host, meeting.id);
    const guest = await enter(w.invitee, meeting.id);
    guest.socket.send({ type: 'meeting.media', meetingId: meeting.id, audioMuted: false, videoMuted: true, screenSharing: true });
    const seen = await host.socket.next('meeting.participants', (f) => f.participants.some((p) => p.userId === w.invitee.id && p.videoMuted));
    expect(seen.participants.find((p) => p.userId === w.invitee.id)).toMatchObject({ audioMuted: false, videoMuted: true, screenSharing: true });

    host.socket.send({ type: 'meeting.mute', meetingId: meeting.id, userId: w.invitee.id });
    const asked = await guest.socket.next('meeting.mute_requested');
    expect(asked).toEqual({ type: 'meeting.mute_requested', meetingId: meeting.id, connectionId: guest.room.connectionId, byUserId: w.host.id });
    guest.socket.send({ type: 'meeting.mute', meetingId: meeting.id, userId: w.host.id });
    expect((await guest.socket.next('error', (f) => f.ref?.type === 'meeting.mute')).code).toBe('forbidden');
    expect(await host.socket.receives('meeting.mute_requested')).toBe(false);
  });

  it('lets the host remove a participant, who then cannot signal or join again', async () => {
    const meeting = await liveMeeting();
    const host = await enter(w.host, meeting.id);
    const guest = await enter(w.invitee, meeting.id);
    guest.socket.send({ type: 'meeting.remove', meetingId: meeting.id, userId: w.host.id });
    expect((await guest.socket.next('error', (f) => f.ref?.type === 'meeting.remove')).code).toBe('forbidden');

    host.socket.send({ type: 'meeting.remove', meetingId: meeting.id, userId: w.invitee.id });
    const removed = await guest.socket.next('meeting.removed');
    expect(removed).toMatchObject({ meetingId: meeting.id, reason: 'removed_by_host', byUserId: w.host.id, connectionId: guest.room.connectionId });
    const list = await host.socket.next('meeting.participants', (f) => f.participants.length === 1);
    expect(list.participants[0]!.userId).toBe(w.host.id);
    guest.socket.send({ type: 'rtc.signal', meetingId: meeting.id, to: w.host.id, signal: offer });
    expect((await guest.socket.next('error', (f) => f.ref?.type === 'rtc.signal')).code).toBe('forbidden');
    expect(await host.socket.receives('rtc.signal')).toBe(false);
    const again = await call(t.app, w.invitee, 'POST', `/api/meetings/${meeting.id}/join`);
    expect(again.status).toBe(403);
    expect(again.body.error.message).toBe('The host removed you from this meeting');
  });

  it('tells everyone when the meeting ends, and shows the participant as in a meeting meanwhile', async () => {
    const meeting = await liveMeeting();
    const watcher = await socketFor(w.bystander);
    const host = await enter(w.host, meeting.id);
    await watcher.next('presence.update', (f) => f.userId === w.host.id && f.status === 'in_meeting');
    const guest = await enter(w.invitee, meeting.id);
    await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${meeting.id}/end`), 200);
    for (const socket of [host.socket, guest.socket]) {
      expect(await socket.next('meeting.ended')).toEqual({ type: 'meeting.ended', meetingId: meeting.id, reason: 'ended' });
    }
    await watcher.next('presence.update', (f) => f.userId === w.host.id && f.status === 'online');
    guest.socket.send({ type: 'rtc.signal', meetingId: meeting.id, to: w.host.id, signal: offer });
    expect((await guest.socket.next('error', (f) => f.ref?.type === 'rtc.signal')).code).toBe('forbidden');
  });

  it("frees the place when a participant's socket closes", async () => {
    const meeting = await liveMeeting([w.invitee.id, w.teammate.id, w.bystander.id]);
    const host = await enter(w.host, meeting.id);
    const guest = await enter(w.invitee, meeting.id);
    await enter(w.teammate, meeting.id);
    const full = await call(t.app, w.bystander, 'POST', `/api/meetings/${meeting.id}/join`);
    expect(full.status).toBe(409);
    guest.socket.close();
    await host.socket.next('meeting.participants', (f) => f.participants.length === 2 && !f.participants.some((p) => p.userId === w.invitee.id));
    await expectStatus(call(t.app, w.bystander, 'POST', `/api/meetings/${meeting.id}/join`), 200);
  });

  it("moves a user's place to their newest connection and tells the old one", async () => {
    const meeting = await liveMeeting();
    const host = await enter(w.host, meeting.id);
    const first = await enter(w.invitee, meeting.id);
    const second = await enter(w.invitee, meeting.id);
    const moved = await first.socket.next('meeting.removed', (f) => f.connectionId === first.room.connectionId);
    expect(moved.reason).toBe('joined_elsewhere');
    host.socket.send({ type: 'rtc.signal', meetingId: meeting.id, to: w.invitee.id, signal: offer });
    const delivered = await second.socket.next('rtc.signal');
    expect(delivered.connectionId).toBe(second.room.connectionId);
  });
});
