import { createHmac } from 'node:crypto';
import { decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import { createMeetingsWorld, expectStatus, type MeetingsWorld } from './meetings-world.js';
import { StreamStandIn } from './stream-stand-in.js';

const API_KEY = 'collaro-test-key';
const API_SECRET = 'collaro-test-secret-that-is-long-enough';
const secretKey = new TextEncoder().encode(API_SECRET);

let standIn: StreamStandIn;
let t: TestApp;
let w: MeetingsWorld;
const clockMs = Date.parse('2031-01-01T09:00:00Z');

beforeAll(async () => {
  standIn = new StreamStandIn();
  await standIn.start();
  t = await createTestApp({
    env: { PUBLIC_URL: 'https://collaro.example.com', STREAM_API_KEY: API_KEY, STREAM_API_SECRET: API_SECRET, STREAM_BASE_URL: standIn.url },
    clock: () => clockMs,
  });
  w = await createMeetingsWorld(t.app);
});
afterAll(async () => {
  await t?.close();
  await standIn?.stop();
});
beforeEach(() => {
  standIn.clear();
  standIn.respond = () => undefined;
});

/** Every call the backend makes to Stream authenticates as the server with the app's key. */
async function expectServerAuth(request: { query: URLSearchParams; headers: Record<string, unknown> }) {
  expect(request.query.get('api_key')).toBe(API_KEY);
  const token = String(request.headers.authorization);
  const { payload } = await jwtVerify(token, secretKey, { algorithms: ['HS256'] });
  expect(payload.server).toBe(true);
}

async function createScheduled() {
  standIn.clear();
  const meeting = await expectStatus(
    call(t.app, w.host, 'POST', '/api/meetings', {
      orgId: w.orgId,
      title: 'Launch review',
      startsAt: '2031-01-01T10:00:00Z',
      inviteeIds: [w.invitee.id],
    }),
    201,
  );
  return meeting;
}

function signedWebhook(payload: string, secret = API_SECRET) {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

async function postWebhook(payload: string, signature: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/webhooks/stream',
    headers: { 'content-type': 'application/json', 'x-signature': signature, 'x-api-key': API_KEY },
    payload,
  });
}

