import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '@collaro/shared';
import type { DatabaseHandle } from '../../src/db/client.js';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { listenOnFreePort, TestSocket } from '../realtime/realtime-world.js';
import { buildCallsWorld, ok, startCall, type CallsWorld } from './calls-world.js';

/**
 * What ringing looks like on people's connections: every device of every member hears each change
 * of a call (`call.updated`), across backend instances too, and the line a call leaves arrives as
 * a chat message.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sockets: TestSocket[] = [];

async function connect(url: string, user: SignedInUser) {
  const socket = await TestSocket.signedIn(url, user);
  sockets.push(socket);
  return socket;
}

afterEach(async () => {
  const open = sockets.splice(0);
  for (const socket of open) socket.close();
  await Promise.all(open.map((socket) => socket.closed));
});

const ringingFor = (user: { id: string }) => (frame: { call: Call }) =>
  frame.call.members.some((member) => member.userId === user.id && member.state === 'ringing');
const stateIs = (user: { id: string }, state: string) => (frame: { call: Call }) =>
  frame.call.members.some((member) => member.userId === user.id && member.state === state);

describe('ringing on one instance', () => {
  let t: TestApp;
  let w: CallsWorld;
  let url: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { CALL_RING_SECONDS: '3', MEETING_MESH_LIMIT: '2' } });
    w = await buildCallsWorld(t.app);
    url = await listenOnFreePort(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('rings every device of the callee, and answering on one tells the other to stop', async () => {
    const [alice, bobLaptop, bobPhone, carol] = await Promise.all([connect(url, w.alice), connect(url, w.bob), connect(url, w.bob), connect(url, w.carol)]);
    const started = await startCall(t.app, w.alice, w.pairId);
    for (const device of [bobLaptop, bobPhone, alice]) {
      expect((await device.next('call.updated', (frame) => frame.call.id === started.id && ringingFor(w.bob)(frame))).call.status).toBe('ringing');
    }
    await ok(call(t.app, w.bob, 'POST', `/api/calls/${started.id}/accept`), 200);
    for (const device of [bobLaptop, bobPhone, alice]) {
      const frame = await device.next('call.updated', stateIs(w.bob, 'accepted'));
      expect(frame.call.status).toBe('ongoing');
    }
    // Nobody outside the conversation hears of it.
    expect(await carol.receives('call.updated', () => true, 200)).toBe(false);
    await ok(call(t.app, w.bob, 'POST', `/api/calls/${started.id}/hang-up`), 200);
    expect((await alice.next('call.updated', (frame) => frame.call.status === 'ended')).call.id).toBe(started.id);
  });

  it('stops ringing by itself after CALL_RING_SECONDS and posts the missed call to the conversation once', async () => {
    const [alice, bob] = await Promise.all([connect(url, w.alice), connect(url, w.bob)]);
    const started = await startCall(t.app, w.alice, w.pairId);
    await bob.next('call.updated', ringingFor(w.bob));
    const missed = await bob.next('call.updated', (frame) => frame.call.id === started.id && frame.call.status === 'ended', 8_000);
    expect(missed.call).toMatchObject({ outcome: 'missed' });
    for (const device of [alice, bob]) {
      const line = await device.next('chat.message', (frame) => frame.message.system?.callId === started.id);
      expect(line.message).toMatchObject({ channelId: w.pairId, body: 'Missed call from Alice' });
      expect(await device.receives('chat.message', (frame) => frame.message.system?.callId === started.id, 300)).toBe(false);
    }
  });

  it('lets the caller cancel: every device of the callee is told the call is over', async () => {
    const [bobLaptop, bobPhone] = await Promise.all([connect(url, w.bob), connect(url, w.bob)]);
    const started = await startCall(t.app, w.alice, w.pairId);
    await ok(call(t.app, w.alice, 'POST', `/api/calls/${started.id}/cancel`), 200);
    for (const device of [bobLaptop, bobPhone]) {
      expect((await device.next('call.updated', (frame) => frame.call.status === 'ended')).call.outcome).toBe('cancelled');
    }
  });

  it('refuses a call larger than the built-in video carries, with the reason, before anyone is rung', async () => {
    const bob = await connect(url, w.bob);
    const refused = await call(t.app, w.alice, 'POST', `/api/channels/${w.groupId}/calls`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/3 people.*at most 2.*Stream/);
    expect(await bob.receives('call.updated', () => true, 200)).toBe(false);
    expect((await ok(call(t.app, w.bob, 'GET', '/api/calls/active'), 200)).calls).toEqual([]);
  });

  it('shares do-not-disturb as presence, so calls can ring silently on every device of that person', async () => {
    const [alice, bobDesktop] = await Promise.all([connect(url, w.alice), connect(url, w.bob)]);
    await alice.next('presence.update', (frame) => frame.userId === w.bob.id && frame.status === 'online');
    bobDesktop.send({ type: 'presence.set', status: 'dnd' });
    await alice.next('presence.update', (frame) => frame.userId === w.bob.id && frame.status === 'dnd');
    // A second device in use does not switch do-not-disturb off.
    const bobBrowser = await connect(url, w.bob);
    bobBrowser.send({ type: 'presence.set', status: 'online' });
    expect(await alice.receives('presence.update', (frame) => frame.userId === w.bob.id && frame.status === 'online', 400)).toBe(false);
    bobDesktop.send({ type: 'presence.set', status: 'online' });
    await alice.next('presence.update', (frame) => frame.userId === w.bob.id && frame.status === 'online');
  });
});

describe('ringing across two instances sharing a database and Redis', () => {
  let database: DatabaseHandle;
  let first: TestApp;
  let second: TestApp;
  let w: CallsWorld;
  let urlA: string;
  let urlB: string;
  let now = Date.now();

  async function signInOn(instance: TestApp, user: SignedInUser): Promise<SignedInUser> {
    const response = await call(instance.app, null, 'POST', '/api/auth/login', { email: user.email, password: 'correct horse battery' });
    return { ...user, accessToken: response.body.accessToken, headers: { authorization: `Bearer ${response.body.accessToken}` } };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await createTestApp({ database, clock: () => now, env: { REDIS_URL } });
    second = await createTestApp({ database, clock: () => now, env: { REDIS_URL } });
    w = await buildCallsWorld(first.app);
    urlA = await listenOnFreePort(first.app);
    urlB = await listenOnFreePort(second.app);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.close();
  });

  it('answering through one instance stops the ringing on a device connected to the other', async () => {
    const bobOnB = await signInOn(second, w.bob);
    const [alice, bobOnFirst, bobOnSecond] = await Promise.all([connect(urlA, w.alice), connect(urlA, w.bob), connect(urlB, bobOnB)]);
    const started = await startCall(first.app, w.alice, w.pairId);
    await bobOnFirst.next('call.updated', ringingFor(w.bob));
    await bobOnSecond.next('call.updated', ringingFor(w.bob));
    await ok(call(second.app, bobOnB, 'POST', `/api/calls/${started.id}/accept`), 200);
    expect((await bobOnFirst.next('call.updated', stateIs(w.bob, 'accepted'))).call.status).toBe('ongoing');
    await alice.next('call.updated', stateIs(w.bob, 'accepted'));
    await ok(call(first.app, w.alice, 'POST', `/api/calls/${started.id}/hang-up`), 200);
  });

  it('ringing started on one instance is ended on time by the other, with one missed-call line', async () => {
    const bobOnB = await signInOn(second, w.bob);
    const [alice, bob] = await Promise.all([connect(urlA, w.alice), connect(urlB, bobOnB)]);
    const started = await startCall(first.app, w.alice, w.pairId);
    await bob.next('call.updated', ringingFor(w.bob));
    now += 31_000;
    // The first instance is gone quiet (its own timer runs on real time): the second's sweep settles it.
    await second.app.calls.expireDue();
    await first.app.calls.expireDue();
    expect((await alice.next('call.updated', (frame) => frame.call.status === 'ended')).call.outcome).toBe('missed');
    await alice.next('chat.message', (frame) => frame.message.system?.callId === started.id);
    expect(await alice.receives('chat.message', (frame) => frame.message.system?.callId === started.id, 300)).toBe(false);
  });
});
