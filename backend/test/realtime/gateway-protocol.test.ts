import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CLIENT_FRAME_BYTES, WS_CLOSE_CODES } from '@collaro/shared';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../src/auth/local/access-tokens.js';
import { call, createTestApp, signUp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { buildChatWorld, listenOnFreePort, TestSocket, type ChatWorld } from './realtime-world.js';

describe('realtime gateway protocol', () => {
  let test: TestApp;
  let world: ChatWorld;
  let url: string;
  let clockOffsetMs = 0;
  const sockets: TestSocket[] = [];
  const track = (socket: TestSocket) => {
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    test = await createTestApp({ clock: () => Date.now() + clockOffsetMs });
    world = await buildChatWorld(test.app);
    url = await listenOnFreePort(test.app);
  });
  afterEach(async () => {
    const open = sockets.splice(0);
    for (const socket of open) socket.close();
    await Promise.all(open.map((socket) => socket.closed));
  });
  afterAll(async () => {
    await test.close();
  });

  it('closes with 4408 when no auth frame arrives within 5 seconds', async () => {
    const socket = track(await TestSocket.open(url));
    const started = Date.now();
    const closed = await socket.closed;
    expect(closed.code).toBe(WS_CLOSE_CODES.authTimeout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
  }, 10_000);

  it('closes with 4401 on a bad token, and answers frames sent before auth with an error', async () => {
    const early = track(await TestSocket.open(url));
    early.send({ type: 'ping' });
    expect((await early.next('error')).code).toBe('unauthorized');
    expect(early.isOpen).toBe(true);

    const forged = track(await TestSocket.open(url));
    forged.send({ type: 'auth', token: `${world.alice.accessToken.slice(0, -4)}AAAA` });
    expect((await forged.closed).code).toBe(WS_CLOSE_CODES.authFailed);
  });

  it('answers malformed, unknown and invalid frames with an error and keeps the connection open', async () => {
    const socket = track(await TestSocket.signedIn(url, world.alice));
    socket.sendRaw('{not json');
    expect(await socket.next('error')).toMatchObject({ code: 'malformed' });
    socket.sendRaw('[1,2,3]');
    expect(await socket.next('error')).toMatchObject({ code: 'malformed' });
    socket.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(await socket.next('error')).toMatchObject({ code: 'malformed' });
    socket.send({ type: 'chat.teleport', to: 'mars' });
    expect(await socket.next('error')).toMatchObject({ code: 'unknown_type', ref: { type: 'chat.teleport' } });
    const clientId = randomUUID();
    socket.send({ type: 'chat.send', clientId, channelId: 'not-a-uuid', body: '' });
    const invalid = await socket.next('error');
    expect(invalid).toMatchObject({ code: 'invalid_frame', ref: { type: 'chat.send', clientId } });
    expect(invalid.message).toContain('channelId');
    socket.send({ type: 'ping', nonce: 'still-here' });
    expect(await socket.next('pong')).toEqual({ type: 'pong', nonce: 'still-here' });
  });

  it('closes with 1009 on a frame over 64 KiB', async () => {
    const socket = track(await TestSocket.signedIn(url, world.alice));
    socket.send({ type: 'chat.send', clientId: randomUUID(), channelId: world.channelId, body: 'x'.repeat(MAX_CLIENT_FRAME_BYTES) });
    expect((await socket.closed).code).toBe(WS_CLOSE_CODES.messageTooBig);
    const history = await call(test.app, world.alice, 'GET', `/api/channels/${world.channelId}/messages`);
    expect(history.body.messages).toHaveLength(0);
    const healthy = track(await TestSocket.signedIn(url, world.alice));
    healthy.send({ type: 'ping' });
    await healthy.next('pong');
  });

  it('answers a client sending too fast with rate_limited and keeps serving it afterwards', async () => {
    // The frame budget is the user's, shared by all their connections: someone who has not sent
    // anything yet starts with the whole burst, whatever the tests before this one spent.
    const sender = await signUp(test.app, 'Fast Typist');
    const socket = track(await TestSocket.signedIn(url, sender));
    for (let i = 0; i < 100; i += 1) socket.send({ type: 'ping', nonce: String(i) });
    const limited = await socket.next('error', (f) => f.code === 'rate_limited');
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const pongs = socket.frames.filter((f) => f.type === 'pong').length;
    const rejections = socket.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited').length + 1;
    expect(pongs).toBeGreaterThanOrEqual(test.app.realtime.limits.rateBurst - 1);
    expect(pongs).toBeLessThan(100);
    expect(pongs + rejections).toBe(100);
    await new Promise((resolve) => setTimeout(resolve, limited.retryAfterMs! + 100));
    socket.send({ type: 'ping', nonce: 'after' });
    expect(await socket.next('pong', (f) => f.nonce === 'after')).toBeDefined();
    expect(socket.isOpen).toBe(true);
  });

  it('tells a rate-limited chat.send which client id to retry', async () => {
    const socket = track(await TestSocket.signedIn(url, world.bob));
    // Cheap frames spend the budget first, so the messages behind them are refused whatever the server's pace.
    for (let i = 0; i < test.app.realtime.limits.rateBurst + 5; i += 1) socket.send({ type: 'ping' });
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const clientId of ids) socket.send({ type: 'chat.send', clientId, channelId: world.channelId, body: 'burst' });
    const limited = await socket.next('error', (f) => f.code === 'rate_limited' && f.ref?.type === 'chat.send');
    expect(ids).toContain(limited.ref?.clientId);
  });

  it('closes with 4419 when the token expires, unless the client re-authenticates in time', async () => {
    clockOffsetMs = -(ACCESS_TOKEN_TTL_SECONDS - 2) * 1000;
    let expiring: SignedInUser;
    try {
      expiring = await signUp(test.app, 'Expiring');
    } finally {
      clockOffsetMs = 0;
    }
    const lapsing = track(await TestSocket.open(url));
    lapsing.send({ type: 'auth', token: expiring.accessToken });
    const ready = await lapsing.next('ready');
    expect(ready.expiresAt * 1000 - Date.now()).toBeLessThan(3000);

    const renewing = track(await TestSocket.open(url));
    renewing.send({ type: 'auth', token: expiring.accessToken });
    await renewing.next('ready');
    const refreshed = await call(test.app, null, 'POST', '/api/auth/refresh', { refreshToken: expiring.refreshToken });
    expect(refreshed.status).toBe(200);
    renewing.send({ type: 'auth', token: refreshed.body.accessToken });
    const again = await renewing.next('ready');
    expect(again).toMatchObject({ reauthenticated: true, userId: expiring.id });

    expect((await lapsing.closed).code).toBe(WS_CLOSE_CODES.tokenExpired);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(renewing.isOpen).toBe(true);
    renewing.send({ type: 'auth', token: world.bob.accessToken });
    expect((await renewing.closed).code).toBe(WS_CLOSE_CODES.userMismatch);
  }, 15_000);

  it('disconnects a client that stops reading instead of buffering without bound', async () => {
    const slow = track(await TestSocket.signedIn(url, world.carol));
    const steady = track(await TestSocket.signedIn(url, world.bob));
    const rawSocket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    rawSocket.pause();
    const bulky = { type: 'typing.update', channelId: world.channelId, userId: world.carol.id } as const;
    const before = test.app.realtime.connectionCount();
    const padding = 'x'.repeat(60_000);
    for (let i = 0; i < 400 && test.app.realtime.connectionCount() === before; i += 1) {
      test.app.realtime.sendToUsers([world.carol.id], { type: 'error', code: 'internal', message: padding });
      await new Promise((resolve) => setImmediate(resolve));
    }
    test.app.realtime.sendToUsers([world.carol.id, world.bob.id], bulky);
    await steady.next('typing.update');
    expect(test.app.realtime.connectionCount()).toBe(before - 1);
    rawSocket.resume();
    const closed = await slow.closed;
    expect([WS_CLOSE_CODES.slowConsumer, 1006]).toContain(closed.code);
    expect(steady.isOpen).toBe(true);
  }, 20_000);
});
