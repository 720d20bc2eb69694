import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatAck, ChatMessage, RealtimeClient } from '@collaro/shared';
import { createServerDatabase, freePort, ServerProcess } from '../helpers/server-process.js';
import { nodeRealtimeClient } from './realtime-world.js';

const MESSAGES_PER_CLIENT = 80;

/** A brand-new database on the PostgreSQL server when DATABASE_URL is set; the embedded data dir otherwise. */
async function createDatabaseForServer(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? createServerDatabase(serverUrl, 'collaro_restart') : { url: undefined, drop: async () => {} };
}

describe('a backend killed with SIGKILL mid-stream and restarted', () => {
  let dataDir: string;
  let database: Awaited<ReturnType<typeof createDatabaseForServer>>;
  let server: ServerProcess;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-restart-'));
    database = await createDatabaseForServer();
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOST: '127.0.0.1',
      COLLARO_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_IP: '100000',
      AUTH_RATE_LIMIT_PER_EMAIL: '100000',
      AUTH_RATE_LIMIT_PER_ACCOUNT: '100000',
    };
    delete env.REDIS_URL;
    delete env.DATABASE_URL;
    if (database.url) env.DATABASE_URL = database.url;
    server = new ServerProcess(env, port);
    await server.start();
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.kill('SIGTERM');
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  const api = (method: string, url: string, token: string | null, body?: unknown) =>
    server.request(method, url, { ...(token ? { token } : {}), ...(body === undefined ? {} : { body }) });

  it('loses no acknowledged message and stores none twice while clients keep sending', async () => {
    const signUp = (name: string) =>
      api('POST', '/api/auth/signup', null, { email: `${name}-${Date.now()}@example.test`, password: 'correct horse battery', name });
    const alice = await signUp('alice');
    const bob = await signUp('bob');
    const org = await api('POST', '/api/orgs', alice.accessToken, { name: 'Restart Inc' });
    await api('POST', `/api/orgs/${org.id}/members`, alice.accessToken, { email: bob.user.email });
    const team = await api('POST', `/api/orgs/${org.id}/teams`, alice.accessToken, { name: 'Core' });
    await api('POST', `/api/teams/${team.id}/members`, alice.accessToken, { userId: bob.user.id });
    const { channels } = await api('GET', `/api/orgs/${org.id}/channels`, alice.accessToken);
    const channelId = channels.find((c: { isDefault: boolean }) => c.isDefault).id as string;

    const wsUrl = `${server.url.replace('http', 'ws')}/ws`;
    const senders = [alice, bob].map((user) => {
      const { client } = nodeRealtimeClient(wsUrl, async () => user.accessToken as string);
      clients.push(client);
      client.connect();
      return { client, user, sent: [] as { clientId: string; acked: Promise<ChatAck> }[], ackedBeforeKill: [] as ChatAck[] };
    });

    let killed = false;
    const settled = new Map<string, ChatAck>();
    const sending = senders.map(async (sender) => {
      for (let i = 0; i < MESSAGES_PER_CLIENT; i += 1) {
        const message = sender.client.sendMessage({ channelId, body: `${sender.user.user.name} #${i}` });
        sender.sent.push(message);
        void message.acked.then((ack) => {
          settled.set(ack.clientId, ack);
          if (!killed) sender.ackedBeforeKill.push(ack);
        });
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    });

    while (settled.size < 40) await new Promise((resolve) => setTimeout(resolve, 10));
    killed = true;
    await server.kill('SIGKILL');
    const ackedAtKill = senders.flatMap((sender) => sender.ackedBeforeKill);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const queuedWhileDown = senders.reduce((n, sender) => n + sender.client.pendingMessages().length, 0);
    await server.start();
    await Promise.all(sending);

    const acks = await Promise.all(senders.flatMap((sender) => sender.sent.map((s) => s.acked)));
    expect(acks).toHaveLength(2 * MESSAGES_PER_CLIENT);
    expect(ackedAtKill.length).toBeGreaterThanOrEqual(40);
    expect(queuedWhileDown).toBeGreaterThan(0);
    for (const sender of senders) expect(sender.client.pendingMessages()).toEqual([]);

    const history: ChatMessage[] = [];
    for (let after = 0; ;) {
      const page = await api('GET', `/api/channels/${channelId}/messages?after=${after}&limit=200`, alice.accessToken);
      history.push(...page.messages);
      if (!page.hasMore) break;
      after = page.messages.at(-1).seq;
    }
    const byClientId = new Map<string, number>();
    for (const message of history) byClientId.set(message.clientId, (byClientId.get(message.clientId) ?? 0) + 1);
    const duplicated = [...byClientId].filter(([, copies]) => copies > 1);
    expect(duplicated).toEqual([]);
    const lost = acks.filter((ack) => !history.some((message) => message.id === ack.messageId));
    expect(lost).toEqual([]);
    const lostFromBeforeKill = ackedAtKill.filter((ack) => !history.some((message) => message.id === ack.messageId));
    expect(lostFromBeforeKill).toEqual([]);
    expect(history).toHaveLength(2 * MESSAGES_PER_CLIENT);
    const seqs = history.map((message) => message.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const sender of senders) {
      const own = history.filter((m) => m.authorId === sender.user.user.id).map((m) => Number(m.body.split('#')[1]));
      expect(own).toEqual([...own].sort((a, b) => a - b));
    }
  }, 180_000);
});
