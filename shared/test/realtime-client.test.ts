import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MessageRejectedError, RealtimeClient, type WebSocketLike } from '../src/realtime-client/index.js';
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
    expect(sockets[0]!.ofType('auth')).toEqual([{ type: 'auth', token: 'token-1' }, { type: 'auth', token: 'token-2' }]);
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
    sockets[0]!.receive({ type: 'error', code: 'rate_limited', message: 'slow down', ref: { type: 'chat.send', clientId: limited.clientId }, retryAfterMs: 400 });
    await vi.advanceTimersByTimeAsync(399);
    expect(sockets[0]!.ofType('chat.send')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets[0]!.ofType('chat.send').map((f) => f.body)).toEqual(['too fast', 'too fast']);
    sockets[0]!.receive(ack(limited.clientId, 4));
    expect(sockets[0]!.ofType('chat.send').at(-1).body).toBe('not allowed');
    sockets[0]!.receive({ type: 'error', code: 'forbidden', message: 'You are not a member of this channel', ref: { type: 'chat.send', clientId: refused.clientId } });
    await expect(refused.acked).rejects.toBeInstanceOf(MessageRejectedError);
    expect(client.pendingMessages()).toEqual([]);
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
        id: MESSAGE, channelId: CHANNEL, seq: 12, eventSeq: 15, clientId: MESSAGE, authorId: USER, body: 'hello',
        replyToId: null, createdAt: new Date().toISOString(), editedAt: null, deletedAt: null, reactions: [],
      },
    });
    expect(seen).toEqual(['hello']);
    expect(client.cursorsSnapshot()).toEqual({ [CHANNEL]: 15 });
    sockets[0]!.receive({ type: 'chat.refetch', channelId: CHANNEL, lastEventSeq: 900 });
    expect(client.cursorsSnapshot()).toEqual({ [CHANNEL]: 900 });
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
});
