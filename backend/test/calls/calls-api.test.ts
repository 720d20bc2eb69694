import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CALL_RING_SECONDS, type Call } from '@collaro/shared';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import { listenOnFreePort, TestSocket } from '../realtime/realtime-world.js';
import { buildCallsWorld, history, ok, startCall, stateOf, type CallsWorld } from './calls-world.js';

/**
 * Ringing calls through the real app: who can ring whom, how ringing ends (answered, declined,
 * missed, cancelled), and the one line a call leaves in its conversation. Time is moved by hand,
 * and the ringing sweep is run directly, so "30 seconds later" takes no time.
 */

let t: TestApp;
let w: CallsWorld;
let now = Date.now();
const RING_MS = DEFAULT_CALL_RING_SECONDS * 1000;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  w = await buildCallsWorld(t.app);
});
afterAll(async () => {
  await t?.close();
});

/** Ends whatever call a test left in a conversation, so the next test starts a fresh one. */
async function endCall(callView: Call) {
  const caller = [w.alice, w.bob].find((user) => user.id === callView.callerId)!;
  const latest = await ok<Call>(call(t.app, caller, 'GET', `/api/calls/${callView.id}`), 200);
  if (latest.status === 'ringing') await ok(call(t.app, caller, 'POST', `/api/calls/${callView.id}/cancel`), 200);
  if (latest.status === 'ongoing') await ok(call(t.app, caller, 'POST', `/api/meetings/${latest.meetingId}/end`), 200);
}

