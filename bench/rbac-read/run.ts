/**
 * bench/rbac-read: GET /api/teams/:teamId as a team member (token verification, session check,
 * policy, two queries) against a bare Fastify route and a raw single-query `pg` route on the same
 * PostgreSQL, all measured in this run, in interleaved rounds (median reported).
 * Usage: npx tsx bench/rbac-read/run.ts [seconds per run]   (BENCH_ROUNDS, default 3)
 * Uses BENCH_DATABASE_URL, else a fresh database on DATABASE_URL's server or local PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { createServerDatabase } from '../../backend/test/helpers/server-process.js';

const seconds = Number(process.argv[2] ?? 10);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = await createServerDatabase(serverUrl, 'collaro_bench');
const servers = spawn(process.execPath, ['--import', 'tsx', new URL('./servers.ts', import.meta.url).pathname], {
  env: { ...process.env, BENCH_DATABASE_URL: database.url },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const firstLine = await new Promise<string>((resolve, reject) => {
  createInterface({ input: servers.stdout! }).once('line', resolve);
  servers.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
});
const targets = JSON.parse(firstLine) as { collaro: string; token: string; bare: string; raw: string };

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function measureOnce(name: string, url: string, headers: Record<string, string>) {
  const result = await autocannon({ url, headers, connections: 50, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  const routes = [
    { name: 'bare Fastify route', url: targets.bare, headers: {} },
    { name: 'raw pg single query', url: targets.raw, headers: {} },
    { name: 'Collaro GET /api/teams/:id', url: targets.collaro, headers: { authorization: `Bearer ${targets.token}` } },
  ];
  // Warm-up so JIT, pools and caches are settled before anything is measured.
  for (const route of routes) await autocannon({ url: route.url, headers: route.headers, connections: 20, duration: 2 });
  // Rounds interleave the three routes, so load from elsewhere on a shared machine hits all alike.
  const samples = new Map(routes.map((route) => [route.name, [] as { rps: number; p99: number }[]]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const route of routes) samples.get(route.name)!.push(await measureOnce(route.name, route.url, route.headers));
  }
  const rps = new Map<string, number>();
  for (const route of routes) {
    const runs = samples.get(route.name)!;
    rps.set(route.name, median(runs.map((run) => run.rps)));
    console.log(
      `${route.name.padEnd(28)} ${rps.get(route.name)!.toFixed(0).padStart(7)} req/s (median of ${ROUNDS})   p99 ${median(runs.map((run) => run.p99))} ms`,
    );
  }
  const [bare, raw, collaro] = routes.map((route) => rps.get(route.name)!) as [number, number, number];
  console.log('');
  console.log(`Collaro / raw pg:      ${(collaro / raw).toFixed(2)}x   (target >= 0.6x, aim 0.8x)`);
  console.log(`Collaro / bare route:  ${(collaro / bare).toFixed(2)}x`);
  console.log(`raw pg / bare route:   ${(raw / bare).toFixed(2)}x`);
} finally {
  servers.kill('SIGTERM');
  await new Promise((resolve) => servers.once('exit', resolve));
  await database.drop();
}
