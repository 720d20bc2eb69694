import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { RealtimeClient, type WebSocketLike } from '@collaro/shared';
import { createServerDatabase, freePort, ServerProcess } from '../helpers/server-process.js';

/**
 * The soak: many real clients chatting in team channels across two backend instances on one
 * PostgreSQL and one Redis, while instance A is killed with SIGKILL and restarted. Afterwards the
 * database is compared with what clients were told: every acknowledged message must be stored
 * exactly once. Shared by the CI test (short) and `bench/soak` (long).
 */
export interface SoakOptions {
  clients: number;
  users: number;
  /** Users are spread over this many teams, each chatting in its own default channel. */
  teams: number;
  durationMs: number;
  restarts: number;
  sendIntervalMs: number;
  databaseServerUrl: string;
  redisUrl: string;
  log?: (line: string) => void;
}

export interface SoakFigures {
  clients: number;
  instances: number;
  restarts: number;
  sent: number;
  acknowledged: number;
  rejected: number;
  stored: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  reconnected: number;
  ackLatencyP50Ms: number;
  ackLatencyP99Ms: number;
  survivorResidentStartMiB: number;
  survivorResidentEndMiB: number;
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

export async function runSoak(options: SoakOptions): Promise<SoakFigures> {
  const log = options.log ?? (() => {});
  const database = await createServerDatabase(options.databaseServerUrl, 'collaro_soak');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-soak-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: database.url,
    REDIS_URL: options.redisUrl,
    // Both instances share the data dir, and so the key that signs access tokens.
    COLLARO_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_PER_IP: '1000000',
    AUTH_RATE_LIMIT_PER_EMAIL: '1000000',
    AUTH_RATE_LIMIT_PER_ACCOUNT: '1000000',
  };
  const a = new ServerProcess(env, await freePort());
  const b = new ServerProcess(env, await freePort());
  const clients: RealtimeClient[] = [];
  try {
    await a.start();
    await b.start();
    log(`instances up: A ${a.url}, B ${b.url}`);

    const admin = await a.request('POST', '/api/auth/signup', { body: { email: 'admin@soak.test', password: 'soak password', name: 'Admin' } });
    const org = await a.request('POST', '/api/orgs', { body: { name: 'Soak' }, token: admin.accessToken });
    const teams = await inBatches(
      Array.from({ length: options.teams }, (_, i) => i),
      4,
      (i) => a.request('POST', `/api/orgs/${org.id}/teams`, { body: { name: `Team ${i}` }, token: admin.accessToken }),
    );
    const users = await inBatches(
      Array.from({ length: options.users }, (_, i) => i),
      8,
      (i) => b.request('POST', '/api/auth/signup', { body: { email: `user${i}@soak.test`, password: 'soak password', name: `User ${i}` } }),
    );
    const teamOfUser = (index: number) => teams[index % teams.length];
    await inBatches(
      users.map((user, index) => ({ user, team: teamOfUser(index) })),
      8,
      async ({ user, team }) => {
        await a.request('POST', `/api/orgs/${org.id}/members`, { body: { email: user.user.email }, token: admin.accessToken });
        await a.request('POST', `/api/teams/${team.id}/members`, { body: { userId: user.user.id }, token: admin.accessToken });
      },
    );
    const channels = await a.request('GET', `/api/orgs/${org.id}/channels`, { token: admin.accessToken });
    const channelOfTeam = new Map<string, string>(
      channels.channels.filter((c: { isDefault: boolean }) => c.isDefault).map((c: { teamId: string; id: string }) => [c.teamId, c.id]),
    );
    const channelIds = [...channelOfTeam.values()];
    log(`${users.length} users in ${teams.length} team channels`);

    const channelOfClient: string[] = [];
    for (let i = 0; i < options.clients; i += 1) {
      const user = users[i % users.length];
      channelOfClient.push(channelOfTeam.get(teamOfUser(i % users.length).id)!);
      const instance = i % 2 === 0 ? a : b;
      const client = new RealtimeClient({
        url: `${instance.url.replace('http', 'ws')}/ws`,
        getToken: async () => user.accessToken,
        createSocket: (target) => new WebSocket(target) as unknown as WebSocketLike,
        backoff: { initialMs: 100, maxMs: 2000, factor: 2, jitter: 0.5 },
      });
      clients.push(client);
      client.connect();
    }
    const allOpen = async (timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (clients.every((client) => client.state === 'open')) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    };
    if (!(await allOpen(60_000))) throw new Error('not every client connected');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const survivorResidentStart = await b.residentBytes();
    log(`${clients.length} clients connected`);

    const sentIds = new Set<string>();
    const acked = new Map<string, string>();
    const latencies: number[] = [];
    let rejected = 0;
    let sending = true;
    const pendingAcks: Promise<unknown>[] = [];
    const senders = clients.map(async (client, index) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * options.sendIntervalMs));
      let n = 0;
      while (sending) {
        const startedAt = performance.now();
        const { clientId, acked: ack } = client.sendMessage({ channelId: channelOfClient[index]!, body: `client ${index} message ${n++}` });
        sentIds.add(clientId);
        pendingAcks.push(
          ack.then(
            (frame) => {
              acked.set(clientId, frame.messageId);
              latencies.push(performance.now() - startedAt);
            },
            () => {
              rejected += 1;
            },
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, options.sendIntervalMs * (0.5 + Math.random())));
      }
    });

    const restartTimes = Array.from({ length: options.restarts }, (_, k) => ((k + 1) * options.durationMs) / (options.restarts + 1));
    const started = Date.now();
    let restarts = 0;
    for (const at of restartTimes) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + at - Date.now())));
      await a.kill('SIGKILL');
      log(`instance A killed with SIGKILL (${acked.size} acknowledged so far)`);
      await a.start();
      restarts += 1;
      log('instance A restarted');
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + options.durationMs - Date.now())));
    sending = false;
    await Promise.all(senders);

    // Let every outbox drain: the clients resend whatever was not acknowledged before a restart.
    const drainDeadline = Date.now() + 60_000;
    while (Date.now() < drainDeadline && clients.some((client) => client.pendingMessages().length > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await Promise.race([Promise.allSettled(pendingAcks), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    const reconnected = clients.filter((client) => client.state === 'open').length;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const survivorResidentEnd = await b.residentBytes();

    const pool = new pg.Client({ connectionString: database.url });
    await pool.connect();
    const { rows } = await pool.query<{ client_id: string; copies: number }>(
      'select client_id, count(*)::int as copies from messages where channel_id = any($1::uuid[]) group by client_id',
      [channelIds],
    );
    await pool.end();
    const storedCopies = new Map(rows.map((row) => [row.client_id, row.copies]));
    const lost = [...acked.keys()].filter((clientId) => !storedCopies.has(clientId)).length;
    const duplicated = rows.filter((row) => row.copies > 1).length;
    const unexpected = rows.filter((row) => !sentIds.has(row.client_id)).length;

    return {
      clients: clients.length,
      instances: 2,
      restarts,
      sent: sentIds.size,
      acknowledged: acked.size,
      rejected,
      stored: rows.reduce((sum, row) => sum + row.copies, 0),
      lost,
      duplicated,
      unexpected,
      reconnected,
      ackLatencyP50Ms: Math.round(percentile(latencies, 50)),
      ackLatencyP99Ms: Math.round(percentile(latencies, 99)),
      survivorResidentStartMiB: Math.round(survivorResidentStart / 2 ** 20),
      survivorResidentEndMiB: Math.round(survivorResidentEnd / 2 ** 20),
    };
  } finally {
    for (const client of clients) client.close();
    await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
