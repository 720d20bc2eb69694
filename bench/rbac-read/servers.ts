/**
 * The three servers the rbac-read benchmark compares, in one child process so the load generator
 * (the parent) does not share an event loop with them. Prints one JSON line with ports and fixtures.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../../backend/src/app.js';
import { loadConfig } from '../../backend/src/config.js';
import { openDatabase } from '../../backend/src/db/client.js';

const databaseUrl = process.env.BENCH_DATABASE_URL!;
const dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-bench-'));
// Load shedding stays on (its per-request check is part of what is measured) but cannot trip on a loaded machine.
const config = loadConfig({ COLLARO_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '600000' });
const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 10 });
await database.migrate();
const collaro = await buildApp({ config, database, logger: false });
await collaro.listen({ host: '127.0.0.1', port: 0 });

const json = async (method: string, url: string, body?: unknown, token?: string) => {
  const response = await collaro.inject({
    method: method as 'POST',
    url,
    ...(body ? { payload: body as object } : {}),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
};
const admin = await json('POST', '/api/auth/signup', { email: 'admin@bench.test', password: 'benchmark pw', name: 'Admin' });
const member = await json('POST', '/api/auth/signup', { email: 'member@bench.test', password: 'benchmark pw', name: 'Member' });
const org = await json('POST', '/api/orgs', { name: 'Bench' }, admin.accessToken);
await json('POST', `/api/orgs/${org.id}/members`, { email: 'member@bench.test' }, admin.accessToken);
const team = await json('POST', `/api/orgs/${org.id}/teams`, { name: 'Readers' }, admin.accessToken);
await json('POST', `/api/teams/${team.id}/members`, { userId: member.user.id }, admin.accessToken);

const bare = Fastify({ logger: false });
bare.get('/bare', async () => ({ ok: true }));
await bare.listen({ host: '127.0.0.1', port: 0 });

const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
const raw = Fastify({ logger: false });
raw.get<{ Params: { id: string } }>('/raw/:id', async (request) => {
  const { rows } = await pool.query('select id, org_id as "orgId", name from teams where id = $1', [request.params.id]);
  return rows[0];
});
await raw.listen({ host: '127.0.0.1', port: 0 });

const portOf = (app: { server: { address(): unknown } }) => (app.server.address() as { port: number }).port;
console.log(
  JSON.stringify({
    collaro: `http://127.0.0.1:${portOf(collaro)}/api/teams/${team.id}`,
    token: member.accessToken,
    bare: `http://127.0.0.1:${portOf(bare)}/bare`,
    raw: `http://127.0.0.1:${portOf(raw)}/raw/${team.id}`,
  }),
);
process.on('SIGTERM', async () => {
  await Promise.all([collaro.close(), bare.close(), raw.close()]);
  await Promise.all([database.close(), pool.end()]);
  process.exit(0);
});
