import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mentionOf, PRESENCE_ORG_PUSH_LIMIT } from '@collaro/shared';
import { memberships, organizations, users } from '../../src/db/schema/index.js';
import { call, createTestApp, signUp, type TestApp } from '../helpers/test-app.js';
import { buildChatWorld, listenOnFreePort, TestSocket, type ChatWorld } from './realtime-world.js';

describe('live chat between two clients', () => {
  let test: TestApp;
  let world: ChatWorld;
  let url: string;
  const sockets: TestSocket[] = [];
  const connect = async (user: ChatWorld['alice']) => {
    const socket = await TestSocket.signedIn(url, user);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    test = await createTestApp();
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

  it('delivers a message from Alice to Bob in the team channel and acknowledges it to Alice', async () => {
    const [alice, bob] = await Promise.all([connect(world.alice), connect(world.bob)]);
    const clientId = randomUUID();
    alice.send({ type: 'chat.send', clientId, channelId: world.channelId, body: 'Deploy is green ```ts\nconst ok = true;\n```' });
    const ack = await alice.next('chat.ack', (frame) => frame.clientId === clientId);
    const received = await bob.next('chat.message', (frame) => frame.message.clientId === clientId);
    expect(ack.duplicate).toBe(false);
    expect(received.message).toMatchObject({ id: ack.messageId, authorId: world.alice.id, seq: ack.seq, body: expect.stringContaining('```ts') });
    const history = await call(test.app, world.bob, 'GET', `/api/channels/${world.channelId}/messages`);
    expect(history.body.messages.map((m: { id: string }) => m.id)).toContain(ack.messageId);
  });

  it('stores a repeated client id once and acknowledges it with the same server id', async () => {
    const alice = await connect(world.alice);
    const bob = await connect(world.bob);
    const clientId = randomUUID();
    const frame = { type: 'chat.send', clientId, channelId: world.channelId, body: 'only once' } as const;
    alice.send(frame);
    alice.send(frame);
    const first = await alice.next('chat.ack', (f) => f.clientId === clientId);
    const second = await alice.next('chat.ack', (f) => f.clientId === clientId);
    expect(second.messageId).toBe(first.messageId);
    expect([first.duplicate, second.duplicate]).toEqual([false, true]);
    const viaHttp = await call(test.app, world.alice, 'POST', `/api/channels/${world.channelId}/messages`, { clientId, body: 'only once' });
    expect(viaHttp.status).toBe(200);
    expect(viaHttp.body).toMatchObject({ duplicate: true, message: { id: first.messageId } });
    await bob.next('chat.message', (f) => f.message.clientId === clientId);
    expect(await bob.receives('chat.message', (f) => f.message.clientId === clientId)).toBe(false);
    const history = await call(test.app, world.alice, 'GET', `/api/channels/${world.channelId}/messages?limit=200`);
    expect(history.body.messages.filter((m: { clientId: string }) => m.clientId === clientId)).toHaveLength(1);
  });

  it('orders messages by a per-channel sequence and pages history with before/after', async () => {
    const alice = await connect(world.alice);
    const acks = [];
    for (let i = 0; i < 5; i += 1) {
      const clientId = randomUUID();
      alice.send({ type: 'chat.send', clientId, channelId: world.channelId, body: `numbered ${i}` });
      acks.push(await alice.next('chat.ack', (f) => f.clientId === clientId));
    }
    const seqs = acks.map((ack) => ack.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const latest = await call(test.app, world.bob, 'GET', `/api/channels/${world.channelId}/messages?limit=2`);
    expect(latest.body.messages.map((m: { body: string }) => m.body)).toEqual(['numbered 3', 'numbered 4']);
    expect(latest.body.hasMore).toBe(true);
    const older = await call(test.app, world.bob, 'GET', `/api/channels/${world.channelId}/messages?limit=2&before=${seqs[3]}`);
    expect(older.body.messages.map((m: { body: string }) => m.body)).toEqual(['numbered 1', 'numbered 2']);
    const newer = await call(test.app, world.bob, 'GET', `/api/channels/${world.channelId}/messages?limit=10&after=${seqs[2]}`);
    expect(newer.body.messages.map((m: { body: string }) => m.body)).toEqual(['numbered 3', 'numbered 4']);
    expect(newer.body.hasMore).toBe(false);
    const both = await call(test.app, world.bob, 'GET', `/api/channels/${world.channelId}/messages?before=5&after=1`);
    expect(both.status).toBe(422);
  });

  it('edits, reacts to, replies to and deletes a message, live for the other client', async () => {
    const alice = await connect(world.alice);
    const bob = await connect(world.bob);
    const clientId = randomUUID();
    alice.send({ type: 'chat.send', clientId, channelId: world.channelId, body: 'first draft' });
    const { messageId } = await alice.next('chat.ack', (f) => f.clientId === clientId);

    const editId = randomUUID();
    alice.send({ type: 'chat.edit', clientId: editId, messageId, body: 'final wording' });
    const edited = await bob.next('chat.message', (f) => f.message.id === messageId && f.message.editedAt !== null);
    expect(edited.message.body).toBe('final wording');
    // The editor's acknowledgement carries the message as it now is, under the command's id.
    expect((await alice.next('chat.applied', (f) => f.clientId === editId)).message).toMatchObject({ id: messageId, body: 'final wording' });

    const reactId = randomUUID();
    bob.send({ type: 'chat.react', clientId: reactId, messageId, emoji: '👍', add: true });
    const reacted = await alice.next('chat.message', (f) => f.message.id === messageId && f.message.reactions.length > 0);
    expect(reacted.message.reactions).toEqual([{ emoji: '👍', userIds: [world.bob.id] }]);
    expect((await bob.next('chat.applied', (f) => f.clientId === reactId)).message.reactions).toEqual(reacted.message.reactions);
    // Taking the reaction back; taking it back again changes nothing and is still acknowledged.
    for (const attempt of [randomUUID(), randomUUID()]) {
      bob.send({ type: 'chat.react', clientId: attempt, messageId, emoji: '👍', add: false });
      expect((await bob.next('chat.applied', (f) => f.clientId === attempt)).message.reactions).toEqual([]);
    }
    const again = randomUUID();
    bob.send({ type: 'chat.react', clientId: again, messageId, emoji: '👍', add: true });
    await bob.next('chat.applied', (f) => f.clientId === again);

    const replyId = randomUUID();
    bob.send({ type: 'chat.send', clientId: replyId, channelId: world.channelId, body: 'agreed', replyToId: messageId });
    const reply = await alice.next('chat.message', (f) => f.message.clientId === replyId);
    expect(reply.message.replyToId).toBe(messageId);

    const hijack = randomUUID();
    bob.send({ type: 'chat.edit', clientId: hijack, messageId, body: 'hijacked' });
    expect(await bob.next('error', (f) => f.ref?.clientId === hijack)).toMatchObject({ code: 'forbidden', ref: { type: 'chat.edit' } });
    const bobDeletes = randomUUID();
    bob.send({ type: 'chat.delete', clientId: bobDeletes, messageId });
    expect(await bob.next('error', (f) => f.ref?.clientId === bobDeletes)).toMatchObject({ code: 'forbidden', ref: { type: 'chat.delete' } });

    const deleteId = randomUUID();
    alice.send({ type: 'chat.delete', clientId: deleteId, messageId });
    const deleted = await bob.next('chat.message', (f) => f.message.id === messageId && f.message.deletedAt !== null);
    expect(deleted.message.body).toBe('');
    expect(deleted.message.eventSeq).toBeGreaterThan(reacted.message.eventSeq);
    expect((await alice.next('chat.applied', (f) => f.clientId === deleteId)).message.deletedAt).not.toBeNull();
    // A deleted message takes no reactions.
    const late = randomUUID();
    bob.send({ type: 'chat.react', clientId: late, messageId, emoji: '👀', add: true });
    expect((await bob.next('error', (f) => f.ref?.clientId === late)).code).toBe('not_found');
  });

  it('lets an org admin delete anyone’s message, and only the author edit it', async () => {
    const posted = await call(test.app, world.bob, 'POST', `/api/channels/${world.channelId}/messages`, { clientId: randomUUID(), body: 'off topic' });
    expect(posted.status).toBe(201);
    const messageId = posted.body.message.id;
    const alice = await connect(world.alice);
    const admin = await connect(world.admin);
    const bob = await connect(world.bob);
    const outcome = async (socket: TestSocket, command: { type: 'chat.edit'; body: string } | { type: 'chat.delete' }) => {
      const clientId = randomUUID();
      socket.send({ ...command, clientId, messageId });
      const answer = await socket.answerTo(clientId);
      return answer.type === 'error' ? answer.code : answer.type === 'chat.applied' ? answer.message : answer;
    };
    expect(await outcome(alice, { type: 'chat.edit', body: 'x' })).toBe('forbidden');
    expect(await outcome(admin, { type: 'chat.edit', body: 'x' })).toBe('forbidden');
    expect(await outcome(admin, { type: 'chat.delete' })).toMatchObject({ id: messageId, body: '', deletedAt: expect.any(String) });
    expect(await outcome(bob, { type: 'chat.delete' })).toBe('not_found');
  });

  it('shows presence to the organization and typing to the channel', async () => {
    const carol = await connect(world.carol);
    const alice = await connect(world.alice);
    const bob = await connect(world.bob);
    const aliceOnline = await carol.next('presence.update', (f) => f.userId === world.alice.id);
    expect(aliceOnline.status).toBe('online');

    alice.send({ type: 'presence.set', status: 'away' });
    await carol.next('presence.update', (f) => f.userId === world.alice.id && f.status === 'away');
    await test.app.realtime.setInMeeting(world.alice.id, true);
    await carol.next('presence.update', (f) => f.userId === world.alice.id && f.status === 'in_meeting');
    await test.app.realtime.setInMeeting(world.alice.id, false);

    alice.send({ type: 'typing', channelId: world.channelId });
    const typing = await bob.next('typing.update', (f) => f.channelId === world.channelId);
    expect(typing.userId).toBe(world.alice.id);
    expect(await carol.receives('typing.update')).toBe(false);
    expect(await alice.receives('typing.update')).toBe(false);

    const late = await TestSocket.open(url);
    sockets.push(late);
    late.send({ type: 'auth', token: world.carol.accessToken });
    const snapshot = await late.next('presence.snapshot');
    expect(snapshot.users).toContainEqual({ userId: world.bob.id, status: 'online' });
    expect(snapshot.users).toContainEqual({ userId: world.alice.id, status: 'away' });
    expect(snapshot.users.map((u) => u.userId)).not.toContain(world.mallory.id);

    bob.close();
    await bob.closed;
    await carol.next('presence.update', (f) => f.userId === world.bob.id && f.status === 'offline');
  });

  it('answers presence.subscribe with the statuses of people who share an organization, and keeps them coming', async () => {
    const bob = await connect(world.bob);
    const mallory = await connect(world.mallory);
    mallory.send({ type: 'presence.subscribe', userIds: [world.bob.id, world.mallory.id] });
    const forMallory = await mallory.next('presence.changes');
    expect(forMallory.users).toEqual([{ userId: world.mallory.id, status: 'online' }]);

    bob.send({ type: 'presence.subscribe', userIds: [world.carol.id] });
    expect((await bob.next('presence.changes')).users).toEqual([{ userId: world.carol.id, status: 'offline' }]);
    const carol = await connect(world.carol);
    expect(carol).toBeDefined();
    await bob.next('presence.update', (f) => f.userId === world.carol.id && f.status === 'online');
    expect(await mallory.receives('presence.update', (f) => f.userId === world.carol.id || f.userId === world.bob.id, 300)).toBe(false);
  });

  it(`in an organization over ${PRESENCE_ORG_PUSH_LIMIT} members, sends presence only for the people a client subscribed to`, async () => {
    const [big] = await test.app.db.insert(organizations).values({ name: 'Big Co' }).returning({ id: organizations.id });
    const filler = await test.app.db
      .insert(users)
      .values(Array.from({ length: PRESENCE_ORG_PUSH_LIMIT }, (_, i) => ({ name: `Filler ${i}`, email: `filler-${i}-${randomUUID()}@example.test` })))
      .returning({ id: users.id });
    await test.app.db
      .insert(memberships)
      .values([
        ...filler.map((user) => ({ orgId: big!.id, userId: user.id, role: 'member' as const })),
        { orgId: big!.id, userId: world.mallory.id, role: 'member' as const },
      ]);
    const watcher = await signUp(test.app, 'Watcher');
    await test.app.db.insert(memberships).values({ orgId: big!.id, userId: watcher.id, role: 'member' });

    const watching = await connect(watcher);
    const snapshot = await watching.next('presence.snapshot');
    expect(snapshot.users).toEqual([]);
    const mallory = await connect(world.mallory);
    expect(await watching.receives('presence.update', (f) => f.userId === world.mallory.id, 400)).toBe(false);

    watching.send({ type: 'presence.subscribe', userIds: [world.mallory.id] });
    expect((await watching.next('presence.changes')).users).toEqual([{ userId: world.mallory.id, status: 'online' }]);
    mallory.send({ type: 'presence.set', status: 'away' });
    await watching.next('presence.update', (f) => f.userId === world.mallory.id && f.status === 'away');
  });

  it('pushes notify frames for mentions and direct messages, not to the author', async () => {
    const alice = await connect(world.alice);
    const bob = await connect(world.bob);
    const carol = await connect(world.carol);
    alice.send({ type: 'chat.send', clientId: randomUUID(), channelId: world.channelId, body: `${mentionOf(world.bob.id)} please review` });
    const mention = await bob.next('notify', (f) => f.notification.kind === 'mention');
    expect(mention.notification).toMatchObject({ orgId: world.orgId, channelId: world.channelId, fromUserId: world.alice.id });
    expect(mention.notification.title).toContain('Alice');

    alice.send({ type: 'chat.send', clientId: randomUUID(), channelId: world.channelId, body: `${mentionOf(world.carol.id)} not on this team` });
    expect(await carol.receives('notify', () => true, 400)).toBe(false);

    const dm = await call(test.app, world.alice, 'POST', `/api/orgs/${world.orgId}/dms`, { userIds: [world.carol.id] });
    expect(dm.status).toBe(201);
    expect(dm.body.memberIds.sort()).toEqual([world.alice.id, world.carol.id].sort());
    const again = await call(test.app, world.carol, 'POST', `/api/orgs/${world.orgId}/dms`, { userIds: [world.alice.id] });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(dm.body.id);
    await carol.next('channel.added', (f) => f.channelId === dm.body.id);

    const clientId = randomUUID();
    alice.send({ type: 'chat.send', clientId, channelId: dm.body.id, body: 'lunch?' });
    const direct = await carol.next('notify', (f) => f.notification.kind === 'direct_message');
    expect(direct.notification).toMatchObject({ channelId: dm.body.id, body: 'lunch?' });
    await carol.next('chat.message', (f) => f.message.clientId === clientId);
    expect(await alice.receives('notify', (f) => f.notification.channelId === dm.body.id, 300)).toBe(false);
    expect(await bob.receives('chat.message', (f) => f.message.clientId === clientId, 300)).toBe(false);
  });

  it('counts unread messages and mentions per channel and clears them with a read marker', async () => {
    const before = await call(test.app, world.bob, 'GET', '/api/me/unread');
    const general = before.body.channels.find((c: { channelId: string }) => c.channelId === world.channelId);
    expect(general.unread).toBeGreaterThan(0);

    const alice = await connect(world.alice);
    const bob = await connect(world.bob);
    const ids = [randomUUID(), randomUUID()];
    alice.send({ type: 'chat.read', channelId: world.channelId, seq: 1_000_000 });
    await alice.next('chat.read_marker', (f) => f.channelId === world.channelId);
    alice.send({ type: 'chat.send', clientId: ids[0]!, channelId: world.channelId, body: 'one' });
    alice.send({ type: 'chat.send', clientId: ids[1]!, channelId: world.channelId, body: `${mentionOf(world.bob.id)} two` });
    const last = await alice.next('chat.ack', (f) => f.clientId === ids[1]);

    bob.send({ type: 'chat.read', channelId: world.channelId, seq: last.seq - 1 });
    const marker = await bob.next('chat.read_marker', (f) => f.channelId === world.channelId);
    expect(marker.unread).toBe(1);
    const mid = await call(test.app, world.bob, 'GET', '/api/me/unread');
    expect(mid.body.channels.find((c: { channelId: string }) => c.channelId === world.channelId)).toMatchObject({ unread: 1, mentions: 1 });

    bob.send({ type: 'chat.read', channelId: world.channelId, seq: last.seq });
    expect(await bob.next('chat.read_marker', (f) => f.channelId === world.channelId)).toMatchObject({ unread: 0, lastReadSeq: last.seq });
    const read = await call(test.app, world.bob, 'GET', '/api/me/unread');
    expect(read.body.channels.find((c: { channelId: string }) => c.channelId === world.channelId)).toMatchObject({ unread: 0, mentions: 0 });
    // A read marker never moves back.
    bob.send({ type: 'chat.read', channelId: world.channelId, seq: 1 });
    expect((await bob.next('chat.read_marker', (f) => f.channelId === world.channelId)).lastReadSeq).toBe(last.seq);
    const aliceView = await call(test.app, world.alice, 'GET', '/api/me/unread');
    expect(aliceView.body.channels.find((c: { channelId: string }) => c.channelId === world.channelId).unread).toBe(0);
  });
});
