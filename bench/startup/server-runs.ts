/**
 * Shared by bench/startup and bench/memory: a data directory whose embedded database holds data,
 * and the ways of starting a server on it, each timed from spawn to the first healthy /healthz.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../backend/scripts/build-stamp.mjs';
import { SERVER_BUILD } from '../../backend/scripts/start.mjs';
import { freePort } from '../../backend/test/helpers/server-process.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = fileURLToPath(new URL('../memory/probe.mjs', import.meta.url));

/** How each variant is started; `args` run under `node` in the repository root. */
export const VARIANTS = {
  /** Node's own floor: a bare http server answering /healthz, no framework, no database. */
  'bare node http': { args: [fileURLToPath(new URL('./bare-health-server.mjs', import.meta.url))] },
  /** The server as `npm start` ran it before: its TypeScript sources through the tsx loader. */
  'tsx backend/src/server.ts': { args: ['--import', 'tsx', 'backend/src/server.ts'] },
  /** The built server, as `npm start` runs it once its build stamps are current. */
  'node backend/dist/server.js': { args: ['backend/dist/server.js'] },
  /** `npm start`'s own script: both build stamps checked, then the built server in the same process. */
  'node backend/scripts/start.mjs': { args: ['backend/scripts/start.mjs'] },
} as const;
export type Variant = keyof typeof VARIANTS;

export interface RunningServer {
  child: ChildProcess;
  url: string;
  /** Spawn to first 200 from /healthz. */
  wallMs: number;
  /** CPU the process used until then (user + system). */
  cpuMs: number;
  stop(): Promise<void>;
}

async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/pid/stat, counted in clock ticks (100 a second).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Starts `variant` on `dataDir`; with `probe`, the process also answers memory questions over IPC. */
export async function startServer(variant: Variant, dataDir: string, options: { probe?: boolean; timeoutMs?: number } = {}): Promise<RunningServer> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.probe ? ['--expose-gc', '--import', PROBE] : []), ...VARIANTS[variant].args], {
    cwd: ROOT,
    // Load shedding off: on a loaded machine the first requests after a start would be shed, which
    // is not what these benches measure.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, COLLARO_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', MAX_EVENT_LOOP_DELAY_MS: '0' },
    stdio: options.probe ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (options.timeoutMs ?? 180_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${variant} exited early: ${output.slice(-2000)}`);
    if (performance.now() > deadline) throw new Error(`${variant} did not become healthy: ${output.slice(-2000)}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const wallMs = performance.now() - started;
  const cpuMs = await cpuMsOf(child.pid!);
  return {
    child,
    url,
    wallMs,
    cpuMs,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** A fresh data directory whose embedded database holds an organization, a team and some chat. */
export async function seededDataDir(): Promise<string> {
  await ensureBuilt(SERVER_BUILD);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-bench-data-'));
  const server = await startServer('node backend/dist/server.js', dataDir, { timeoutMs: 600_000 });
  const call = async (method: string, route: string, body?: unknown, token?: string) => {
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<any>;
  };
  const admin = await call('POST', '/api/auth/signup', { email: 'admin@bench.test', password: 'benchmark password', name: 'Admin' });
  const org = await call('POST', '/api/orgs', { name: 'Bench' }, admin.accessToken);
  await call('POST', `/api/orgs/${org.id}/teams`, { name: 'Readers' }, admin.accessToken);
  const { channels } = await call('GET', `/api/orgs/${org.id}/channels`, undefined, admin.accessToken);
  // Within the chat write budget (40 at once), so seeding is never paced.
  for (let index = 0; index < 30; index += 1) {
    await call('POST', `/api/channels/${channels[0].id}/messages`, { clientId: crypto.randomUUID(), body: `message ${index}` }, admin.accessToken);
  }
  await server.stop();
  return dataDir;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
