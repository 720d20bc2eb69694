import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '@collaro/shared';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import { StreamStandIn } from '../meetings/stream-stand-in.js';
import { buildCallsWorld, ok, startCall, type CallsWorld } from './calls-world.js';

/** Calls run on the same video provider as meetings: with Stream on, a call is a Stream call. */

let standIn: StreamStandIn;
let t: TestApp;
let w: CallsWorld;

beforeAll(async () => {
  standIn = new StreamStandIn();
  await standIn.start();
  t = await createTestApp({
    env: {
      STREAM_API_KEY: 'collaro-test-key',
      STREAM_API_SECRET: 'collaro-test-secret-that-is-long-enough',
      STREAM_BASE_URL: standIn.url,
      MEETING_MESH_LIMIT: '2',
    },
  });
  w = await buildCallsWorld(t.app);
});
afterAll(async () => {
  await t?.close();
  await standIn?.stop();
});

describe('calls on Stream video (against a stand-in server)', () => {
  it('creates the Stream call with the conversation as its members, and answering hands out a Stream token for it', async () => {
    standIn.clear();
    const ringing = await startCall(t.app, w.alice, w.pairId);
    expect(ringing.provider).toBe('stream');
    const create = standIn.requests.find((request) => request.path === `/api/v2/video/call/default/${ringing.meetingId}`);
    expect(create?.body.data.members).toEqual(
      expect.arrayContaining([
        { user_id: w.alice.id, role: 'host' },
        { user_id: w.bob.id, role: 'call_member' },
      ]),
    );
    await ok(call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/accept`), 200);
    const joined = await ok(call(t.app, w.bob, 'POST', `/api/meetings/${ringing.meetingId}/join`), 200);
    expect(joined).toMatchObject({ provider: 'stream', callId: ringing.meetingId, userId: w.bob.id });
    await ok(call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/hang-up`), 200);
  });

  it('ends the Stream call when nobody answers', async () => {
    const ringing = await startCall(t.app, w.alice, w.pairId);
    standIn.clear();
    const declined = await ok<Call>(call(t.app, w.bob, 'POST', `/api/calls/${ringing.id}/decline`), 200);
    expect(declined.outcome).toBe('declined');
    expect(standIn.requests.map((request) => `${request.method} ${request.path}`)).toContain(`POST /api/v2/video/call/default/${ringing.meetingId}/mark_ended`);
  });

  it("is not held to the built-in video's size: a group larger than MEETING_MESH_LIMIT can be called", async () => {
    const ringing = await startCall(t.app, w.alice, w.groupId);
    expect(ringing.members).toHaveLength(3);
    await ok(call(t.app, w.alice, 'POST', `/api/calls/${ringing.id}/cancel`), 200);
  });
});