describe('Stream provider (contract, against a stand-in server)', () => {
  it('tells clients Stream is on', async () => {
    const config = await call(t.app, null, 'GET', '/api/config');
    expect(config.body).toMatchObject({ video: 'stream', streamApiKey: API_KEY });
  });

  it('upserts host and invitees, then creates the call with creator, start, members and custom data', async () => {
    const meeting = await createScheduled();
    expect(meeting.provider).toBe('stream');
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v2/users', `POST /api/v2/video/call/default/${meeting.id}`]);
    const [upsert, create] = standIn.requests;
    for (const request of standIn.requests) await expectServerAuth(request);
    expect(upsert!.body).toEqual({
      users: {
        [w.host.id]: { id: w.host.id, name: 'Hal Host' },
        [w.invitee.id]: { id: w.invitee.id, name: 'Ivy Invitee' },
      },
    });
    expect(create!.body.data.created_by_id).toBe(w.host.id);
    expect(new Date(create!.body.data.starts_at).toISOString()).toBe('2031-01-01T10:00:00.000Z');
    expect(create!.body.data.custom).toEqual({ meetingId: meeting.id, orgId: w.orgId });
    expect(create!.body.data.members).toEqual(
      expect.arrayContaining([
        { user_id: w.host.id, role: 'host' },
        { user_id: w.invitee.id, role: 'call_member' },
      ]),
    );
    expect(create!.body.data.members).toHaveLength(2);
  });

  it('upserts a joining user before making them a member, and hands out a token that verifies and lasts at most an hour', async () => {
    const meeting = await createScheduled();
    standIn.clear();
    const joined = await expectStatus(call(t.app, w.invitee, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v2/users', `POST /api/v2/video/call/default/${meeting.id}/members`]);
    expect(standIn.requests[0]!.body).toEqual({ users: { [w.invitee.id]: { id: w.invitee.id, name: 'Ivy Invitee' } } });
    expect(standIn.requests[1]!.body).toEqual({ update_members: [{ user_id: w.invitee.id, role: 'call_member' }] });
    expect(joined).toMatchObject({
      provider: 'stream',
      apiKey: API_KEY,
      callType: 'default',
      callId: meeting.id,
      userId: w.invitee.id,
      isHost: false,
    });
    const { payload } = await jwtVerify(joined.token, secretKey, {
      algorithms: ['HS256'],
      currentDate: new Date(clockMs + 1000),
    });
    expect(payload.user_id).toBe(w.invitee.id);
    expect(payload.iat).toBe(Math.floor(clockMs / 1000));
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(3600);
    expect(joined.tokenExpiresAt).toBe(payload.exp);
    // A token signed with another secret must not pass, or the check above proves nothing.
    await expect(jwtVerify(joined.token, new TextEncoder().encode('another-secret'), { currentDate: new Date(clockMs) })).rejects.toThrow();
    await expect(jwtVerify(joined.token, secretKey, { currentDate: new Date(clockMs + 3601 * 1000) })).rejects.toThrow(/exp/);
    expect(decodeJwt(joined.token).user_id).toBe(w.invitee.id);
  });

  it("lets a meeting's guest in as a Stream user of their own, with a token for that one call as a call member", async () => {
    const meeting = await createScheduled();
    await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    const link = await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${meeting.id}/guest-links`), 201);
    const entry = await expectStatus(call(t.app, null, 'POST', `/api/guest-links/${link.token}/guests`, { name: 'Gus Guest' }), 201);
    const guest = { headers: { authorization: `Bearer ${entry.token}` } };
    const streamUserId = `guest-${entry.guestId}`;
    standIn.clear();

    const joined = await expectStatus(call(t.app, guest, 'POST', '/api/guest/join'), 200);
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v2/users', `POST /api/v2/video/call/default/${meeting.id}/members`]);
    for (const request of standIn.requests) await expectServerAuth(request);
    // Stream's guest role, under an id no member can have: the organization's people stay apart at Stream.
    expect(standIn.requests[0]!.body).toEqual({ users: { [streamUserId]: { id: streamUserId, name: 'Gus Guest', role: 'guest' } } });
    expect(standIn.requests[1]!.body).toEqual({ update_members: [{ user_id: streamUserId, role: 'call_member' }] });
    expect(joined).toEqual({
      provider: 'stream',
      meetingId: meeting.id,
      apiKey: API_KEY,
      token: expect.any(String),
      tokenExpiresAt: expect.any(Number),
      userId: streamUserId,
      callType: 'default',
      callId: meeting.id,
      isHost: false,
    });
    const { payload } = await jwtVerify(joined.token, secretKey, { algorithms: ['HS256'], currentDate: new Date(clockMs + 1000) });
    // A call token: Stream lets it into this call and no other.
    expect(payload).toMatchObject({ user_id: streamUserId, call_cids: [`default:${meeting.id}`], role: 'call_member', iat: Math.floor(clockMs / 1000) });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(3600);
    expect(joined.tokenExpiresAt).toBe(payload.exp);
    await expect(jwtVerify(joined.token, new TextEncoder().encode('another-secret'), { currentDate: new Date(clockMs) })).rejects.toThrow();

    // A member's token stays a user token for their own id.
    const member = await expectStatus(call(t.app, w.invitee, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    expect(decodeJwt(member.token)).not.toHaveProperty('call_cids');
    expect(member.userId).toBe(w.invitee.id);

    // Once the meeting is over the guest gets nothing more from Stream.
    await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${meeting.id}/end`), 200);
    standIn.clear();
    expect((await call(t.app, guest, 'POST', '/api/guest/join')).status).toBe(401);
    expect(standIn.requests).toEqual([]);
  });

  it('opens the meeting chat to each member who joins the Stream call, and only to them', async () => {
    const meeting = await createScheduled();
    const meetingChat = async (user: typeof w.host) => {
      const list = await expectStatus(call(t.app, user, 'GET', `/api/orgs/${w.orgId}/channels`), 200);
      return list.channels.find((channel: { kind: string; meetingId?: string | null }) => channel.kind === 'meeting' && channel.meetingId === meeting.id);
    };
    expect(await meetingChat(w.invitee)).toBeUndefined();
    await expectStatus(call(t.app, w.invitee, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    const chat = await meetingChat(w.invitee);
    expect(chat).toMatchObject({ kind: 'meeting', meetingId: meeting.id, name: 'Launch review' });
    await expectStatus(
      call(t.app, w.invitee, 'POST', `/api/channels/${chat.id}/messages`, { clientId: crypto.randomUUID(), body: 'Can you all hear me?' }),
      201,
    );
    // The host has not joined the call yet: the chat is not theirs until they do.
    expect(await meetingChat(w.host)).toBeUndefined();
    await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    const history = await expectStatus(call(t.app, w.host, 'GET', `/api/channels/${chat.id}/messages`), 200);
    expect(history.messages.map((message: { body: string }) => message.body)).toEqual(['Can you all hear me?']);
  });

  it('moves the call at Stream when the meeting is rescheduled', async () => {
    const meeting = await createScheduled();
    standIn.clear();
    await expectStatus(call(t.app, w.host, 'PATCH', `/api/meetings/${meeting.id}`, { startsAt: '2031-01-02T08:00:00Z' }), 200);
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /api/v2/video/call/default/${meeting.id}`]);
    expect(new Date(standIn.requests[0]!.body.starts_at).toISOString()).toBe('2031-01-02T08:00:00.000Z');
    await expectServerAuth(standIn.requests[0]!);
  });

  it('ends the call through the SDK', async () => {
    const meeting = await createScheduled();
    await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    standIn.clear();
    const ended = await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${meeting.id}/end`), 200);
    expect(ended.status).toBe('ended');
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /api/v2/video/call/default/${meeting.id}/mark_ended`]);
    await expectServerAuth(standIn.requests[0]!);
  });

  it('lists recordings from Stream for people who may see the meeting', async () => {
    const meeting = await createScheduled();
    standIn.clear();
    const list = await expectStatus(call(t.app, w.invitee, 'GET', `/api/meetings/${meeting.id}/recordings`), 200);
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v2/video/call/default/${meeting.id}/recordings`]);
    expect(list.recordings).toEqual([
      {
        filename: 'standup.mp4',
        url: 'https://cdn.stream.example/standup.mp4',
        startTime: '2031-01-01T10:00:00.000Z',
        endTime: '2031-01-01T10:30:00.000Z',
      },
    ]);
    expect((await call(t.app, w.outsider, 'GET', `/api/meetings/${meeting.id}/recordings`)).status).toBe(404);
  });

  it('answers 503 when Stream refuses, without creating a half-made call', async () => {
    standIn.respond = () => ({ status: 500, body: { code: 0, message: 'boom', StatusCode: 500, duration: '1ms' } });
    const response = await call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Doomed', startsAt: '2031-01-01T10:00:00Z' });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('service_unavailable');
    const rows = await t.database.db.query.meetings.findMany();
    expect(rows.filter((row) => row.title === 'Doomed')).toEqual([]);
  });
});

