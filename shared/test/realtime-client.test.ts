import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_TIMEOUT_MS, MessageRejectedError, RealtimeClient, type WebSocketLike } from '../src/realtime-client/index.js';
import { WS_CLOSE_CODES, type ServerFrame } from '../src/ws/frames.js';

const USER = '3f2b8c1e-9a4d-4e2f-8b1a-0c9d8e7f6a5b';
const CHANNEL = '1c9d8e7f-6a5b-4e2f-8b1a-3f2b8c1e9a4d';
const MESSAGE = '5b6a7f8e-9d0c-4a1b-8f2e-4d9a1e8c2b3f';

class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: any[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: ServerFrame | string) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  ofType(type: string) {
    return this.sent.filter((frame) => frame.type === type);
  }
}

const ready = (expiresInSeconds = 900, reauthenticated = false): ServerFrame => ({
  type: 'ready',
  userId: USER,
  connectionId: 'c1',
  expiresAt: Math.floor(Date.now() / 1000) + expiresInSeconds,
  reauthenticated,
});

const message = (body: string) => ({
  id: MESSAGE,
  channelId: CHANNEL,
  seq: 12,
  eventSeq: 15,
  clientId: MESSAGE,
  authorId: USER,
  body,
  replyToId: null,
  createdAt: new Date().toISOString(),
  editedAt: null as string | null,
  deletedAt: null,
  reactions: [],
  system: null,
});

const ack = (clientId: string, seq: number): ServerFrame => ({
  type: 'chat.ack',
  clientId,
  channelId: CHANNEL,
  messageId: MESSAGE,
  seq,
  eventSeq: seq,
  duplicate: false,
});

