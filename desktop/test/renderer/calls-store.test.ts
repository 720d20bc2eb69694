import { endpoints, RealtimeClient, type Call } from '@collaro/shared';
import { FakeSocket } from './fake-socket.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../src/renderer/src/api/api-client.js';
import { CallsStore } from '../../src/renderer/src/features/calls/calls-store.js';

const SELF = '5e8b0c9a-0000-4000-8000-00000000000a';
const CALLER = '5e8b0c9a-0000-4000-8000-00000000000b';

/** GET /api/calls/active as the test answers it: each request waits until the test settles it. */
class ActiveCallsEndpoint {
  readonly pending: { resolve: (calls: Call[]) => void; reject: (error: Error) => void }[] = [];
  readonly api: Pick<ApiClient, 'call'> = {
    call: ((target: unknown) => {
      expect(target).toBe(endpoints.calls.active);
      return new Promise<unknown>((resolve, reject) =>
        this.pending.push({ resolve: (calls) => resolve(endpoints.calls.active.responses[200].parse({ calls })), reject }),
      );
    }) as ApiClient['call'],
  };
  answer(calls: Call[]) {
    const request = this.pending.shift();
    if (!request) throw new Error('no request is waiting');
    request.resolve(calls);
  }
  fail() {
    const request = this.pending.shift();
    if (!request) throw new Error('no request is waiting');
    request.reject(new Error('503 Service Unavailable'));
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function ringingCall(id: string, overrides: Partial<Call> = {}): Call {
  return {
    id,
    orgId: '5e8b0c9a-0000-4000-8000-0000000000f1',
    channelId: '5e8b0c9a-0000-4000-8000-0000000000c1',
    meetingId: '5e8b0c9a-0000-4000-8000-0000000000d1',
    callerId: CALLER,
    provider: 'local',
    status: 'ringing',
    outcome: null,
    members: [
      { userId: CALLER, state: 'caller' },
      { userId: SELF, state: 'ringing' },
    ],
    ringsUntil: new Date(Date.now() + 30_000).toISOString(),
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup) fn();
  cleanup = [];
  vi.useRealTimers();
});

async function connectedStore() {
  const socket = new FakeSocket();
  const endpoint = new ActiveCallsEndpoint();
  const client = new RealtimeClient({ url: 'ws://collaro.test/ws', getToken: async () => 'token', createSocket: () => socket, backoff: { initialMs: 10_000 } });
  const store = new CallsStore(client, endpoint.api, SELF);
  cleanup.push(() => {
    store.dispose();
    client.close();
  });
  client.connect();
  socket.open();
  await flush();
  socket.receive({ type: 'ready', userId: SELF, connectionId: 'c1', expiresAt: Date.now() / 1000 + 900, reauthenticated: false });
  await flush();
  return { socket, endpoint, store };
}

const CALL_A = '5e8b0c9a-0000-4000-8000-0000000000a1';

describe('calls store', () => {
  it('rings for a call started while the page was still asking for the active calls', async () => {
    const { socket, endpoint, store } = await connectedStore();
    expect(endpoint.pending).toHaveLength(1);
    // The call starts after the server answered the request, before the answer arrives here.
    socket.receive({ type: 'call.updated', call: ringingCall(CALL_A) });
    expect(store.ringingForMe().map((call) => call.id)).toEqual([CALL_A]);
    endpoint.answer([]);
    await flush();
    expect(store.ringingForMe().map((call) => call.id)).toEqual([CALL_A]);
  });

  it('ends a call the server no longer lists when nothing newer was heard of it', async () => {
    const { endpoint, store } = await connectedStore();
    endpoint.answer([ringingCall(CALL_A)]);
    await flush();
    expect(store.ringingForMe()).toHaveLength(1);
    // The caller cancelled while this device was away: the next refresh no longer lists the call.
    const refreshed = store.refresh();
    expect(store.ringingForMe()).toHaveLength(1);
    endpoint.answer([]);
    await refreshed;
    expect(store.ringingForMe()).toHaveLength(0);
    expect(store.get(CALL_A)?.status).toBe('ended');
  });

  it('keeps a newer state from a frame over an older one in the answer', async () => {
    const { socket, endpoint, store } = await connectedStore();
    socket.receive({
      type: 'call.updated',
      call: ringingCall(CALL_A, {
        status: 'ongoing',
        outcome: 'answered',
        members: [
          { userId: CALLER, state: 'caller' },
          { userId: SELF, state: 'accepted' },
        ],
      }),
    });
    endpoint.answer([ringingCall(CALL_A)]);
    await flush();
    expect(store.get(CALL_A)?.status).toBe('ongoing');
    expect(store.ringingForMe()).toHaveLength(0);
  });

  it('asks again after a failed refresh, so a call ringing meanwhile still rings here', async () => {
    const { endpoint, store } = await connectedStore();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    endpoint.fail();
    await vi.advanceTimersByTimeAsync(0);
    expect(endpoint.pending).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(endpoint.pending).toHaveLength(1);
    endpoint.fail();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(endpoint.pending).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(endpoint.pending).toHaveLength(1);
    endpoint.answer([ringingCall(CALL_A)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.ringingForMe().map((call) => call.id)).toEqual([CALL_A]);
  });
});
