import { RealtimeClient, type ChatMessage } from '@collaro/shared';
import { FakeSocket } from './fake-socket.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatSession, type ChatSessionHooks } from '../../src/renderer/src/features/chat/chat-session.js';

const SELF = '5e8b0c9a-0000-4000-8000-00000000000a';
const OTHER = '5e8b0c9a-0000-4000-8000-00000000000b';
const CHANNEL = '5e8b0c9a-0000-4000-8000-0000000000c1';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function message(overrides: Partial<ChatMessage> & { seq: number }): ChatMessage {
  return {
    id: `5e8b0c9a-0000-4000-8000-${String(overrides.seq).padStart(12, '0')}`,
    channelId: CHANNEL,
    eventSeq: overrides.seq,
    clientId: crypto.randomUUID(),
    authorId: OTHER,
    body: `message ${overrides.seq}`,
    replyToId: null,
    createdAt: '2026-11-23T10:00:00.000Z',
    editedAt: null,
    deletedAt: null,
    reactions: [],
    system: null,
    ...overrides,
  };
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup) fn();
  cleanup = [];
});

async function connected(hooks: ChatSessionHooks = {}) {
  const socket = new FakeSocket();
  const client = new RealtimeClient({ url: 'ws://collaro.test/ws', getToken: async () => 'token', createSocket: () => socket, backoff: { initialMs: 10_000 } });
  const store = new ChatSession(client, SELF, hooks);
  cleanup.push(() => {
    store.dispose();
    client.close();
  });
  client.connect();
  socket.open();
  await flush();
  socket.receive({ type: 'ready', userId: SELF, connectionId: 'c1', expiresAt: Date.now() / 1000 + 900, reauthenticated: false });
  return { socket, client, store };
}