describe('Stream webhook', () => {
  it('verifies the signature over the raw body and follows the call through its session', async () => {
    const meeting = await createScheduled();
    const cid = `default:${meeting.id}`;
    const status = async () => (await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/${meeting.id}`), 200)).status;

    // Spacing that JSON.stringify(JSON.parse(body)) would not reproduce: only the raw bytes verify.
    const started = `{ "type": "call.session_started",  "call_cid": "${cid}", "created_at": "2031-01-01T08:59:01Z" }`;
    const ok = await postWebhook(started, signedWebhook(started));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ result: 'applied' });
    expect(await status()).toBe('live');

    const ended = JSON.stringify({ type: 'call.session_ended', call_cid: cid, created_at: '2031-01-01T08:59:30Z' });
    expect((await postWebhook(ended, signedWebhook(ended, 'wrong-secret'))).statusCode).toBe(401);
    expect(await status()).toBe('live');
    const tampered = ended.replace('session_ended', 'session_started');
    expect((await postWebhook(tampered, signedWebhook(ended))).statusCode).toBe(401);
    const unsigned = await t.app.inject({ method: 'POST', url: '/api/webhooks/stream', headers: { 'content-type': 'application/json' }, payload: ended });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().error.message).toContain('X-Signature');

    expect((await postWebhook(ended, signedWebhook(ended))).json()).toEqual({ result: 'applied' });
    expect(await status()).toBe('ended');

    const ready = JSON.stringify({ type: 'call.recording_ready', call_cid: cid, call_recording: { filename: 'a.mp4' }, created_at: '2031-01-01T08:59:40Z' });
    expect((await postWebhook(ready, signedWebhook(ready))).json()).toEqual({ result: 'applied' });
    const rows = await t.database.db.query.meetings.findMany();
    expect(rows.find((row) => row.id === meeting.id)?.recordingReadyAt).toBeInstanceOf(Date);
  });

  it('ignores events for calls Collaro does not know and rejects bodies that are not events', async () => {
    const at = '2031-01-01T08:59:50Z';
    const unknown = JSON.stringify({ type: 'call.session_started', call_cid: 'default:6f1e1a52-4a34-4c1b-9a53-0d3c1a2b3c4d', created_at: at });
    expect((await postWebhook(unknown, signedWebhook(unknown))).json()).toEqual({ result: 'ignored' });
    const other = JSON.stringify({ type: 'user.updated', created_at: at });
    expect((await postWebhook(other, signedWebhook(other))).json()).toEqual({ result: 'ignored' });
    const notJson = 'not json';
    expect((await postWebhook(notJson, signedWebhook(notJson))).statusCode).toBe(400);
    const noType = JSON.stringify({ call_cid: 'default:x', created_at: at });
    const invalid = await postWebhook(noType, signedWebhook(noType));
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().error.message).toContain('body.type');
  });
});
