import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import {
  parseServerFrame,
  RealtimeClient,
  type ClientFrame,
  type RealtimeClientOptions,
  type ServerFrame,
  type ServerFrameOf,
  type ServerFrameType,
  type WebSocketLike,
} from '@collaro/shared';
import { call, signUp, type SignedInUser } from '../helpers/test-app.js';

/** An organization with an admin (not on the team), a team with its default channel and two members, an org member off the team, and an outsider. */
export interface ChatWorld {
  orgId: string;
  teamId: string;
  channelId: string;
  admin: SignedInUser;
  alice: SignedInUser;
  bob: SignedInUser;
  /** In the organization, not on the team. */
  carol: SignedInUser;
  /** In another organization. */
  mallory: SignedInUser;
}

async function ok<T = any>(promise: Promise<{ status: number; body: any }>, expected: number): Promise<T> {
  const response = await promise;
  if (response.status !== expected) throw new Error(`expected ${expected}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as T;
}

export async function buildChatWorld(app: FastifyInstance): Promise<ChatWorld> {
  const [admin, alice, bob, carol, mallory] = await Promise.all(['Admin', 'Alice', 'Bob', 'Carol', 'Mallory'].map((name) => signUp(app, name)));
  const org = await ok(call(app, admin!, 'POST', '/api/orgs', { name: 'Acme' }), 201);
  await ok(call(app, mallory!, 'POST', '/api/orgs', { name: 'Elsewhere' }), 201);
  for (const user of [alice!, bob!, carol!]) {
    await ok(call(app, admin!, 'POST', `/api/orgs/${org.id}/members`, { email: user.email }), 201);
  }
  const team = await ok(call(app, admin!, 'POST', `/api/orgs/${org.id}/teams`, { name: 'Platform' }), 201);
  for (const user of [alice!, bob!]) {
    await ok(call(app, admin!, 'POST', `/api/teams/${team.id}/members`, { userId: user.id }), 201);
  }
  // The creator starts as team lead; the admin steps off so "org admin outside the team" is tested.
  await ok(call(app, admin!, 'DELETE', `/api/teams/${team.id}/members/${admin!.id}`), 204);
  const channels = await ok(call(app, alice!, 'GET', `/api/orgs/${org.id}/channels`), 200);
  const general = channels.channels.find((channel: { isDefault: boolean; teamId: string }) => channel.isDefault && channel.teamId === team.id);
  if (!general) throw new Error('team has no default channel');
  return { orgId: org.id, teamId: team.id, channelId: general.id, admin: admin!, alice: alice!, bob: bob!, carol: carol!, mallory: mallory! };
}

export async function listenOnFreePort(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return `ws://127.0.0.1:${port}/ws`;
}

/**
 * A raw protocol client for tests: every server frame is validated against the shared schema and
 * queued, so a test can wait for the next frame matching a predicate.
 */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  readonly invalidFrames: string[] = [];
  private waiters: { match: (frame: ServerFrame) => boolean; resolve: (frame: ServerFrame) => void }[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const parsed = parseServerFrame(data.toString());
      if (!parsed.ok) {
        this.invalidFrames.push(data.toString());
        return;
      }
      this.frames.push(parsed.frame);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.match(parsed.frame)) return true;
        waiter.resolve(parsed.frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async open(url: string): Promise<TestSocket> {
    const ws = new WebSocket(url);
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('error', () => {});
    return socket;
  }

  /** Opens a socket and authenticates it, resolving once the server answered `ready`. */
  static async signedIn(url: string, user: SignedInUser): Promise<TestSocket> {
    const socket = await TestSocket.open(url);
    socket.send({ type: 'auth', token: user.accessToken });
    await socket.next('ready');
    return socket;
  }

  send(frame: ClientFrame | Record<string, unknown>) {
    this.ws.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer) {
    this.ws.send(data);
  }

  /** Resolves with the first frame (already received or still to come) of this type that matches. */
  next<T extends ServerFrameType>(type: T, match: (frame: ServerFrameOf<T>) => boolean = () => true, timeoutMs = 5000): Promise<ServerFrameOf<T>> {
    return this.nextWhere((frame) => frame.type === type && match(frame as ServerFrameOf<T>), `${type} frame`, timeoutMs) as Promise<ServerFrameOf<T>>;
  }

  /** The answer to the frame sent under `clientId`: its acknowledgement (`chat.applied`, `chat.ack`) or its refusal (`error`). */
  answerTo(clientId: string, timeoutMs = 5000): Promise<ServerFrameOf<'chat.applied' | 'chat.ack' | 'error'>> {
    const answers = (frame: ServerFrame) =>
      frame.type === 'error' ? frame.ref?.clientId === clientId : (frame.type === 'chat.applied' || frame.type === 'chat.ack') && frame.clientId === clientId;
    return this.nextWhere(answers, `answer to ${clientId}`, timeoutMs) as Promise<ServerFrameOf<'chat.applied' | 'chat.ack' | 'error'>>;
  }

  /** Resolves with the first frame (already received or still to come) that passes `test`. */
  nextWhere(test: (frame: ServerFrame) => boolean, what: string, timeoutMs = 5000): Promise<ServerFrame> {
    const index = this.frames.findIndex(test);
    if (index >= 0) return Promise.resolve(this.frames.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(new Error(`no ${what} within ${timeoutMs} ms; received: ${this.frames.map((f) => f.type).join(', ')}`));
      }, timeoutMs);
      const done = (frame: ServerFrame) => {
        clearTimeout(timer);
        const at = this.frames.indexOf(frame);
        if (at >= 0) this.frames.splice(at, 1);
        resolve(frame);
      };
      this.waiters.push({ match: test, resolve: done });
    });
  }

  /** True if a matching frame arrives within `ms`. */
  async receives<T extends ServerFrameType>(type: T, match: (frame: ServerFrameOf<T>) => boolean = () => true, ms = 300): Promise<boolean> {
    try {
      await this.next(type, match, ms);
      return true;
    } catch {
      return false;
    }
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close() {
    this.ws.close();
  }
}

/** The shared RealtimeClient on the `ws` package, with quick reconnects for tests; `sockets` exposes each socket it opened. */
export function nodeRealtimeClient(url: string, getToken: () => Promise<string>, options: Partial<RealtimeClientOptions> = {}) {
  const sockets: WebSocket[] = [];
  const client = new RealtimeClient({
    url,
    getToken,
    createSocket: (target) => {
      const socket = new WebSocket(target);
      sockets.push(socket);
      return socket as unknown as WebSocketLike;
    },
    backoff: { initialMs: 50, maxMs: 500, factor: 2, jitter: 0.2 },
    ...options,
  });
  return { client, sockets };
}

/** Resolves once the client has received a frame of this type that matches. */
export function nextClientFrame<T extends ServerFrameType>(
  client: RealtimeClient,
  type: T,
  match: (frame: ServerFrameOf<T>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<ServerFrameOf<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${type} frame within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.on(type, (frame) => {
      if (!match(frame)) return;
      clearTimeout(timer);
      off();
      resolve(frame);
    });
  });
}