describe('ringing calls from a direct message', () => {
  it('rings the other member, and answering puts the call on, as a meeting only the two can join', async () => {
    const ringing = await startCall(t.app, w.alice, w.pairId);
    expect(ringing).toMatchObject({ channelId: w.pairId, callerId: w.alice.id, status: 'ringing', outcome: null, provider: 'local' });
    expect(ringing.members).toEqual([
      { userId: w.alice.id, state: 'caller' },
      { userId: w.bob.id, state: 'ringing' },
    ]);
    expect(new Date(ringing.ringsUntil).getTime() - now).toBe(RING_MS);

    const answered = await ok<Call>(call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/accept`), 200);
    expect(answered).toMatchObject({ status: 'ongoing', outcome: 'answered' });
    expect(stateOf(answered, w.bob)).toBe('accepted');
    const meeting = await ok(call(t.app, w.bob, 'GET', `/api/meetings/${answered.meetingId}`), 200);
    expect(meeting).toMatchObject({ kind: 'call', status: 'live', hostId: w.alice.id, inviteeIds: [w.bob.id] });
    expect((await ok(call(t.app, w.bob, 'POST', `/api/meetings/${answered.meetingId}/join`), 200)).provider).toBe('local');
    // Answered by everyone: nothing to note in the conversation.
    expect((await history(t.app, w.alice, w.pairId)).filter((message) => message.system)).toEqual([]);
    // Calls stay in their conversation: meeting lists never show them, not even to an admin.
    const live = await ok(call(t.app, w.admin, 'GET', `/api/meetings?orgId=${w.orgId}&scope=live`), 200);
    expect(live.meetings.map((m: { id: string }) => m.id)).not.toContain(answered.meetingId);
    await endCall(answered);
  });

  it('is answered with the call already on when someone presses Call in a conversation that has one', async () => {
    const first = await startCall(t.app, w.alice, w.pairId);
    // Both pressed Call at the same moment: Bob's press answers Alice's call.
    const bobs = await startCall(t.app, w.bob, w.pairId, 200);
    expect(bobs.id).toBe(first.id);
    expect(bobs.status).toBe('ongoing');
    expect(stateOf(bobs, w.bob)).toBe('accepted');
    await endCall(first);
  });

  it('gives two simultaneous first presses one call between them', async () => {
    const [a, b] = await Promise.all([
      call(t.app, w.alice, 'POST', `/api/channels/${w.pairId}/calls`),
      call(t.app, w.bob, 'POST', `/api/channels/${w.pairId}/calls`),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.call.id).toBe(b.body.call.id);
    expect(a.body.call.meetingId).toBe(b.body.call.meetingId);
    await endCall(a.body.call);
  });

  it('leaves one line when the callee declines, ends the call for the caller, and the line cannot be edited or deleted', async () => {
    const ringing = await startCall(t.app, w.alice, w.pairId);
    const declined = await ok<Call>(call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/decline`), 200);
    expect(declined).toMatchObject({ status: 'ended', outcome: 'declined' });
    expect((await ok(call(t.app, w.alice, 'GET', `/api/meetings/${ringing.meetingId}`), 200)).status).toBe('ended');
    expect((await call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/decline`)).status).toBe(409);
    expect((await call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/accept`)).status).toBe(409);

    for (const reader of [w.alice, w.bob]) {
      const lines = (await history(t.app, reader, w.pairId)).filter((message) => message.system);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        authorId: w.alice.id,
        body: 'Bob declined a call from Alice',
        system: { type: 'call', callId: ringing.id, callerId: w.alice.id, outcome: 'declined', declinedIds: [w.bob.id], missedIds: [] },
      });
    }
    const [line] = (await history(t.app, w.alice, w.pairId)).filter((message) => message.system);
    // Edits and deletions are WebSocket commands: neither its author nor an admin may change the line.
    const url = await listenOnFreePort(t.app);
    const [alice, admin] = await Promise.all([TestSocket.signedIn(url, w.alice), TestSocket.signedIn(url, w.admin)]);
    try {
      for (const [socket, frame] of [
        [alice, { type: 'chat.edit', clientId: randomUUID(), messageId: line!.id, body: 'nothing happened' }],
        [alice, { type: 'chat.delete', clientId: randomUUID(), messageId: line!.id }],
        [admin, { type: 'chat.delete', clientId: randomUUID(), messageId: line!.id }],
      ] as const) {
        socket.send(frame);
        expect(await socket.answerTo(frame.clientId)).toMatchObject({ type: 'error', code: 'forbidden' });
      }
    } finally {
      alice.close();
      admin.close();
      await Promise.all([alice.closed, admin.closed]);
    }
  });

  it('is missed when nobody answers within the ringing time, and the line is written once however often the sweep runs', async () => {
    const ringing = await startCall(t.app, w.alice, w.pairId);
    now += RING_MS - 1_000;
    await t.app.calls.expireDue();
    expect((await ok<Call>(call(t.app, w.bob, 'GET', `/api/calls/${ringing.id}`), 200)).status).toBe('ringing');

    now += 2_000;
    await Promise.all([t.app.calls.expireDue(), t.app.calls.expireDue()]);
    await t.app.calls.expireDue();
    const missed = await ok<Call>(call(t.app, w.bob, 'GET', `/api/calls/${ringing.id}`), 200);
    expect(missed).toMatchObject({ status: 'ended', outcome: 'missed' });
    expect(stateOf(missed, w.bob)).toBe('missed');
    const lines = (await history(t.app, w.bob, w.pairId)).filter((message) => (message.system as { callId?: string } | null)?.callId === ringing.id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ body: 'Missed call from Alice', system: { outcome: 'missed', missedIds: [w.bob.id] } });
    expect((await call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/accept`)).status).toBe(409);
    // The conversation is free for the next call.
    const next = await startCall(t.app, w.bob, w.pairId);
    expect(next.id).not.toBe(ringing.id);
    await endCall(next);
  });

  it('stops ringing when the caller cancels before anyone answers, noting the missed call', async () => {
    const ringing = await startCall(t.app, w.alice, w.pairId);
    expect((await call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/cancel`)).status).toBe(403);
    const cancelled = await ok<Call>(call(t.app, w.alice, 'POST', `/api/calls/${ringing.id}/cancel`), 200);
    expect(cancelled).toMatchObject({ status: 'ended', outcome: 'cancelled' });
    expect(stateOf(cancelled, w.bob)).toBe('missed');
    expect((await call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/accept`)).status).toBe(409);
    const [line] = (await history(t.app, w.bob, w.pairId)).filter((message) => (message.system as { callId?: string } | null)?.callId === ringing.id);
    expect(line).toMatchObject({ body: 'Missed call from Alice (cancelled before anyone answered)', system: { outcome: 'cancelled', missedIds: [w.bob.id] } });
  });

  it('in a group, rings everyone, goes on when one answers, and notes who declined or missed it', async () => {
    const ringing = await startCall(t.app, w.alice, w.groupId);
    expect(ringing.members.map((member) => member.state)).toEqual(['caller', 'ringing', 'ringing']);
    const afterDecline = await ok<Call>(call(t.app, w.carol, 'POST', `/api/calls/${ringing.id}/decline`), 200);
    // Bob is still being rung: the call is not over for Alice.
    expect(afterDecline).toMatchObject({ status: 'ringing', outcome: null });
    expect((await history(t.app, w.alice, w.groupId)).filter((message) => message.system)).toEqual([]);

    const answered = await ok<Call>(call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/accept`), 200);
    expect(answered).toMatchObject({ status: 'ongoing', outcome: 'answered' });
    const lines = (await history(t.app, w.carol, w.groupId)).filter((message) => message.system);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ body: 'Call from Alice · Carol declined', system: { outcome: 'answered', declinedIds: [w.carol.id], missedIds: [] } });
    // Carol changes her mind: she may still join while the call is on.
    expect(stateOf(await ok<Call>(call(t.app, w.carol, 'POST', `/api/calls/${ringing.id}/accept`), 200), w.carol)).toBe('accepted');
    expect((await call(t.app, w.alice, 'POST', `/api/calls/${ringing.id}/cancel`)).status).toBe(409);
    await endCall(answered);
  });

  it('ends a one-to-one call for both when either hangs up', async () => {
    const ringing = await startCall(t.app, w.alice, w.pairId);
    await ok(call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/accept`), 200);
    const over = await ok<Call>(call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/hang-up`), 200);
    expect(over.status).toBe('ended');
    expect((await ok(call(t.app, w.alice, 'GET', `/api/meetings/${ringing.meetingId}`), 200)).status).toBe('ended');
    expect((await ok(call(t.app, w.alice, 'GET', '/api/calls/active'), 200)).calls).toEqual([]);
  });

  it('lists the calls ringing a person, for a device that connects while they ring', async () => {
    const ringing = await startCall(t.app, w.alice, w.pairId);
    const active = await ok(call(t.app, w.bob, 'GET', '/api/calls/active'), 200);
    expect(active.calls.map((c: Call) => c.id)).toEqual([ringing.id]);
    expect((await ok(call(t.app, w.carol, 'GET', '/api/calls/active'), 200)).calls).toEqual([]);
    await endCall(ringing);
  });
});

