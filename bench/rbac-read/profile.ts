/**
 * CPU profile of GET /api/teams/:id under load: runs bench/rbac-read's servers with --cpu-prof,
 * loads only Collaro's route for [seconds] (default 10), then prints the busiest functions.
 * Usage: npx tsx bench/rbac-read/profile.ts [seconds] [profile dir]
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { createServerDatabase } from '../../backend/test/helpers/server-process.js';

const seconds = Number(process.argv[2] ?? 10);
const profileDir = path.resolve(process.argv[3] ?? 'bench/results/rbac-profile');
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = await createServerDatabase(serverUrl, 'collaro_bench');
const servers = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', 'tsx', new URL('./servers.ts', import.meta.url).pathname], {
  env: { ...process.env, BENCH_DATABASE_URL: database.url },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const firstLine = await new Promise<string>((resolve, reject) => {
  createInterface({ input: servers.stdout! }).once('line', resolve);
  servers.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
});
const targets = JSON.parse(firstLine) as { collaro: string; token: string };
const result = await autocannon({ url: targets.collaro, headers: { authorization: `Bearer ${targets.token}` }, connections: 50, duration: seconds });
console.log(`${result.requests.average.toFixed(0)} req/s, ${result.non2xx} non-2xx`);
const exited = new Promise((resolve) => servers.once('exit', resolve));
servers.kill('SIGTERM');
await exited;
await database.drop();

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
// The largest profile is the main thread's (tsx's loader thread writes a small one beside it).
const file = readdirSync(profileDir)
  .filter((name) => name.endsWith('.cpuprofile'))
  .map((name) => path.join(profileDir, name))
  .sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
const self = new Map<number, number>();
for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1);
const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
const total = profile.samples.length;
const idle = profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').reduce((sum, node) => sum + (self.get(node.id) ?? 0), 0);
/** Self time grouped by package or source folder. */
const group = (url: string) => {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0)
    return url
      .slice(nm + 13)
      .split('/')
      .slice(0, url.slice(nm + 13).startsWith('@') ? 2 : 1)
      .join('/');
  const src = url.indexOf('/src/');
  if (src >= 0)
    return url
      .slice(src + 1)
      .split('/')
      .slice(0, 3)
      .join('/');
  return url.startsWith('node:') ? url : url === '' ? '(native/gc)' : path.basename(url);
};
const groups = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, count] of self) {
  const node = byNode.get(id)!;
  if (node.callFrame.functionName === '(idle)') continue;
  const key = group(node.callFrame.url);
  groups.set(key, (groups.get(key) ?? 0) + count);
  const fn = `${node.callFrame.functionName || '(anonymous)'} ${path.basename(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
  functions.set(fn, (functions.get(fn) ?? 0) + count);
}
const busy = total - idle;
console.log(`profile ${file}: ${busy} busy samples of ${total}`);
for (const [key, count] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${((count / busy) * 100).toFixed(1).padStart(5)} %  ${key}`);
console.log('busiest functions (self time):');
for (const [key, count] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${((count / busy) * 100).toFixed(1).padStart(5)} %  ${key}`);