describe('RealtimeClient', () => {
  let sockets: FakeSocket[];
  let tokens: number;
  let ids: number;
  const make = (extra: Partial<ConstructorParameters<typeof RealtimeClient>[0]> = {}) =>
    new RealtimeClient({
      url: 'ws://collaro.test/ws',
      getToken: async () => `token-${++tokens}`,
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      newClientId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
      random: () => 0,
      ...extra,
    });
  const flush = () => vi.advanceTimersByTimeAsync(0);

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    tokens = 0;
    ids = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('authenticates with a first auth frame, then resumes its channels and sends its outbox in order', async () => {
    const client = make({ cursors: { [CHANNEL]: 7 } });
    const first = client.sendMessage({ channelId: CHANNEL, body: 'one' });
    const second = client.sendMessage({ channelId: CHANNEL, body: 'two' });
    client.connect();
    sockets[0]!.open();
    await flush();
    expect(sockets[0]!.sent).toEqual([{ type: 'auth', token: 'token-1' }]);
    sockets[0]!.receive(ready());
    expect(client.state).toBe('open');
    expect(sockets[0]!.sent.slice(1).map((f) => f.type)).toEqual(['resume', 'chat.send']);
    expect(sockets[0]!.ofType('resume')[0].channels).toEqual([{ channelId: CHANNEL, afterEventSeq: 7 }]);
    expect(sockets[0]!.ofType('chat.send')[0]).toMatchObject({ clientId: first.clientId, body: 'one' });
    sockets[0]!.receive(ack(first.clientId, 8));
    await expect(first.acked).resolves.toMatchObject({ seq: 8 });
    expect(sockets[0]!.ofType('chat.send').map((f) => f.body)).toEqual(['one', 'two']);
    sockets[0]!.receive(ack(second.clientId, 9));
    await second.acked;
    expect(client.pendingMessages()).toEqual([]);
  });

  it('reconnects with growing backoff, asks for a fresh token each time, and resends what was not acknowledged', async () => {
    const client = make({ backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 } });
    client.connect();
    sockets[0]!.open();
    await flush();
    sockets[0]!.receive(ready());
    const message = client.sendMessage({ channelId: CHANNEL, body: 'survives' });
    sockets[0]!.drop();
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(99);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    sockets[1]!.drop();
    await vi.advanceTimersByTimeAsync(199);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    sockets[2]!.open();
    await flush();
    expect(sockets[2]!.sent[0]).toEqual({ type: 'auth', token: 'token-2' });
    sockets[2]!.receive(ready());
    expect(sockets[2]!.ofType('chat.send')).toEqual([{ type: 'chat.send', clientId: message.clientId, channelId: CHANNEL, body: 'survives' }]);
    sockets[2]!.receive(ack(message.clientId, 3));
    await message.acked;
    sockets[2]!.drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(4);
  });

  it('re-authenticates on the open socket before the token expires', async () => {
    const client = make({ reauthLeadMs: 60_000 });
    client.connect();
    sockets[0]!.open();
    await flush();
    sockets[0]!.receive(ready(120));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(sockets[0]!.ofType('auth')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(sockets[0]!.ofType('auth')).toEqual([
      { type: 'auth', token: 'token-1' },
      { type: 'auth', token: 'token-2' },
    ]);
    sockets[0]!.receive(ready(900, true));
    expect(sockets).toHaveLength(1);
    expect(client.state).toBe('open');
  });

  it('retries a rate-limited message after the delay the server gave, and gives up on a refused one', async () => {
    const client = make();
    client.connect();
    sockets[0]!.open();
    await flush();
    sockets[0]!.receive(ready());
    const limited = client.sendMessage({ channelId: CHANNEL, body: 'too fast' });
    const refused = client.sendMessage({ channelId: CHANNEL, body: 'not allowed' });
    sockets[0]!.receive({
      type: 'error',
      code: 'rate_limited',
      message: 'slow down',
      ref: { type: 'chat.send', clientId: limited.clientId },
      retryAfterMs: 400,
    });
    await vi.advanceTimersByTimeAsync(399);
    expect(sockets[0]!.ofType('chat.send')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets[0]!.ofType('chat.send').map((f) => f.body)).toEqual(['too fast', 'too fast']);
    sockets[0]!.receive(ack(limited.clientId, 4));
    expect(sockets[0]!.ofType('chat.send').at(-1).body).toBe('not allowed');
    sockets[0]!.receive({
      type: 'error',
      code: 'forbidden',
      message: 'You are not a member of this channel',
      ref: { type: 'chat.send', clientId: refused.clientId },
    });
    await expect(refused.acked).rejects.toBeInstanceOf(MessageRejectedError);
    expect(client.pendingMessages()).toEqual([]);
  });

  it('settles a message the server refuses for good and sends the ones behind it; an internal error is retried a few times, not forever', async () => {
    const client = make();
    client.connect();
    sockets[0]!.open();
    await flush();
    sockets[0]!.receive(ready());
    const refused = client.sendMessage({ channelId: CHANNEL, body: 'nul\u0000' });
    const broken = client.sendMessage({ channelId: CHANNEL, body: 'the server keeps failing on this one' });
    const fine = client.sendMessage({ channelId: CHANNEL, body: 'fine' });
    const sent = () => sockets[0]!.ofType('chat.send').map((frame) => frame.body);

    sockets[0]!.receive({
      type: 'error',
      code: 'invalid_frame',
      message: 'body: must not contain control characters',
      ref: { type: 'chat.send', clientId: refused.clientId },
    });
    await expect(refused.acked).rejects.toMatchObject({ code: 'invalid_frame', message: 'body: must not contain control characters' });
    expect(sent()).toEqual(['nul\u0000', 'the server keeps failing on this one']);

    const internal = () =>
      sockets[0]!.receive({
        type: 'error',
        code: 'internal',
        message: 'The server could not handle this frame',
        ref: { type: 'chat.send', clientId: broken.clientId },
      });
    // Retried after 1, 2 and 4 seconds, then given up.
    for (const delay of [1_000, 2_000, 4_000]) {
      internal();
      const before = sent().length;
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(sent()).toHaveLength(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent().at(-1)).toBe('the server keeps failing on this one');
    }
    internal();
    await expect(broken.acked).rejects.toMatchObject({ code: 'internal' });
    expect(sent().at(-1)).toBe('fine');
    sockets[0]!.receive(ack(fine.clientId, 5));
    await fine.acked;
    expect(client.pendingMessages()).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent().filter((body) => body !== 'fine')).toHaveLength(5);
  });

  it('tracks resume cursors from messages and refetch hints, and ignores frames that fail validation', async () => {
    const client = make();
    const seen: string[] = [];
    client.on('chat.message', (frame) => seen.push(frame.message.body));
    client.connect();
    sockets[0]!.open();
    await flush();
    sockets[0]!.receive(ready());
    sockets[0]!.receive('{"type":"chat.message","message":{"id":"nope"}}');
    sockets[0]!.receive('not json');
    sockets[0]!.receive({
      type: 'chat.message',
      message: {
        id: MESSAGE,
        channelId: CHANNEL,
        seq: 12,
        eventSeq: 15,
        clientId: MESSAGE,
        authorId: USER,
        body: 'hello',
        replyToId: null,
        createdAt: new Date().toISOString(),
        editedAt: null,
        deletedAt: null,
        reactions: [],
        system: null,
      },
    });
    expect(seen).toEqual(['hello']);
    expect(client.cursorsSnapshot()).toEqual({ [CHANNEL]: 15 });
    sockets[0]!.receive({ type: 'chat.refetch', channelId: CHANNEL, lastEventSeq: 900 });
    expect(client.cursorsSnapshot()).toEqual({ [CHANNEL]: 900 });
  });

  it('resumes from below a message that arrived out of order, and counts its own acknowledged messages as held', async () => {
    const client = make({ cursors: { [CHANNEL]: 10 } });
    client.connect();
    sockets[0]!.open();
    await flush();
    sockets[0]!.receive(ready());
    const message = (eventSeq: number) => ({
      type: 'chat.message' as const,
      message: {
        id: MESSAGE,
        channelId: CHANNEL,
        seq: eventSeq,
        eventSeq,
        clientId: MESSAGE,
        authorId: USER,
        body: 'hi',
        replyToId: null,
        createdAt: new Date().toISOString(),
        editedAt: null,
        deletedAt: null,
        reactions: [],
        system: null,
      },
    });
    // 11 is still on its way from the other instance when 12 (from this one) arrives; then the socket drops.
    sockets[0]!.receive(message(12));
    sockets[0]!.drop();
    await vi.advanceTimersByTimeAsync(1_000);
    sockets[1]!.open();
    await flush();
    sockets[1]!.receive(ready());
    expect(sockets[1]!.ofType('resume')[0].channels).toEqual([{ channelId: CHANNEL, afterEventSeq: 10 }]);
    sockets[1]!.receive(message(11));
    sockets[1]!.receive(message(12));
    sockets[1]!.receive({ type: 'resumed', channels: [{ channelId: CHANNEL, replayed: 2, refetch: false }] });
    expect(client.cursorsSnapshot()).toEqual({ [CHANNEL]: 12 });
    const sent = client.sendMessage({ channelId: CHANNEL, body: 'mine' });
    sockets[1]!.receive(ack(sent.clientId, 13));
    await sent.acked;
    expect(client.cursorsSnapshot()).toEqual({ [CHANNEL]: 13 });
  });

  it('reconnects after an auth failure (fetching a fresh token), and stops for good on close()', async () => {
    const client = make({ backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 } });
    client.connect();
    sockets[0]!.open();
    await flush();
    sockets[0]!.drop(WS_CLOSE_CODES.authFailed);
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    await flush();
    expect(sockets[1]!.sent[0]).toEqual({ type: 'auth', token: 'token-2' });
    client.close();
    sockets[1]!.drop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets).toHaveLength(2);
    expect(client.state).toBe('closed');
  });

  it('answers an edit, deletion or reaction under its own client id, and refuses one it cannot send or that goes unanswered', async () => {
    const client = make();
    await expect(client.command({ type: 'chat.delete', messageId: MESSAGE })).rejects.toMatchObject({ name: 'ChatCommandError', code: 'offline' });
    client.connect();
    sockets[0]!.open();
    await flush();
    sockets[0]!.receive(ready());

    const edit = client.command({ type: 'chat.edit', messageId: MESSAGE, body: 'better' });
    const react = client.command({ type: 'chat.react', messageId: MESSAGE, emoji: '👍', add: true });
    const [editFrame, reactFrame] = [sockets[0]!.ofType('chat.edit')[0], sockets[0]!.ofType('chat.react')[0]];
    expect(editFrame).toEqual({ type: 'chat.edit', clientId: expect.any(String), messageId: MESSAGE, body: 'better' });
    expect(reactFrame.clientId).not.toBe(editFrame.clientId);
    // Answers come in any order; each settles its own command.
    sockets[0]!.receive({ type: 'error', code: 'forbidden', message: 'Only the author may edit', ref: { type: 'chat.react', clientId: reactFrame.clientId } });
    const revised = { ...message('better'), editedAt: new Date().toISOString() };
    sockets[0]!.receive({ type: 'chat.applied', clientId: editFrame.clientId, message: revised });
    await expect(edit).resolves.toEqual(revised);
    await expect(react).rejects.toMatchObject({ code: 'forbidden', message: 'Only the author may edit' });

    const unanswered = client.command({ type: 'chat.delete', messageId: MESSAGE });
    const outcome = expect(unanswered).rejects.toMatchObject({ code: 'offline' });
    await vi.advanceTimersByTimeAsync(COMMAND_TIMEOUT_MS);
    await outcome;

    // A command sent on a connection that drops is not resent after the reconnect: the caller hears at once.
    const lost = client.command({ type: 'chat.delete', messageId: MESSAGE });
    sockets[0]!.drop();
    await expect(lost).rejects.toMatchObject({ code: 'offline', message: expect.stringMatching(/connection was lost/) });
    await vi.advanceTimersByTimeAsync(1_000);
    sockets[1]!.open();
    await flush();
    sockets[1]!.receive(ready());
    expect(sockets[1]!.ofType('chat.delete')).toEqual([]);
  });
});