describe('who may ring and join', () => {
  it('does not exist for anyone outside the conversation, admins included (404)', async () => {
    const ringing = await startCall(t.app, w.alice, w.pairId);
    for (const stranger of [w.carol, w.admin, w.mallory]) {
      expect((await call(t.app, stranger, 'POST', `/api/channels/${w.pairId}/calls`)).status).toBe(404);
      expect((await call(t.app, stranger, 'GET', `/api/calls/${ringing.id}`)).status).toBe(404);
      for (const action of ['accept', 'decline', 'cancel', 'hang-up']) {
        expect((await call(t.app, stranger, 'POST', `/api/calls/${ringing.id}/${action}`)).status).toBe(404);
      }
      expect((await call(t.app, stranger, 'GET', `/api/meetings/${ringing.meetingId}`)).status).toBe(404);
      expect((await call(t.app, stranger, 'POST', `/api/meetings/${ringing.meetingId}/join`)).status).toBe(404);
    }
    expect((await ok<Call>(call(t.app, w.bob, 'GET', `/api/calls/${ringing.id}`), 200)).status).toBe('ringing');
    await endCall(ringing);
  });

  it('needs a signed-in caller, a well-formed id and a direct message', async () => {
    expect((await call(t.app, null, 'POST', `/api/channels/${w.pairId}/calls`)).status).toBe(401);
    expect((await call(t.app, null, 'GET', '/api/calls/active')).status).toBe(401);
    expect((await call(t.app, w.alice, 'GET', '/api/calls/not-a-call')).status).toBe(422);
    const teamChannel = await call(t.app, w.alice, 'POST', `/api/channels/${w.channelId}/calls`);
    expect(teamChannel.status).toBe(422);
    expect(teamChannel.body.error.message).toMatch(/direct message/);
    // Carol cannot read the team's channel: to her it does not exist.
    expect((await call(t.app, w.carol, 'POST', `/api/channels/${w.channelId}/calls`)).status).toBe(404);
  });
});
