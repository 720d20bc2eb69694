/**
 * Collaro's real app on the embedded database (in-memory PGlite), as `npm start` runs it, load
 * shedding included. Two accounts sign up through the real routes: the attacker, in an organization
 * whose channel holds a long history of large messages (the most a replay can cost), and the
 * victim, in an organization of their own.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MESSAGE_BODY_MAX_LENGTH } from '@collaro/shared';
import { buildApp } from '../../backend/src/app.js';
import { loadConfig } from '../../backend/src/config.js';
import { openDatabase } from '../../backend/src/db/client.js';
import { postMessage } from '../../backend/src/modules/chat/repository.js';

const historyLength = Number(process.argv[2] ?? 500);
const database = await openDatabase({ kind: 'memory' });
await database.migrate();
const dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-bench-'));
const config = loadConfig({ COLLARO_DATA_DIR: dataDir, LOG_LEVEL: 'error', HOST: '127.0.0.1', PORT: '0' });
const app = await buildApp({ config, database });
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as { port: number };

async function request(method: string, url: string, token: string | null, payload?: unknown) {
  const response = await app.inject({
    method: method as 'GET',
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload ? { payload: payload as object } : {}),
  });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}
const signUp = (name: string) =>
  request('POST', '/api/auth/signup', null, { email: `${name}-${randomUUID()}@example.test`, password: 'correct horse battery', name });

const attacker = await signUp('attacker');
const victim = await signUp('victim');
const org = await request('POST', '/api/orgs', attacker.accessToken, { name: 'Attackers' });
await request('POST', `/api/orgs/${org.id}/teams`, attacker.accessToken, { name: 'Noise' });
await request('POST', '/api/orgs', victim.accessToken, { name: 'Victims' });
const { channels } = await request('GET', `/api/orgs/${org.id}/channels`, attacker.accessToken);
const channelId = channels[0].id as string;
const body = 'x'.repeat(MESSAGE_BODY_MAX_LENGTH);
for (let i = 0; i < historyLength; i += 1) {
  await postMessage(app.db, { channel: { id: channelId, orgId: org.id }, authorId: attacker.user.id, clientId: randomUUID(), body, mentions: [] });
}
process.send!({
  kind: 'ready',
  httpUrl: `http://127.0.0.1:${port}`,
  wsUrl: `ws://127.0.0.1:${port}/ws`,
  attackerToken: attacker.accessToken,
  victimToken: victim.accessToken,
  channelId,
});
process.on('message', (message) => {
  if (message === 'exit') process.exit(0);
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ kind: 'cpu', micros: user + system });
  }
});
