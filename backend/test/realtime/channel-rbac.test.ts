import { randomUUID } from 'node:crypto';
import type { ClientFrame } from '@collaro/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { buildChatWorld, listenOnFreePort, TestSocket, type ChatWorld } from './realtime-world.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

describe('channel RBAC: every channel action, over HTTP or the WebSocket frame that carries it', () => {
  let test: TestApp;
  let world: ChatWorld;
  let url: string;
  let messageId: string;
  let dmId: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    test = await createTestApp();
    world = await buildChatWorld(test.app);
    url = await listenOnFreePort(test.app);
    const posted = await call(test.app, world.alice, 'POST', `/api/channels/${world.channelId}/messages`, { clientId: randomUUID(), body: 'hello team' });
    messageId = posted.body.message.id;
    dmId = (await call(test.app, world.alice, 'POST', `/api/orgs/${world.orgId}/dms`, { userIds: [world.bob.id] })).body.id;
  });
  afterEach(async () => {
    const open = sockets.splice(0);
    for (const socket of open) socket.close();
    await Promise.all(open.map((socket) => socket.closed));
  });
  afterAll(async () => {
    await test.close();
  });

  /** Each action as (method, path, body), built fresh so message-changing ones act on a new message. */
  const actions: { name: string; write: boolean; request: () => Promise<[Method, string, unknown?]> }[] = [
    { name: 'read the channel', write: false, request: async () => ['GET', `/api/channels/${world.channelId}`] },
    { name: 'read history', write: false, request: async () => ['GET', `/api/channels/${world.channelId}/messages`] },
    { name: 'post', write: true, request: async () => ['POST', `/api/channels/${world.channelId}/messages`, { clientId: randomUUID(), body: 'hi' }] },
  ];

  const expectStatus = async (user: SignedInUser | null, request: [Method, string, unknown?], status: number) => {
    const [method, path, body] = request;
    const response = await call(test.app, user, method, path, body);
    expect({ path, method, status: response.status }).toEqual({ path, method, status });
    return response;
  };

  for (const action of actions) {
    it(`${action.name}: anonymous 401, outsider 404, non-member 403, member allowed, admin off the team ${action.write ? '403' : 'allowed'}`, async () => {
      await expectStatus(null, await action.request(), 401);
      await expectStatus(world.mallory, await action.request(), 404);
      await expectStatus(world.carol, await action.request(), 403);
      const [method] = await action.request();
      const memberResponse = await call(test.app, world.bob, ...(await action.request()));
      expect(memberResponse.status, `${method} as member: ${JSON.stringify(memberResponse.body)}`).toBeLessThan(300);
      const adminResponse = await call(test.app, world.admin, ...(await action.request()));
      if (action.write) expect(adminResponse.status).toBe(403);
      else expect(adminResponse.status).toBeLessThan(300);
    });
  }

  /** What the server answers `user`'s frame with: 'applied' (acknowledged) or the refusal's code. */
  const frameOutcome = async (user: SignedInUser, frame: ClientFrame): Promise<string> => {
    const socket = await TestSocket.signedIn(url, user);
    sockets.push(socket);
    socket.send(frame);
    // A read marker is acknowledged by the new position; the other commands under their client id.
    const answer =
      frame.type === 'chat.read'
        ? await socket.nextWhere(
            (f) => (f.type === 'chat.read_marker' && f.channelId === frame.channelId) || (f.type === 'error' && f.ref?.type === 'chat.read'),
            'answer to chat.read',
          )
        : await socket.answerTo((frame as { clientId: string }).clientId);
    return answer.type === 'error' ? answer.code : 'applied';
  };

  /** The live commands on a channel's messages travel as frames; each is built fresh. */
  const frameActions: { name: string; write: boolean; frame: () => ClientFrame }[] = [
    { name: 'mark read', write: false, frame: () => ({ type: 'chat.read', channelId: world.channelId, seq: 1 }) },
    { name: 'react', write: true, frame: () => ({ type: 'chat.react', clientId: randomUUID(), messageId, emoji: '🎉', add: true }) },
    { name: 'unreact', write: true, frame: () => ({ type: 'chat.react', clientId: randomUUID(), messageId, emoji: '🎉', add: false }) },
  ];

  for (const action of frameActions) {
    it(`${action.name} (frame): outsider not_found, non-member forbidden, member applied, admin off the team ${action.write ? 'forbidden' : 'applied'}`, async () => {
      expect(await frameOutcome(world.mallory, action.frame())).toBe('not_found');
      expect(await frameOutcome(world.carol, action.frame())).toBe('forbidden');
      expect(await frameOutcome(world.bob, action.frame())).toBe('applied');
      expect(await frameOutcome(world.admin, action.frame())).toBe(action.write ? 'forbidden' : 'applied');
    });
  }

  it('edit: only the author; delete: the author or an org admin; everyone else per the same rules', async () => {
    const fresh = async () =>
      (await call(test.app, world.alice, 'POST', `/api/channels/${world.channelId}/messages`, { clientId: randomUUID(), body: 'draft' })).body.message
        .id as string;
    const id = await fresh();
    const edit = (target: string): ClientFrame => ({ type: 'chat.edit', clientId: randomUUID(), messageId: target, body: 'better' });
    const remove = (target: string): ClientFrame => ({ type: 'chat.delete', clientId: randomUUID(), messageId: target });
    for (const frame of [edit, remove]) {
      expect(await frameOutcome(world.mallory, frame(id))).toBe('not_found');
      expect(await frameOutcome(world.carol, frame(id))).toBe('forbidden');
      expect(await frameOutcome(world.bob, frame(id))).toBe('forbidden');
    }
    expect(await frameOutcome(world.admin, edit(id))).toBe('forbidden');
    expect(await frameOutcome(world.alice, edit(id))).toBe('applied');
    expect(await frameOutcome(world.alice, remove(id))).toBe('applied');
    expect(await frameOutcome(world.admin, remove(await fresh()))).toBe('applied');
    const inDm = (await call(test.app, world.bob, 'POST', `/api/channels/${dmId}/messages`, { clientId: randomUUID(), body: 'just us' })).body.message.id;
    expect(await frameOutcome(world.admin, remove(inDm))).toBe('forbidden');
    expect(await frameOutcome(world.carol, edit(inDm))).toBe('forbidden');
  });

  it('direct messages: members only; another org member 403, outsider 404', async () => {
    await expectStatus(world.carol, ['GET', `/api/channels/${dmId}/messages`], 403);
    await expectStatus(world.admin, ['GET', `/api/channels/${dmId}/messages`], 403);
    await expectStatus(world.mallory, ['GET', `/api/channels/${dmId}/messages`], 404);
    await expectStatus(world.bob, ['POST', `/api/channels/${dmId}/messages`, { clientId: randomUUID(), body: 'hey' }], 201);
    await expectStatus(world.mallory, ['POST', `/api/orgs/${world.orgId}/dms`, { userIds: [world.alice.id] }], 404);
    const res = await expectStatus(world.alice, ['POST', `/api/orgs/${world.orgId}/dms`, { userIds: [world.mallory.id] }], 422);
    expect(res.body.error.message).toContain(world.mallory.id);
  });

  it('creating team channels takes the team lead or an org admin; listing shows only what the caller can see', async () => {
    const create = (name: string): [Method, string, unknown] => ['POST', `/api/teams/${world.teamId}/channels`, { name }];
    await expectStatus(null, create('ops'), 401);
    await expectStatus(world.mallory, create('ops'), 404);
    await expectStatus(world.carol, create('ops'), 403);
    await expectStatus(world.bob, create('ops'), 403);
    const created = await expectStatus(world.admin, create('ops'), 201);
    await expectStatus(world.admin, create('OPS'), 409);

    const names = async (user: SignedInUser) =>
      ((await call(test.app, user, 'GET', `/api/orgs/${world.orgId}/channels`)).body.channels as { id: string }[]).map((c) => c.id);
    expect(await names(world.bob)).toEqual(expect.arrayContaining([world.channelId, created.body.id, dmId]));
    expect(await names(world.carol)).not.toContain(world.channelId);
    expect(await names(world.carol)).not.toContain(dmId);
    expect(await names(world.admin)).toContain(world.channelId);
    expect(await names(world.admin)).not.toContain(dmId);
    await expectStatus(world.mallory, ['GET', `/api/orgs/${world.orgId}/channels`], 404);
    await expectStatus(null, ['GET', `/api/orgs/${world.orgId}/channels`], 401);
    await expectStatus(null, ['GET', '/api/me/unread'], 401);
  });

  it('over the WebSocket: a non-member is refused and hears nothing; joining the team opens the channel live', async () => {
    const carol = await TestSocket.signedIn(url, world.carol);
    const mallory = await TestSocket.signedIn(url, world.mallory);
    const alice = await TestSocket.signedIn(url, world.alice);
    sockets.push(carol, mallory, alice);
    for (const [socket, code] of [
      [carol, 'forbidden'],
      [mallory, 'not_found'],
    ] as const) {
      const clientId = randomUUID();
      socket.send({ type: 'chat.send', clientId, channelId: world.channelId, body: 'let me in' });
      expect(await socket.next('error', (f) => f.ref?.clientId === clientId)).toMatchObject({ code });
      socket.send({ type: 'typing', channelId: world.channelId });
      expect((await socket.next('error', (f) => f.ref?.type === 'typing')).code).toBe(code);
      socket.send({ type: 'chat.read', channelId: world.channelId, seq: 1 });
      expect((await socket.next('error', (f) => f.ref?.type === 'chat.read')).code).toBe(code);
      for (const command of [
        { type: 'chat.react', clientId: randomUUID(), messageId, emoji: '👀', add: true },
        { type: 'chat.delete', clientId: randomUUID(), messageId },
        { type: 'chat.edit', clientId: randomUUID(), messageId, body: 'mine now' },
      ] as const) {
        socket.send(command);
        expect(await socket.answerTo(command.clientId)).toMatchObject({ type: 'error', code, ref: { type: command.type } });
      }
      socket.send({ type: 'resume', channels: [{ channelId: world.channelId, afterEventSeq: 0 }] });
      expect((await socket.next('error', (f) => f.ref?.type === 'resume')).code).toBe(code);
      expect((await socket.next('resumed')).channels).toEqual([]);
    }
    const secret = randomUUID();
    alice.send({ type: 'chat.send', clientId: secret, channelId: world.channelId, body: 'team only' });
    await alice.next('chat.ack', (f) => f.clientId === secret);
    expect(await carol.receives('chat.message', () => true, 400)).toBe(false);
    expect(await mallory.receives('chat.message', () => true, 100)).toBe(false);

    await expectStatus(world.admin, ['POST', `/api/teams/${world.teamId}/members`, { userId: world.carol.id }], 201);
    await carol.next('channel.added', (f) => f.channelId === world.channelId);
    const welcome = randomUUID();
    alice.send({ type: 'chat.send', clientId: welcome, channelId: world.channelId, body: 'welcome Carol' });
    await carol.next('chat.message', (f) => f.message.clientId === welcome);

    await expectStatus(world.admin, ['DELETE', `/api/teams/${world.teamId}/members/${world.carol.id}`], 204);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = randomUUID();
    alice.send({ type: 'chat.send', clientId: after, channelId: world.channelId, body: 'Carol has left' });
    await alice.next('chat.ack', (f) => f.clientId === after);
    expect(await carol.receives('chat.message', (f) => f.message.clientId === after, 400)).toBe(false);
  });
});
