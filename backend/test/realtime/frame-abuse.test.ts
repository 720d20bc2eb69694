import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_BODY_MAX_LENGTH, RESUME_MAX_CHANNELS, WS_CLOSE_CODES } from '@collaro/shared';
import { postMessage } from '../../src/modules/chat/repository.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { buildChatWorld, listenOnFreePort, TestSocket, type ChatWorld } from './realtime-world.js';

/**
 * One ordinary account doing the most expensive things a frame allows. Each case used to cost the
 * server work in proportion to what the attacker wrote into a single frame (or to how many frames it
 * queued), enough for one account to stall the embedded server for everyone.
 */
describe('work one connection can cause', () => {
  let test: TestApp;
  let world: ChatWorld;
  let url: string;
  const sockets: TestSocket[] = [];
  const track = (socket: TestSocket) => {
    sockets.push(socket);
    return socket;
  };
  const seeded = 130;

  beforeAll(async () => {
    test = await createTestApp();
    world = await buildChatWorld(test.app);
    url = await listenOnFreePort(test.app);
    for (let i = 0; i < seeded; i += 1) {
      await postMessage(test.app.db, {
        channel: { id: world.channelId, orgId: world.orgId },
        authorId: world.alice.id,
        clientId: randomUUID(),
        // Long enough that replaying the channel once spends a connection's whole replay budget.
        body: `history ${i} ${'x'.repeat(MESSAGE_BODY_MAX_LENGTH - 20)}`,
        mentions: [],
      });
    }
  });
  afterEach(async () => {
    const open = sockets.splice(0);
    for (const socket of open) socket.close();
    await Promise.all(open.map((socket) => socket.closed));
  });
  afterAll(async () => {
    await test.close();
  });

  it('replays a channel once however often a resume frame repeats it', async () => {
    const socket = track(await TestSocket.signedIn(url, world.bob));
    const repeated = Array.from({ length: RESUME_MAX_CHANNELS }, () => ({ channelId: world.channelId, afterEventSeq: 0 }));
    const frame = JSON.stringify({ type: 'resume', channels: repeated });
    // About 7 KB: this frame used to replay the channel's history once per entry (13,000 messages of 16 KB).
    expect(frame.length).toBeGreaterThan(6_000);
    socket.sendRaw(frame);
    const resumed = await socket.next('resumed', () => true, 20_000);
    expect(resumed.channels).toEqual([{ channelId: world.channelId, replayed: seeded, refetch: false }]);
    const replayed = socket.frames.flatMap((f) => (f.type === 'chat.message' ? [f.message.eventSeq] : []));
    expect(replayed).toEqual(Array.from({ length: seeded }, (_, i) => i + 1));
  }, 30_000);

  it('answers a resume frame of unknown channels with one error, not one per entry', async () => {
    const socket = track(await TestSocket.signedIn(url, world.bob));
    const unknown = Array.from({ length: RESUME_MAX_CHANNELS }, () => ({ channelId: randomUUID(), afterEventSeq: 0 }));
    socket.send({ type: 'resume', channels: unknown });
    const resumed = await socket.next('resumed', () => true, 20_000);
    expect(resumed.channels).toEqual([]);
    const errors = socket.frames.filter((f) => f.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'not_found', ref: { type: 'resume' } });
  }, 30_000);

  it('refuses a resume frame over the cap with one error frame and stays open', async () => {
    const socket = track(await TestSocket.signedIn(url, world.bob));
    const tooMany = Array.from({ length: RESUME_MAX_CHANNELS + 1 }, () => ({ channelId: randomUUID(), afterEventSeq: 0 }));
    socket.send({ type: 'resume', channels: tooMany });
    const error = await socket.next('error');
    expect(error).toMatchObject({ code: 'invalid_frame', ref: { type: 'resume' } });
    expect(error.message).toContain('channels');
    expect(await socket.receives('resumed')).toBe(false);
    socket.send({ type: 'ping', nonce: 'still-here' });
    await socket.next('pong');
  });

  it('tells a client whose frames pile up past the bound, then disconnects it', async () => {
    const socket = track(await TestSocket.signedIn(url, world.carol));
    // The first resume spends the connection's replay budget; the ones after it wait for budget to
    // come back, and every frame sent meanwhile piles up behind them.
    const heavy = JSON.stringify({ type: 'resume', channels: [{ channelId: world.channelId, afterEventSeq: 0 }] });
    const added = await test.app.inject({
      method: 'POST',
      url: `/api/teams/${world.teamId}/members`,
      headers: world.admin.headers,
      payload: { userId: world.carol.id },
    });
    expect(added.statusCode).toBe(201);
    await socket.next('channel.added');
    const limits = test.app.realtime.limits;
    const started = Date.now();
    let sent = 0;
    while (socket.isOpen && Date.now() - started < 40_000) {
      socket.sendRaw(heavy);
      sent += 1;
      // Just under the frame rate limit, so the rate limiter never refuses them: only the queue bound can.
      await new Promise((resolve) => setTimeout(resolve, 1000 / (limits.ratePerSecond - 2)));
    }
    const closed = await socket.closed;
    expect(closed.code).toBe(WS_CLOSE_CODES.backlog);
    const told = socket.frames.find((f) => f.type === 'error' && f.code === 'rate_limited' && /waiting/.test(f.message));
    expect(told).toBeDefined();
    expect(sent).toBeGreaterThan(limits.maxQueuedFrames);
    // Everyone else is still served.
    const other = track(await TestSocket.signedIn(url, world.alice));
    other.send({ type: 'ping' });
    await other.next('pong');
  }, 60_000);

  it('stops reading a client that keeps sending after being told to slow down, then serves it again', async () => {
    const socket = track(await TestSocket.signedIn(url, world.alice));
    const limits = test.app.realtime.limits;
    const flood = limits.rateBurst + limits.maxRejectedFrames + 500;
    for (let i = 0; i < flood; i += 1) socket.send({ type: 'ping', nonce: `flood ${i}` });
    const heldBack = await socket.next('error', (f) => f.code === 'rate_limited' && /no more are read/.test(f.message), 10_000);
    expect(heldBack.retryAfterMs).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // The server answered a bounded number of frames, not one per frame of the flood.
    const answered = socket.frames.length;
    expect(answered).toBeLessThanOrEqual(limits.rateBurst + limits.maxRejectedFrames + 2 * limits.ratePerSecond);
    expect(socket.isOpen).toBe(true);
    // Once the flood has drained, the connection is served as before.
    const nonce = 'after the flood';
    const deadline = Date.now() + 30_000;
    let served = false;
    while (!served && Date.now() < deadline) {
      socket.send({ type: 'ping', nonce });
      served = await socket.receives('pong', (f) => f.nonce === nonce, 1000);
    }
    expect(served).toBe(true);
  }, 60_000);
});
