/**
 * WebSocket abuse benchmark: one account's connection sends the most expensive frames it can, as
 * fast as it can (reconnecting at once whenever it is dropped), while another user's `GET /api/me`
 * is timed. Prints that request's p50/p99 with the server idle and under attack, and the ratio
 * (target: p99 within 2x of idle), plus what the attacker got out of the server.
 *
 * The attacking client runs on the same (small) machine, and its flooding takes CPU of its own. So
 * besides idle (no attacker process) there is a control phase: the same attacker process floods a
 * sink of its own instead of the server, loading the machine without touching the server (an upper
 * bound: a sink never pushes back, the server does). The server's own CPU use in each phase is
 * printed too, which a busy machine disturbs far less than latency. The phases alternate (`rounds`
 * of each), so a machine whose load drifts during the run weighs on every side alike.
 * Usage: npx tsx bench/ws-abuse/run.ts [seconds per phase=5] [rounds=4] [historyLength=500]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 4);
const historyLength = Number(process.argv[4] ?? 500);

interface Ready {
  kind: 'ready';
  httpUrl: string;
  wsUrl: string;
  attackerToken: string;
  victimToken: string;
  channelId: string;
}

interface AttackStats {
  connections: number;
  framesSent: number;
  bytesReceived: number;
  closes: [number, number][];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Timings {
  samples: number[];
  failures: Map<number, number>;
  /** Server CPU time (user + system) and wall time spent in this kind of phase. */
  cpuMicros: number;
  wallMs: number;
}

const newTimings = (): Timings => ({ samples: [], failures: new Map(), cpuMicros: 0, wallMs: 0 });

/** The server process's CPU time so far, in microseconds. */
function serverCpu(): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: { kind?: string; micros?: number }) => {
      if (message?.kind !== 'cpu') return;
      child.off('message', onMessage);
      resolve(message.micros!);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

/** Times `GET /api/me` back to back (with a short pause) for `durationMs`, adding to `into`. */
async function timeRequests(ready: Ready, durationMs: number, into: Timings = newTimings()) {
  const { samples, failures } = into;
  const cpuBefore = await serverCpu();
  const started = performance.now();
  const end = started + durationMs;
  while (performance.now() < end) {
    const started = performance.now();
    const response = await fetch(`${ready.httpUrl}/api/me`, { headers: { authorization: `Bearer ${ready.victimToken}` } });
    await response.arrayBuffer();
    samples.push(performance.now() - started);
    if (response.status !== 200) failures.set(response.status, (failures.get(response.status) ?? 0) + 1);
    await sleep(5);
  }
  into.cpuMicros += (await serverCpu()) - cpuBefore;
  into.wallMs += performance.now() - started;
  return into;
}

function summary({ samples, failures, cpuMicros, wallMs }: Timings) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), count: sorted.length, failures, cpu: cpuMicros / 1000 / wallMs };
}

/** A phase with an attacker process: flooding the server, or (`control`) a sink of its own. */
async function attackerPhase(ready: Ready, mode: 'attack' | 'control', into: Timings, totals: AttackStats) {
  // The attacker runs in a process of its own, so its work does not slow the timing loop here.
  const attacker = fork(fileURLToPath(new URL('./attacker.ts', import.meta.url)), [JSON.stringify(ready), mode], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // Its start-up (compiling, connecting) is not part of either phase.
  await sleep(1500);
  await timeRequests(ready, seconds * 1000, into);
  const stats = await new Promise<AttackStats>((resolve) => {
    attacker.once('message', (message: AttackStats) => resolve(message));
    attacker.send('stop');
  });
  attacker.kill('SIGKILL');
  totals.connections += stats.connections;
  totals.framesSent += stats.framesSent;
  totals.bytesReceived += stats.bytesReceived;
  for (const [code, n] of stats.closes) {
    const entry = totals.closes.find(([known]) => known === code);
    if (entry) entry[1] += n;
    else totals.closes.push([code, n]);
  }
  // Let what the attack left queued drain before the next idle phase is timed.
  await sleep(2000);
}

const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [String(historyLength)], {
  // BENCH_CPU_PROF=<dir> writes the server's CPU profile there, to see where an attack's time goes.
  execArgv: [
    '--import',
    'tsx',
    '--max-old-space-size=4096',
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
  ],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
try {
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.on('message', (message: Ready) => message.kind === 'ready' && resolve(message));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  await timeRequests(ready, 2000); // warm-up: first requests compile routes and fill caches
  const idleTimings = newTimings();
  const controlTimings = newTimings();
  const attackedTimings = newTimings();
  const controlStats: AttackStats = { connections: 0, framesSent: 0, bytesReceived: 0, closes: [] };
  const stats: AttackStats = { connections: 0, framesSent: 0, bytesReceived: 0, closes: [] };
  for (let round = 0; round < rounds; round += 1) {
    await timeRequests(ready, seconds * 1000, idleTimings);
    await attackerPhase(ready, 'control', controlTimings, controlStats);
    await attackerPhase(ready, 'attack', attackedTimings, stats);
  }
  const idle = summary(idleTimings);
  const control = summary(controlTimings);
  const attacked = summary(attackedTimings);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const failures = (map: Map<number, number>) => (map.size === 0 ? 'none' : [...map].map(([status, n]) => `${n} x ${status}`).join(', '));
  console.log(`\n== GET /api/me while one connection floods the gateway (${rounds} x ${seconds} s of each) ==`);
  console.log(`                  idle         control      under attack  attack/idle  attack/control`);
  const row = (label: string, pick: (t: ReturnType<typeof summary>) => string) =>
    `${label.padEnd(18)}${pick(idle).padEnd(13)}${pick(control).padEnd(13)}${pick(attacked).padEnd(14)}`;
  const ratios = (pick: (t: ReturnType<typeof summary>) => number) =>
    `${`${(pick(attacked) / pick(idle)).toFixed(2)}x`.padEnd(13)}${(pick(attacked) / pick(control)).toFixed(2)}x`;
  console.log(`${row('p50 latency', (t) => ms(t.p50))}${ratios((t) => t.p50)}`);
  console.log(`${row('p99 latency', (t) => ms(t.p99))}${ratios((t) => t.p99)}  (target: attack/idle <= 2x)`);
  console.log(row('requests', (t) => String(t.count)));
  console.log(row('failed requests', (t) => failures(t.failures)));
  console.log(`${row('server CPU', (t) => `${(t.cpu * 100).toFixed(0)}%`)}(of one core, timing requests included)`);
  console.log('(idle: no attacker process; control: the attacker process floods a sink of its own, not the server)');
  console.log(
    `attacker: ${stats.connections} connection(s), ${stats.framesSent} frames sent, ${(stats.bytesReceived / 1024 / 1024).toFixed(1)} MiB received, closed with ${failures(new Map(stats.closes))}`,
  );
} finally {
  // A clean exit lets a CPU profile be written; a hung server is killed.
  child.send('exit');
  await Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(5000)]);
  child.kill('SIGKILL');
}
