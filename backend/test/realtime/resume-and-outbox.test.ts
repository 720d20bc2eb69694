import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESUME_REPLAY_LIMIT, type ChatMessage, type RealtimeClient } from '@collaro/shared';
import { findChannelWithAccess } from '../../src/modules/channels/repository.js';
import { postMessage } from '../../src/modules/chat/repository.js';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import { buildChatWorld, listenOnFreePort, nextClientFrame, nodeRealtimeClient, type ChatWorld } from './realtime-world.js';

function untilOpen(client: RealtimeClient): Promise<void> {
  if (client.state === 'open') return Promise.resolve();
  return new Promise((resolve) => {
    const off = client.onStateChange((state) => {
      if (state !== 'open') return;
      off();
      resolve();
    });
  });
}

describe('resume after reconnect and the client outbox', () => {
  let test: TestApp;
  let world: ChatWorld;
  let url: string;
  const clients: RealtimeClient[] = [];
  const start = (user: ChatWorld['alice'], options: Parameters<typeof nodeRealtimeClient>[2] = {}) => {
    const made = nodeRealtimeClient(url, async () => user.accessToken, options);
    clients.push(made.client);
    return made;
  };

  beforeAll(async () => {
    test = await createTestApp();
    world = await buildChatWorld(test.app);
    url = await listenOnFreePort(test.app);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await test.close();
  });

  it('replays what a client missed while away, edits included, and only that', async () => {
    const { client: alice } = start(world.alice);
    alice.connect();
    const before = await alice.sendMessage({ channelId: world.channelId, body: 'seen by Bob' }).acked;

    const { client: bobFirst } = start(world.bob, { cursors: { [world.channelId]: 0 } });
    const seen: ChatMessage[] = [];
    bobFirst.on('chat.message', (frame) => seen.push(frame.message));
    bobFirst.connect();
    await nextClientFrame(bobFirst, 'resumed');
    expect(seen.map((m) => m.id)).toContain(before.messageId);
    const cursors = bobFirst.cursorsSnapshot();
    bobFirst.close();

    const missed = [];
    for (const body of ['while away 1', 'while away 2', 'while away 3']) missed.push(await alice.sendMessage({ channelId: world.channelId, body }).acked);
    const edited = await alice.command({ type: 'chat.edit', messageId: before.messageId, body: 'seen by Bob, then edited' });
    expect(edited).toMatchObject({ id: before.messageId, body: 'seen by Bob, then edited', editedAt: expect.any(String) });

    const { client: bobAgain } = start(world.bob, { cursors });
    const replayed: ChatMessage[] = [];
    bobAgain.on('chat.message', (frame) => replayed.push(frame.message));
    bobAgain.connect();
    const resumed = await nextClientFrame(bobAgain, 'resumed');
    expect(resumed.channels).toEqual([{ channelId: world.channelId, replayed: 4, refetch: false }]);
    expect(replayed.map((m) => m.body)).toEqual(['while away 1', 'while away 2', 'while away 3', 'seen by Bob, then edited']);
    expect(replayed.slice(0, 3).map((m) => m.id)).toEqual(missed.map((ack) => ack.messageId));
    bobAgain.close();
  });

  it(`tells the client to refetch when it missed more than ${RESUME_REPLAY_LIMIT} events`, async () => {
    const row = await findChannelWithAccess(test.app.db, world.channelId, world.alice.id);
    const cursor = row!.lastEventSeq;
    for (let i = 0; i <= RESUME_REPLAY_LIMIT; i += 1) {
      await postMessage(test.app.db, {
        channel: { id: world.channelId, orgId: world.orgId },
        authorId: world.alice.id,
        clientId: randomUUID(),
        body: `bulk ${i}`,
        mentions: [],
      });
    }
    const { client: bob } = start(world.bob, { cursors: { [world.channelId]: cursor } });
    let replayed = 0;
    bob.on('chat.message', () => (replayed += 1));
    const refetching = nextClientFrame(bob, 'chat.refetch');
    const resuming = nextClientFrame(bob, 'resumed');
    bob.connect();
    const refetch = await refetching;
    expect(refetch.lastEventSeq).toBe(cursor + RESUME_REPLAY_LIMIT + 1);
    expect((await resuming).channels).toEqual([{ channelId: world.channelId, replayed: 0, refetch: true }]);
    expect(replayed).toBe(0);
    expect(bob.cursorsSnapshot()[world.channelId]).toBe(refetch.lastEventSeq);
    bob.close();
  }, 60_000);

  it('keeps unacknowledged messages in the outbox across dropped connections and stores each once', async () => {
    const { client, sockets } = start(world.alice);
    const queuedOffline = client.sendMessage({ channelId: world.channelId, body: 'written before connecting' });
    expect(client.pendingMessages().map((m) => m.clientId)).toEqual([queuedOffline.clientId]);
    client.connect();
    await queuedOffline.acked;

    const sent = [];
    for (let round = 0; round < 4; round += 1) {
      await untilOpen(client);
      for (let i = 0; i < 5; i += 1) sent.push(client.sendMessage({ channelId: world.channelId, body: `round ${round} message ${i}` }));
      // Cut the connection under the client mid-burst, as a network drop would.
      sockets.at(-1)!.terminate();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const acks = await Promise.all(sent.map((s) => s.acked));
    expect(client.pendingMessages()).toEqual([]);
    expect(sockets.length).toBeGreaterThan(4);

    const history = await call(test.app, world.alice, 'GET', `/api/channels/${world.channelId}/messages?limit=200`);
    const stored = history.body.messages as ChatMessage[];
    for (const [index, s] of sent.entries()) {
      const copies = stored.filter((m) => m.clientId === s.clientId);
      expect(copies).toHaveLength(1);
      expect(copies[0]!.id).toBe(acks[index]!.messageId);
    }
    const roundZero = stored.filter((m) => m.body.startsWith('round 0 ')).map((m) => m.body);
    expect(roundZero).toEqual(['round 0 message 0', 'round 0 message 1', 'round 0 message 2', 'round 0 message 3', 'round 0 message 4']);
  });

  it('re-authenticates on the open socket before the token expires', async () => {
    let issued = 0;
    const getTokenClient = nodeRealtimeClient(
      url,
      async () => {
        issued += 1;
        return world.bob.accessToken;
      },
      { reauthLeadMs: 15 * 60 * 1000 - 300 },
    );
    clients.push(getTokenClient.client);
    getTokenClient.client.connect();
    await nextClientFrame(getTokenClient.client, 'ready', (f) => !f.reauthenticated);
    const again = await nextClientFrame(getTokenClient.client, 'ready', (f) => f.reauthenticated, 5000);
    expect(again.userId).toBe(world.bob.id);
    expect(issued).toBeGreaterThanOrEqual(2);
    expect(getTokenClient.sockets).toHaveLength(1);
  });
});
