import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { coreClientFrames, meetingClientFrames, MAX_CLIENT_FRAME_BYTES, ServerFrameSchema, type ServerFrame } from '@collaro/shared';
import { call, createTestApp, signUp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { controlLacedText, REFUSED_IN_MULTI_LINE } from './control-text.js';

/**
 * Throws generated frames of every client frame type, and garbage, at a live gateway. Whatever
 * arrives, the server answers only with valid server frames, keeps the connection open, keeps
 * serving it, and leaves channels the sender cannot reach untouched.
 */

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 200);

let testApp: TestApp;
let url: string;
let attacker: SignedInUser;
let victim: SignedInUser;
let ownChannelId: string;
let victimChannelId: string;
let victimOrgId: string;
let ownMessageId: string;
/** Client ids of generated chat.send frames whose body the text rules refuse. */
const refusedClientIds = new Set<string>();

async function firstChannel(user: SignedInUser, orgId: string) {
  const response = await call(testApp.app, user, 'GET', `/api/orgs/${orgId}/channels`);
  return response.body.channels[0].id as string;
}

beforeAll(async () => {
  testApp = await createTestApp();
  await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  url = `ws://127.0.0.1:${(testApp.app.server.address() as { port: number }).port}/ws`;
  attacker = await signUp(testApp.app, 'Attacker');
  victim = await signUp(testApp.app, 'Victim');
  const ownOrg = (await call(testApp.app, attacker, 'POST', '/api/orgs', { name: 'Fuzzers' })).body;
  await call(testApp.app, attacker, 'POST', `/api/orgs/${ownOrg.id}/teams`, { name: 'Noise' });
  const victimOrg = (await call(testApp.app, victim, 'POST', '/api/orgs', { name: 'Quiet' })).body;
  await call(testApp.app, victim, 'POST', `/api/orgs/${victimOrg.id}/teams`, { name: 'Private' });
  victimOrgId = victimOrg.id;
  ownChannelId = await firstChannel(attacker, ownOrg.id);
  victimChannelId = await firstChannel(victim, victimOrg.id);
  ownMessageId = (await call(testApp.app, attacker, 'POST', `/api/channels/${ownChannelId}/messages`, { clientId: randomUUID(), body: 'target' })).body.message
    .id;
});
afterAll(() => testApp.close());

class Client {
  readonly frames: ServerFrame[] = [];
  readonly invalid: string[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      const parsed = ServerFrameSchema.safeParse(JSON.parse(text));
      if (parsed.success) this.frames.push(parsed.data);
      else this.invalid.push(text.slice(0, 300));
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async connect(token: string) {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const client = new Client(socket);
    socket.send(JSON.stringify({ type: 'auth', token }));
    await client.waitFor((frame) => frame.type === 'ready');
    return client;
  }

  async waitFor(predicate: (frame: ServerFrame) => boolean, timeoutMs = 5000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(predicate);
      if (found) return found;
      if (this.closed) throw new Error(`connection closed ${this.closed.code} ${this.closed.reason}`);
      if (Date.now() > deadline) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** A ping answered proves the connection is open and its frames are still being served. */
  async alive() {
    const nonce = randomUUID();
    // The rate limit may have been reached by the fuzzing: wait for the bucket to refill.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      this.socket.send(JSON.stringify({ type: 'ping', nonce }));
      try {
        return await this.waitFor((frame) => frame.type === 'pong' && frame.nonce === nonce, 1000);
      } catch (error) {
        if (this.closed) throw error;
      }
    }
    throw new Error('no pong');
  }
}

// `auth` is left out: a failed (re-)authentication rightly closes the connection with 4401,
// which the gateway's own tests assert; every other frame must leave the connection open.
const clientFrameShapes = [...coreClientFrames, ...meetingClientFrames]
  .map((schema) => ({
    type: (schema.shape.type as { value: string }).value,
    fields: Object.keys(schema.shape).filter((key) => key !== 'type'),
  }))
  .filter((shape) => shape.type !== 'auth');

function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc
      .constantFrom(
        () => ownChannelId,
        () => victimChannelId,
        () => victimOrgId,
        () => victim.id,
        () => attacker.id,
      )
      .map((get) => get()),
    fc.uuid(),
    fc.string({ maxLength: 50 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(-1, 0, 2 ** 53, 1e308, '', '\u0000', '\ud800', 'a'.repeat(20_000), '<img src=x onerror=alert(1)>'),
    controlLacedText,
    fc.array(fc.record({ channelId: fc.uuid(), afterEventSeq: fc.integer() }), { maxLength: 5 }),
  );
}

/** Well-formed chat frames on the sender's own channel and message, with control characters in their text. */
const lacedChatFrame: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.uuid(), controlLacedText).map(([clientId, body]) => {
    if (REFUSED_IN_MULTI_LINE.test(body)) refusedClientIds.add(clientId);
    return JSON.stringify({ type: 'chat.send', clientId, channelId: ownChannelId, body });
  }),
  fc.tuple(fc.uuid(), controlLacedText).map(([clientId, body]) => JSON.stringify({ type: 'chat.edit', clientId, messageId: ownMessageId, body })),
  fc.tuple(fc.uuid(), controlLacedText).map(([clientId, emoji]) => JSON.stringify({ type: 'chat.react', clientId, messageId: ownMessageId, emoji, add: true })),
);

