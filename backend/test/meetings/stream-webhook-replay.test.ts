import { createHmac, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import { createMeetingsWorld, expectStatus, type MeetingsWorld } from './meetings-world.js';
import { StreamStandIn } from './stream-stand-in.js';

const API_KEY = 'collaro-replay-key';
const API_SECRET = 'collaro-replay-secret-that-is-long-enough';

let standIn: StreamStandIn;
let t: TestApp;
let w: MeetingsWorld;
/** The host's personal room: Stream sessions start and end in it again and again. */
let room: { id: string };
let clockMs = Date.parse('2031-06-01T09:00:00Z');
const iso = (offsetMs = 0) => new Date(clockMs + offsetMs).toISOString();

beforeAll(async () => {
  standIn = new StreamStandIn();
  await standIn.start();
  t = await createTestApp({
    env: { PUBLIC_URL: 'https://collaro.example.com', STREAM_API_KEY: API_KEY, STREAM_API_SECRET: API_SECRET, STREAM_BASE_URL: standIn.url },
    clock: () => clockMs,
  });
  w = await createMeetingsWorld(t.app);
  room = await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/personal-room?orgId=${w.orgId}`), 200);
});
afterAll(async () => {
  await t?.close();
  await standIn?.stop();
});

const sign = (body: string | Buffer) => createHmac('sha256', API_SECRET).update(body).digest('hex');

/** Posts a body as Stream does: signed over the JSON, sent gzip-compressed when `gzip` is set. */
async function deliver(json: string, options: { gzip?: boolean; webhookId?: string; signature?: string } = {}) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/webhooks/stream',
    headers: {
      'content-type': 'application/json',
      'x-signature': options.signature ?? sign(json),
      'x-api-key': API_KEY,
      'x-webhook-id': options.webhookId ?? randomUUID(),
      'x-webhook-attempt': '1',
      ...(options.gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    payload: options.gzip ? gzipSync(json) : json,
  });
  return { status: response.statusCode, body: response.json() };
}

const event = (type: string, meetingId: string, createdAt: string) => JSON.stringify({ type, call_cid: `default:${meetingId}`, created_at: createdAt });

/** Read from the database: the tests move the clock past the lifetime of access tokens. */
const statusOf = async (meetingId: string) => (await t.database.db.query.meetings.findFirst({ where: (m, { eq }) => eq(m.id, meetingId) }))?.status;

describe('Stream webhooks cannot be replayed', () => {
  it('a captured session_ended sent again does not end the next session, whatever X-Webhook-Id it carries', async () => {
    expect((await deliver(event('call.session_started', room.id, iso(-1000)))).body).toEqual({ result: 'applied' });
    expect(await statusOf(room.id)).toBe('live');
    const ended = event('call.session_ended', room.id, iso());
    expect((await deliver(ended)).body).toEqual({ result: 'applied' });
    expect(await statusOf(room.id)).not.toBe('live');

    // Two minutes later the host opens the room again.
    clockMs += 2 * 60_000;
    expect((await deliver(event('call.session_started', room.id, iso()))).body).toEqual({ result: 'applied' });
    expect(await statusOf(room.id)).toBe('live');

    // Stream's own retry (same id) and an attacker's copy (new id) are both recognised.
    expect(await deliver(ended)).toEqual({ status: 200, body: { result: 'duplicate' } });
    expect(await deliver(ended, { webhookId: 'forged-id' })).toEqual({ status: 200, body: { result: 'duplicate' } });
    expect(await statusOf(room.id)).toBe('live');

    // Much later, after the dedupe window: refused as stale.
    clockMs += 60 * 60_000;
    const late = await deliver(ended, { webhookId: 'forged-later' });
    expect(late.status).toBe(401);
    expect(late.body.error.message).toContain('minutes old');
    expect(await statusOf(room.id)).toBe('live');
  });

  it('refuses events dated years ago or far ahead, and events without a date', async () => {
    const ancient = await deliver(event('call.session_ended', room.id, '2019-03-01T10:00:00Z'));
    expect(ancient.status).toBe(401);
    const ahead = await deliver(event('call.session_ended', room.id, iso(60 * 60_000)));
    expect(ahead.status).toBe(401);
    expect(ahead.body.error.message).toContain('ahead');
    const undated = await deliver(JSON.stringify({ type: 'call.session_ended', call_cid: `default:${room.id}` }));
    expect(undated.status).toBe(422);
    expect(undated.body.error.message).toContain('body.created_at');
    expect(await statusOf(room.id)).toBe('live');
  });
});

describe('gzip-compressed Stream webhooks', () => {
  it('are inflated and verified against the uncompressed JSON', async () => {
    const ended = event('call.session_ended', room.id, iso(1000));
    expect(await deliver(ended, { gzip: true })).toEqual({ status: 200, body: { result: 'applied' } });
    expect(await statusOf(room.id)).not.toBe('live');
    // The compressed bytes are not what Stream signs.
    const started = event('call.session_started', room.id, iso(2000));
    const overCompressed = await deliver(started, { gzip: true, signature: sign(gzipSync(started)) });
    expect(overCompressed.status).toBe(401);
    // The same event again, uncompressed this time, is still the same delivery.
    expect((await deliver(ended)).body).toEqual({ result: 'duplicate' });
  });

  it('refuses a body that is not gzip after all, and one that would inflate past the body limit, before checking any signature', async () => {
    const broken = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not really gzip')]);
    const notGzip = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks/stream',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-signature': sign(broken) },
      payload: broken,
    });
    expect(notGzip.statusCode).toBe(400);
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const inflated = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks/stream',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-signature': 'a'.repeat(64) },
      payload: bomb,
    });
    expect(inflated.statusCode).toBe(413);
  });
});
