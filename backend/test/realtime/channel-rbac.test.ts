import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { buildChatWorld, listenOnFreePort, TestSocket, type ChatWorld } from './realtime-world.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

describe('channel RBAC: every channel action, HTTP and WebSocket', () => {
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
    { name: 'mark read', write: false, request: async () => ['POST', `/api/channels/${world.channelId}/read`, { seq: 1 }] },
    { name: 'post', write: true, request: async () => ['POST', `/api/channels/${world.channelId}/messages`, { clientId: randomUUID(), body: 'hi' }] },
    { name: 'react', write: true, request: async () => ['POST', `/api/channels/${world.channelId}/messages/${messageId}/reactions`, { emoji: '🎉' }] },
    { name: 'unreact', write: true, request: async () => ['DELETE', `/api/channels/${world.channelId}/messages/${messageId}/reactions/${encodeURIComponent('🎉')}`] },
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

  it('edit: only the author; delete: the author or an org admin; everyone else per the same rules', async () => {
    const fresh = async () =>
      (await call(test.app, world.alice, 'POST', `/api/channels/${world.channelId}/messages`, { clientId: randomUUID(), body: 'draft' })).body.message.id as string;
    const id = await fresh();
    const editPath = `/api/channels/${world.channelId}/messages/${id}`;
    await expectStatus(null, ['PATCH', editPath, { body: 'x' }], 401);
    await expectStatus(world.mallory, ['PATCH', editPath, { body: 'x' }], 404);
    await expectStatus(world.carol, ['PATCH', editPath, { body: 'x' }], 403);
    await expectStatus(world.bob, ['PATCH', editPath, { body: 'x' }], 403);
    await expectStatus(world.alice, ['PATCH', editPath, { body: 'better' }], 200);
    await expectStatus(null, ['DELETE', editPath], 401);
    await expectStatus(world.mallory, ['DELETE', editPath], 404);
    await expectStatus(world.carol, ['DELETE', editPath], 403);
    await expectStatus(world.bob, ['DELETE', editPath], 403);
    await expectStatus(world.alice, ['DELETE', editPath], 200);
    const other = await fresh();
    await expectStatus(world.admin, ['DELETE', `/api/channels/${world.channelId}/messages/${other}`], 200);
    await expectStatus(world.alice, ['PATCH', `/api/channels/${dmId}/messages/${other}`, { body: 'x' }], 404);
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
    for (const [socket, code] of [[carol, 'forbidden'], [mallory, 'not_found']] as const) {
      const clientId = randomUUID();
      socket.send({ type: 'chat.send', clientId, channelId: world.channelId, body: 'let me in' });
      expect(await socket.next('error', (f) => f.ref?.clientId === clientId)).toMatchObject({ code });
      socket.send({ type: 'typing', channelId: world.channelId });
      expect((await socket.next('error', (f) => f.ref?.type === 'typing')).code).toBe(code);
      socket.send({ type: 'chat.read', channelId: world.channelId, seq: 1 });
      expect((await socket.next('error', (f) => f.ref?.type === 'chat.read')).code).toBe(code);
      socket.send({ type: 'chat.react', messageId, emoji: '👀', add: true });
      expect((await socket.next('error', (f) => f.ref?.type === 'chat.react')).code).toBe(code);
      socket.send({ type: 'chat.delete', messageId });
      expect((await socket.next('error', (f) => f.ref?.type === 'chat.delete')).code).toBe(code);
      socket.send({ type: 'chat.edit', messageId, body: 'mine now' });
      expect((await socket.next('error', (f) => f.ref?.type === 'chat.edit')).code).toBe(code);
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