const frameText: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 3, arbitrary: lacedChatFrame },
  {
    weight: 8,
    arbitrary: fc
      .constantFrom(...clientFrameShapes)
      .chain((shape) =>
        fc
          .dictionary(fc.constantFrom(...(shape.fields.length ? shape.fields : ['x'])), hostileValue(), { maxKeys: shape.fields.length + 1 })
          .map((fields) => JSON.stringify({ ...fields, type: shape.type })),
      ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{',
      'null',
      '[]',
      '"type"',
      JSON.stringify({ type: 'chat.send' }),
      JSON.stringify({ type: 'nope.unknown' }),
      JSON.stringify({ type: 'rtc.signal', meetingId: randomUUID(), to: randomUUID(), signal: { kind: 'offer', sdp: 'x'.repeat(40_000) } }),
      JSON.stringify({ type: '__proto__', __proto__: { polluted: true } }),
      `${'['.repeat(3000)}${']'.repeat(3000)}`,
      'x'.repeat(MAX_CLIENT_FRAME_BYTES - 10),
    ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 100 }).map((bytes) => Buffer.from(bytes)) },
);

describe('fuzzing WebSocket frames', () => {
  it('answers any frame with valid server frames, stays open, and touches no channel it may not', { timeout: 300_000 }, async () => {
    const before = await call(testApp.app, victim, 'GET', `/api/channels/${victimChannelId}/messages?limit=100`);
    const client = await Client.connect(attacker.accessToken);
    const samples = fc.sample(frameText, { numRuns: FRAMES, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) });
    for (const [index, frame] of samples.entries()) {
      client.socket.send(frame);
      // Stay near the per-connection rate so most frames are processed rather than refused.
      if (index % 10 === 9) await client.alive();
      expect(client.closed, `closed after frame ${index}: ${String(frame).slice(0, 200)}`).toBeUndefined();
    }
    await client.alive();

    expect(client.invalid, 'the server sent frames that break its own contract').toEqual([]);
    const errors = client.frames.filter((frame) => frame.type === 'error');
    expect(errors.length).toBeGreaterThan(0);
    // A frame the server cannot handle is the client's error (named) or a bug: never `internal`.
    expect(errors.filter((frame) => frame.code === 'internal')).toEqual([]);
    const acked = client.frames.flatMap((frame) => (frame.type === 'chat.ack' ? [frame.clientId] : []));
    expect(
      acked.filter((clientId) => refusedClientIds.has(clientId)),
      'stored a body the text rules refuse',
    ).toEqual([]);

    // Still fully usable: a real message is stored and acknowledged.
    const clientId = randomUUID();
    client.socket.send(JSON.stringify({ type: 'chat.send', clientId, channelId: ownChannelId, body: 'still here' }));
    await client.waitFor((frame) => frame.type === 'chat.ack' && frame.clientId === clientId);

    const after = await call(testApp.app, victim, 'GET', `/api/channels/${victimChannelId}/messages?limit=100`);
    expect(after.body).toEqual(before.body);
    expect((await testApp.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    client.socket.close();
  });
});
