import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_CLOSE_CODES } from '@collaro/shared';
import { generateSigningKey } from '../../src/auth/local/signing-keys.js';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { buildChatWorld, listenOnFreePort, TestSocket, type ChatWorld } from './realtime-world.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A second session of the same person, as another device signing in would start. */
async function signInAgain(test: TestApp, user: SignedInUser): Promise<SignedInUser> {
  const response = await call(test.app, null, 'POST', '/api/auth/login', { email: user.email, password: 'correct horse battery' });
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  return {
    ...user,
    accessToken: response.body.accessToken,
    refreshToken: response.body.refreshToken,
    headers: { authorization: `Bearer ${response.body.accessToken}` },
  };
}

/** Ends the session the way a thief's replay does: the rotated refresh token comes back after its replacement was used. */
async function replayRefreshToken(test: TestApp, user: SignedInUser) {
  const refresh = (refreshToken: string) => test.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
  const rotated = await refresh(user.refreshToken);
  expect(rotated.statusCode).toBe(200);
  expect((await refresh(rotated.json().refreshToken)).statusCode).toBe(200);
  expect((await refresh(user.refreshToken)).statusCode).toBe(401);
}

async function closedWithin(socket: TestSocket, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms)));
  try {
    return await Promise.race([socket.closed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The socket still works both ways: its own ping is answered and it hears the channel. */
async function stillConnected(socket: TestSocket, poster: TestSocket, channelId: string) {
  const nonce = randomUUID();
  socket.send({ type: 'ping', nonce });
  await socket.next('pong', (frame) => frame.nonce === nonce);
  const clientId = randomUUID();
  poster.send({ type: 'chat.send', clientId, channelId, body: 'still there?' });
  await socket.next('chat.message', (frame) => frame.message.clientId === clientId);
}

function revocationSuite(name: string, setUp: () => Promise<{ revoker: TestApp; socketUrl: string; world: ChatWorld; close(): Promise<void> }>) {
  describe(name, () => {
    let env: Awaited<ReturnType<typeof setUp>>;
    const sockets: TestSocket[] = [];
    const connect = async (user: SignedInUser) => {
      const socket = await TestSocket.signedIn(env.socketUrl, user);
      sockets.push(socket);
      return socket;
    };

    beforeAll(async () => {
      env = await setUp();
    });
    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await Promise.all(sockets.map((socket) => socket.closed));
      await env?.close();
    });

    it('closes the socket of a logged-out session with 4401; the same user on another device stays connected', async () => {
      const phone = await signInAgain(env.revoker, env.world.alice);
      const laptop = await signInAgain(env.revoker, env.world.alice);
      const onPhone = await connect(phone);
      const onLaptop = await connect(laptop);
      const bob = await connect(env.world.bob);

      expect((await call(env.revoker.app, phone, 'POST', '/api/auth/logout')).status).toBe(204);

      expect((await closedWithin(onPhone, 2_000)).code).toBe(WS_CLOSE_CODES.authFailed);
      // Nothing it sends reaches anyone any more.
      expect(onPhone.isOpen).toBe(false);
      await stillConnected(onLaptop, bob, env.world.channelId);
      // Its access token is dead on a new socket too.
      const again = await TestSocket.open(env.socketUrl);
      sockets.push(again);
      again.send({ type: 'auth', token: phone.accessToken });
      expect((await closedWithin(again, 2_000)).code).toBe(WS_CLOSE_CODES.authFailed);
    });

    it('closes the socket of a session revoked by a replayed refresh token with 4401; other sessions stay connected', async () => {
      const stolen = await signInAgain(env.revoker, env.world.bob);
      const other = await signInAgain(env.revoker, env.world.bob);
      const onStolen = await connect(stolen);
      const onOther = await connect(other);
      const alice = await connect(env.world.alice);

      await replayRefreshToken(env.revoker, stolen);

      expect((await closedWithin(onStolen, 2_000)).code).toBe(WS_CLOSE_CODES.authFailed);
      await stillConnected(onOther, alice, env.world.channelId);
    });
  });
}

revocationSuite('revoked sessions lose their sockets on a single instance', async () => {
  const test = await createTestApp();
  const world = await buildChatWorld(test.app);
  const socketUrl = await listenOnFreePort(test.app);
  return { revoker: test, socketUrl, world, close: () => test.close() };
});

revocationSuite('revoked sessions lose their sockets on every instance (through Redis)', async () => {
  // Two instances on one database with one signing key; sessions end on the first, sockets live on the second.
  const signingKey = await generateSigningKey();
  const first = await createTestApp({ env: { REDIS_URL }, signingKey });
  const second = await createTestApp({ env: { REDIS_URL }, signingKey, database: first.database });
  const world = await buildChatWorld(first.app);
  const socketUrl = await listenOnFreePort(second.app);
  return {
    revoker: first,
    socketUrl,
    world,
    close: async () => {
      await second.close();
      await first.close();
    },
  };
});