describe('chat session', () => {
  it('shows a message as sending until the server acknowledges it, then as the stored message', async () => {
    const { socket, store } = await connected();
    store.addHistory(CHANNEL, [], false, true);
    store.send(CHANNEL, 'hello **team**');
    const outgoing = store.view(CHANNEL).outgoing;
    expect(outgoing).toMatchObject([{ body: 'hello **team**', state: 'sending' }]);
    const sent = socket.sent.find((frame) => frame.type === 'chat.send');
    expect(sent).toMatchObject({ type: 'chat.send', channelId: CHANNEL, body: 'hello **team**' });
    const clientId = outgoing[0]!.clientId;

    const stored = message({ seq: 1, authorId: SELF, clientId, body: 'hello **team**' });
    socket.receive({ type: 'chat.message', message: stored });
    socket.receive({ type: 'chat.ack', clientId, channelId: CHANNEL, messageId: stored.id, seq: 1, eventSeq: 1, duplicate: false });
    await flush();
    expect(store.view(CHANNEL).outgoing).toEqual([]);
    expect(store.view(CHANNEL).messages.map((m) => m.body)).toEqual(['hello **team**']);
  });

  it('marks a refused message as failed with the server reason, and retries it with the same client id', async () => {
    const { socket, store } = await connected();
    store.send(CHANNEL, 'not allowed here');
    const { clientId } = store.view(CHANNEL).outgoing[0]!;
    socket.receive({ type: 'error', code: 'forbidden', message: 'You are not a member of this channel', ref: { type: 'chat.send', clientId } });
    await flush();
    expect(store.view(CHANNEL).outgoing).toMatchObject([{ clientId, state: 'failed', error: 'You are not a member of this channel' }]);

    socket.sent = [];
    store.retry(CHANNEL, clientId);
    expect(store.view(CHANNEL).outgoing).toMatchObject([{ clientId, state: 'sending' }]);
    expect(socket.sent).toMatchObject([{ type: 'chat.send', clientId, body: 'not allowed here' }]);
  });

  it('offers no retry for a message the server refuses for good, and tells listeners (who save the outbox) once each message is settled', async () => {
    const { socket, client, store } = await connected();
    store.addHistory(CHANNEL, [], false, true);
    let changes = 0;
    cleanup.push(store.subscribe(() => (changes += 1)));
    store.send(CHANNEL, 'bell \u0007');
    store.send(CHANNEL, 'fine');
    const [refused, fine] = store.view(CHANNEL).outgoing.map((o) => o.clientId);
    socket.receive({
      type: 'error',
      code: 'invalid_frame',
      message: 'body: must not contain control characters',
      ref: { type: 'chat.send', clientId: refused },
    });
    await flush();
    expect(store.view(CHANNEL).outgoing).toMatchObject([
      { clientId: refused, state: 'failed', retryable: false },
      { clientId: fine, state: 'sending' },
    ]);

    // The stored message arrives before its acknowledgement: the ack still reports a change.
    const stored = message({ seq: 1, authorId: SELF, clientId: fine!, body: 'fine' });
    socket.receive({ type: 'chat.message', message: stored });
    const before = changes;
    socket.receive({ type: 'chat.ack', clientId: fine!, channelId: CHANNEL, messageId: stored.id, seq: 1, eventSeq: 1, duplicate: false });
    await flush();
    expect(changes).toBeGreaterThan(before);
    expect(client.pendingMessages()).toEqual([]);
    store.discard(CHANNEL, refused!);
    expect(store.view(CHANNEL).outgoing).toEqual([]);
  });

  it('keeps messages queued while disconnected and sends them on reconnect', async () => {
    const socket = new FakeSocket();
    const client = new RealtimeClient({ url: 'ws://collaro.test/ws', getToken: async () => 'token', createSocket: () => socket });
    const store = new ChatSession(client, SELF);
    cleanup.push(() => {
      store.dispose();
      client.close();
    });
    store.send(CHANNEL, 'written offline');
    expect(store.view(CHANNEL).outgoing).toMatchObject([{ state: 'sending' }]);
    client.connect();
    socket.open();
    await flush();
    expect(socket.sent.map((frame) => frame.type)).toEqual(['auth']);
    socket.receive({ type: 'ready', userId: SELF, connectionId: 'c1', expiresAt: Date.now() / 1000 + 900, reauthenticated: false });
    expect(socket.sent.map((frame) => frame.type)).toEqual(['auth', 'chat.send']);
  });

  it('counts messages from others as unread unless their channel is open, where they are marked read', async () => {
    const reads: [string, number][] = [];
    const totals: number[] = [];
    const { socket, store } = await connected({ markRead: (channelId, seq) => reads.push([channelId, seq]), onUnreadTotal: (total) => totals.push(total) });
    store.setUnread([{ channelId: CHANNEL, unread: 0, lastReadSeq: 0 }]);
    socket.receive({ type: 'chat.message', message: message({ seq: 1 }) });
    socket.receive({ type: 'chat.message', message: message({ seq: 2 }) });
    expect(store.unreadOf(CHANNEL)).toBe(2);
    expect(store.unreadTotal()).toBe(2);

    // An edit of an old message is not a new message.
    socket.receive({ type: 'chat.message', message: message({ seq: 1, eventSeq: 3, body: 'edited' }) });
    expect(store.unreadOf(CHANNEL)).toBe(2);

    store.activeChannelId = CHANNEL;
    store.markActiveRead();
    expect(store.unreadOf(CHANNEL)).toBe(0);
    expect(reads).toEqual([[CHANNEL, 2]]);

    socket.receive({ type: 'chat.message', message: message({ seq: 4 }) });
    expect(store.unreadOf(CHANNEL)).toBe(0);
    expect(reads).toEqual([
      [CHANNEL, 2],
      [CHANNEL, 4],
    ]);
    // The desktop tray hears the total each time it moves.
    expect(totals).toEqual([0, 1, 2, 0]);
  });

  it('keeps a channel view, and the presence lookup, the same object while something else changes, so only what changed re-renders', async () => {
    const { socket, store } = await connected();
    const OTHER_CHANNEL = '5e8b0c9a-0000-4000-8000-0000000000c2';
    store.addHistory(CHANNEL, [message({ seq: 1 })], false, true);
    store.addHistory(OTHER_CHANNEL, [], false, true);
    const view = store.view(CHANNEL);
    const lookup = store.presenceLookup();
    socket.receive({ type: 'chat.message', message: message({ seq: 1, channelId: OTHER_CHANNEL, id: '5e8b0c9a-0000-4000-8000-0000000000f1' }) });
    expect(store.view(CHANNEL)).toBe(view);
    expect(store.presenceLookup()).toBe(lookup);

    socket.receive({ type: 'presence.update', userId: OTHER, status: 'away' });
    expect(store.view(CHANNEL)).toBe(view);
    expect(store.presenceLookup()).not.toBe(lookup);
    expect(store.presenceLookup()(OTHER)).toBe('away');
    socket.receive({ type: 'chat.message', message: message({ seq: 2 }) });
    expect(store.view(CHANNEL)).not.toBe(view);
  });

  it('merges history and live revisions by id, newest revision winning, oldest first', async () => {
    const { socket, store } = await connected();
    store.addHistory(CHANNEL, [message({ seq: 3 }), message({ seq: 2 })], true, true);
    socket.receive({ type: 'chat.message', message: message({ seq: 2, eventSeq: 5, body: 'edited two', editedAt: '2026-11-23T10:05:00.000Z' }) });
    store.addHistory(CHANNEL, [message({ seq: 1 }), message({ seq: 2 })], false, false);
    const view = store.view(CHANNEL);
    expect(view.messages.map((m) => [m.seq, m.body])).toEqual([
      [1, 'message 1'],
      [2, 'edited two'],
      [3, 'message 3'],
    ]);
    expect(view.hasOlder).toBe(false);
  });

  it('shows what arrives live while the open channel loads, though the page was read before it was stored', async () => {
    const { socket, store } = await connected();
    store.activeChannelId = CHANNEL;
    // The pane asked for the latest page; before it comes, someone posts and someone edits a message the page holds.
    socket.receive({ type: 'chat.message', message: message({ seq: 3, body: 'posted while loading' }) });
    socket.receive({ type: 'chat.message', message: message({ seq: 1, eventSeq: 4, body: 'edited while loading', editedAt: '2026-11-23T10:05:00.000Z' }) });
    store.addHistory(CHANNEL, [message({ seq: 1 }), message({ seq: 2 })], false, true);
    expect(store.view(CHANNEL).messages.map((m) => [m.seq, m.body])).toEqual([
      [1, 'edited while loading'],
      [2, 'message 2'],
      [3, 'posted while loading'],
    ]);
  });

  it("shows the viewer's own message delivered from the outbox while the open channel loads", async () => {
    const { socket, store } = await connected();
    store.activeChannelId = CHANNEL;
    store.send(CHANNEL, 'sent as the page loads');
    const { clientId } = store.view(CHANNEL).outgoing[0]!;
    const stored = message({ seq: 2, authorId: SELF, clientId, body: 'sent as the page loads' });
    socket.receive({ type: 'chat.message', message: stored });
    socket.receive({ type: 'chat.ack', clientId, channelId: CHANNEL, messageId: stored.id, seq: 2, eventSeq: 2, duplicate: false });
    await flush();
    store.addHistory(CHANNEL, [message({ seq: 1 })], false, true);
    const view = store.view(CHANNEL);
    expect(view.outgoing).toEqual([]);
    expect(view.messages.map((m) => m.body)).toEqual(['message 1', 'sent as the page loads']);
  });

  it('keeps a message that arrives while a channel reloads after too much was missed, and drops what the page replaces', async () => {
    const { socket, store } = await connected();
    store.activeChannelId = CHANNEL;
    store.addHistory(CHANNEL, [message({ seq: 1 }), message({ seq: 2 })], true, true);
    socket.receive({ type: 'chat.refetch', channelId: CHANNEL, lastEventSeq: 8 });
    expect(store.view(CHANNEL).loaded).toBe(false);
    socket.receive({ type: 'chat.message', message: message({ seq: 9, body: 'after the reload began' }) });
    store.addHistory(CHANNEL, [message({ seq: 7 }), message({ seq: 8 })], true, true);
    expect(store.view(CHANNEL).messages.map((m) => m.seq)).toEqual([7, 8, 9]);
  });

  it('shows who is typing for a few seconds, never the viewer', async () => {
    const { socket, store } = await connected();
    socket.receive({ type: 'typing.update', channelId: CHANNEL, userId: OTHER });
    socket.receive({ type: 'typing.update', channelId: CHANNEL, userId: SELF });
    expect(store.view(CHANNEL).typing).toEqual([OTHER]);
  });

  it('tracks presence from the snapshot and updates', async () => {
    const { socket, store } = await connected();
    expect(store.presenceOf(OTHER)).toBe('offline');
    socket.receive({ type: 'presence.snapshot', users: [{ userId: OTHER, status: 'online' }] });
    expect(store.presenceOf(OTHER)).toBe('online');
    socket.receive({ type: 'presence.update', userId: OTHER, status: 'in_meeting' });
    expect(store.presenceOf(OTHER)).toBe('in_meeting');
  });
});
