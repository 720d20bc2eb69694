/**
 * Reconnect storm: N clients connected to one server instance, which restarts; every client
 * reconnects the moment it is back. Measures the time from the restarted instance listening until
 * every client has authenticated and resumed its channel, for Collaro (the real app on the embedded
 * database, as `npm start` runs it) and for a bare `ws` server answering the same handshake, and
 * prints the ratio.
 * Usage: npx tsx bench/reconnect-storm/run.ts [clients=5000]
 * BENCH_CPU_PROFILE=file.cpuprofile profiles the restarted Collaro server during the storm
 * (summarize it with bench/chat-fanout/profile-summary.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const count = Number(process.argv[2] ?? 5000);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
/** A client whose attempt failed (refused, reset) tries again after this long, with jitter. */
const RETRY_MS = 100;

interface Ready {
  kind: 'ready';
  port: number;
  tokens?: string[];
  channelId?: string;
}

function start(kind: 'bare' | 'collaro', dataDir: string, port: number, seed: boolean): { child: ChildProcess; ready: Promise<Ready> } {
  const child = fork(here(kind === 'bare' ? './bare-ws-server.ts' : './collaro-server.ts'), [String(count), dataDir, String(port), seed ? 'seed' : ''], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<Ready>((resolve, reject) => {
    child.on('message', (message: { kind?: string }) => {
      if (message?.kind === 'ready') resolve(message as Ready);
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { child, ready };
}

/** Sends the server a request and waits for the answer of this kind. */
function ask(child: ChildProcess, request: string, answer: string): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: { kind?: string }) => {
      if (message?.kind !== answer) return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  await exited;
}

/** One client: authenticates, resumes its channel, and reconnects when told to after a drop. */
class Client {
  private socket: WebSocket | null = null;
  private onResumed: (() => void) | null = null;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly channelId: string,
  ) {}

  /** Resolves once the server has answered this client's `resume`. */
  connect(): Promise<void> {
    return new Promise((resolve) => {
      this.onResumed = resolve;
      this.open();
    });
  }

  private open() {
    const socket = new WebSocket(this.url, { perMessageDeflate: false });
    this.socket = socket;
    let resumed = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token: this.token })));
    socket.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"type":"ready"')) {
        socket.send(JSON.stringify({ type: 'resume', channels: [{ channelId: this.channelId, afterEventSeq: 0 }] }));
      } else if (text.startsWith('{"type":"resumed"')) {
        resumed = true;
        const done = this.onResumed;
        this.onResumed = null;
        done?.();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      // Refused or cut before resuming: try again shortly, as the app's client does.
      if (!resumed && this.onResumed) setTimeout(() => this.open(), RETRY_MS * (0.5 + Math.random()));
    });
  }

  get closed(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => socket.once('close', () => resolve()));
  }
}

async function runOne(kind: 'bare' | 'collaro') {
  const dataDir = await mkdtemp(path.join(tmpdir(), `collaro-storm-${kind}-`));
  try {
    const first = start(kind, dataDir, 0, true);
    const ready = await first.ready;
    const url = `ws://127.0.0.1:${ready.port}/ws`;
    const clients = Array.from(
      { length: count },
      (_, i) => new Client(url, ready.tokens?.[i] ?? 'token', ready.channelId ?? '00000000-0000-4000-8000-000000000000'),
    );
    // The first connections arrive a hundred at a time, as people start their apps over a while.
    const connectStarted = performance.now();
    for (let i = 0; i < count; i += 100) await Promise.all(clients.slice(i, i + 100).map((client) => client.connect()));
    const firstConnectSeconds = (performance.now() - connectStarted) / 1000;

    const dropped = Promise.all(clients.map((client) => client.closed));
    await stop(first.child);
    await dropped;
    const second = start(kind, dataDir, ready.port, false);
    await second.ready;
    const profileFile = kind === 'collaro' ? process.env.BENCH_CPU_PROFILE : undefined;
    if (profileFile) await ask(second.child, 'profile:start', 'profiling');
    // Every client reconnects at once: the storm.
    const stormStarted = performance.now();
    await Promise.all(clients.map((client) => client.connect()));
    const stormSeconds = (performance.now() - stormStarted) / 1000;
    if (profileFile) await ask(second.child, `profile:stop ${profileFile}`, 'profiled');
    const afterStorm = Promise.all(clients.map((client) => client.closed));
    await stop(second.child);
    await afterStorm;
    return { firstConnectSeconds, stormSeconds };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const bare = await runOne('bare');
const collaro = await runOne('collaro');
console.log(`\n== reconnect storm: ${count} clients, the instance they were on restarts ==`);
console.log(`                              bare ws     collaro     ratio`);
console.log(
  `first connect + resume        ${bare.firstConnectSeconds.toFixed(2).padEnd(6)} s    ${collaro.firstConnectSeconds.toFixed(2).padEnd(6)} s    ${(collaro.firstConnectSeconds / bare.firstConnectSeconds).toFixed(2)}x`,
);
console.log(
  `restart -> every client resumed ${bare.stormSeconds.toFixed(2).padEnd(6)} s  ${collaro.stormSeconds.toFixed(2).padEnd(6)} s    ${(collaro.stormSeconds / bare.stormSeconds).toFixed(2)}x  (target <= 2x)`,
);
