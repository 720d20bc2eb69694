/**
 * bench/soak: several hundred clients chatting in team channels across two backend instances on
 * PostgreSQL and Redis for a few minutes, while instance A is SIGKILLed and restarted. Prints what
 * was sent, acknowledged, stored, lost and duplicated, the restarts, and acknowledgement latency.
 *
 *   npx tsx bench/soak/run.ts [clients=400] [seconds=180] [restarts=2]
 *
 * Uses DATABASE_URL's server (a fresh database is created and dropped) and REDIS_URL; defaults to
 * the local PostgreSQL and Redis.
 */
import { runSoak } from '../../backend/test/soak/soak-run.js';

const [clients = 400, seconds = 180, restarts = 2] = process.argv.slice(2).map(Number);
const figures = await runSoak({
  clients,
  users: Math.max(10, Math.round(clients / 5)),
  teams: Math.max(1, Math.round(clients / 20)),
  durationMs: seconds * 1000,
  restarts,
  sendIntervalMs: 2000,
  databaseServerUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  log: (line) => console.log(`[soak] ${line}`),
});

const rows: [string, string | number][] = [
  ['clients', figures.clients],
  ['backend instances', figures.instances],
  ['restarts (SIGKILL)', figures.restarts],
  ['messages sent', figures.sent],
  ['acknowledged', figures.acknowledged],
  ['stored', figures.stored],
  ['lost (acknowledged, not stored)', figures.lost],
  ['duplicated', figures.duplicated],
  ['rejected by the server', figures.rejected],
  ['clients reconnected at the end', `${figures.reconnected}/${figures.clients}`],
  ['ack latency p50', `${figures.ackLatencyP50Ms} ms`],
  ['ack latency p99', `${figures.ackLatencyP99Ms} ms`],
  ['surviving instance RSS before / after', `${figures.survivorResidentStartMiB} / ${figures.survivorResidentEndMiB} MiB`],
];
for (const [name, value] of rows) console.log(`${name.padEnd(40)} ${value}`);
const healthy = figures.lost === 0 && figures.duplicated === 0 && figures.acknowledged === figures.sent && figures.reconnected === figures.clients;
console.log(healthy ? 'OK: nothing acknowledged was lost or stored twice' : 'FAILED: see the figures above');
process.exit(healthy ? 0 : 1);
