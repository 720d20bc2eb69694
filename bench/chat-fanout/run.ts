/**
 * Chat fan-out benchmark: N authenticated clients in one channel, one sender broadcasting.
 * Measures delivery latency (send -> every receiver) and server memory per idle connection, for
 * Collaro's gateway and for a bare `ws` broadcast server in the same run, and prints the ratios.
 * Usage: npx tsx bench/chat-fanout/run.ts [clientCounts=1000,5000] [rounds=30]
 * BENCH_CPU_PROFILE=file.cpuprofile profiles the Collaro server while the measured connections
 * connect and authenticate (summarize it with profile-summary.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const counts = (process.argv[2] ?? '1000,5000').split(',').map(Number);
const rounds = Number(process.argv[3] ?? 30);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Ready {
  kind: 'ready';
  url: string;
  tokens?: string[];
  channelId?: string;
}
interface Memory {
  kind: 'memory';
  rss: number;
  /** Live JavaScript heap plus memory held outside it (buffers, WebAssembly). */
  heap: number;
  heapTotal: number;
}
interface Result {
  p50: number;
  p99: number;
  rssPerConnection: number;
  heapPerConnection: number;
  connectSeconds: number;
}

function nextMessage<T>(child: ChildProcess, kind: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { kind?: string }) => {
      if (message?.kind !== kind) return;
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function memory(child: ChildProcess): Promise<Memory> {
  const answer = nextMessage<Memory>(child, 'memory');
  child.send('memory');
  return answer;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Waits until no client has received anything for `quietMs`, so connection-time traffic does not skew memory or latency. */
async function settle(lastActivity: () => number, quietMs = 1500) {
  while (performance.now() - lastActivity() < quietMs) await sleep(200);
}

async function runOne(kind: 'bare' | 'collaro', count: number): Promise<Result> {
  const child = fork(here(kind === 'bare' ? './bare-ws-server.ts' : './collaro-server.ts'), [String(count)], {
    execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = await nextMessage<Ready>(child, 'ready');
    let lastActivity = performance.now();
    let expectedRound = -1;
    let roundStart = 0;
    let received = 0;
    const samples: number[] = [];
    let roundDone: () => void = () => {};
    const onText = (text: string) => {
      lastActivity = performance.now();
      if (!text.includes('"chat.message"')) return;
      const frame = JSON.parse(text) as { message: { body: string } };
      const round = Number(frame.message.body.split(' ')[1]);
      if (round !== expectedRound) return;
      samples.push(performance.now() - roundStart);
      received += 1;
      if (received === count) roundDone();
    };

    const connectAll = async () => {
      const sockets: WebSocket[] = [];
      for (let i = 0; i < count; i += 100) {
        await Promise.all(
          Array.from(
            { length: Math.min(100, count - i) },
            (_, j) =>
              new Promise<void>((resolve, reject) => {
                const socket = new WebSocket(ready.url, { perMessageDeflate: false });
                sockets.push(socket);
                socket.on('error', reject);
                socket.on('message', (data) => onText(data.toString()));
                socket.once('open', () => {
                  // Both servers answer the auth frame with ready: the bare one without checking anything.
                  socket.send(JSON.stringify({ type: 'auth', token: ready.tokens?.[i + j] ?? 'token' }));
                  const onReady = (data: WebSocket.RawData) => {
                    if (!data.toString().includes('"ready"')) return;
                    socket.off('message', onReady);
                    resolve();
                  };
                  socket.on('message', onReady);
                });
              }),
          ),
        );
      }
      return sockets;
    };

    // A first round of connections warms what is per user rather than per connection (database
    // pages, verified-token and session caches), so the figure below is what holding a connection costs.
    const warmUp = await connectAll();
    await settle(() => lastActivity);
    for (const socket of warmUp) socket.terminate();
    await sleep(1000);
    await settle(() => lastActivity);
    const before = await memory(child);
    const profileFile = kind === 'collaro' ? process.env.BENCH_CPU_PROFILE : undefined;
    if (profileFile) {
      const profiling = nextMessage(child, 'profiling');
      child.send('profile:start');
      await profiling;
    }
    const started = performance.now();
    const sockets = await connectAll();
    const connectSeconds = (performance.now() - started) / 1000;
    await settle(() => lastActivity);
    if (profileFile) {
      const written = nextMessage(child, 'profiled');
      child.send(`profile:stop ${profileFile}`);
      await written;
    }
    const after = await memory(child);
    if (process.env.BENCH_VERBOSE) console.log(kind, count, { before, after });

    const sender = sockets[0]!;
    const channelId = ready.channelId ?? randomUUID();
    for (let round = 0; round < rounds; round += 1) {
      expectedRound = round;
      received = 0;
      const body = `bench ${round} ${'x'.repeat(64)}`;
      const done = new Promise<void>((resolve) => (roundDone = resolve));
      roundStart = performance.now();
      if (kind === 'collaro') {
        sender.send(JSON.stringify({ type: 'chat.send', clientId: randomUUID(), channelId, body }));
      } else {
        // The same bytes Collaro puts on the wire for a message, so both servers move equal payloads.
        const now = new Date().toISOString();
        const message = {
          id: randomUUID(),
          channelId,
          seq: round + 1,
          eventSeq: round + 1,
          clientId: randomUUID(),
          authorId: randomUUID(),
          body,
          replyToId: null,
          createdAt: now,
          editedAt: null,
          deletedAt: null,
          reactions: [],
          system: null,
        };
        sender.send(JSON.stringify({ type: 'chat.message', message }));
      }
      await Promise.race([done, sleep(15_000)]);
      await sleep(100);
    }
    for (const socket of sockets) socket.terminate();
    samples.sort((a, b) => a - b);
    const expected = rounds * count;
    if (samples.length < expected) console.warn(`${kind} ${count}: only ${samples.length} of ${expected} deliveries arrived`);
    return {
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      rssPerConnection: (after.rss - before.rss) / count,
      heapPerConnection: (after.heap - before.heap) / count,
      connectSeconds,
    };
  } finally {
    child.kill('SIGKILL');
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

for (const count of counts) {
  const bare = await runOne('bare', count);
  const collaro = await runOne('collaro', count);
  console.log(`\n== ${count} clients, ${rounds} broadcasts ==`);
  console.log(`                  bare ws      collaro      ratio`);
  console.log(`p50 latency       ${ms(bare.p50).padEnd(12)} ${ms(collaro.p50).padEnd(12)} ${ratio(collaro.p50, bare.p50)}`);
  console.log(`p99 latency       ${ms(bare.p99).padEnd(12)} ${ms(collaro.p99).padEnd(12)} ${ratio(collaro.p99, bare.p99)}  (target <= 1.2x)`);
  console.log(
    `memory / conn     ${kb(bare.heapPerConnection).padEnd(12)} ${kb(collaro.heapPerConnection).padEnd(12)} ${ratio(collaro.heapPerConnection, bare.heapPerConnection)}  (target <= 1.3x; live heap + external after GC)`,
  );
  console.log(
    `RSS / conn        ${kb(bare.rssPerConnection).padEnd(12)} ${kb(collaro.rssPerConnection).padEnd(12)} ${ratio(collaro.rssPerConnection, bare.rssPerConnection)}  (allocator-dependent, noisy)`,
  );
  console.log(
    `connect + auth    ${`${bare.connectSeconds.toFixed(2)} s`.padEnd(12)} ${`${collaro.connectSeconds.toFixed(2)} s`.padEnd(12)} ${ratio(collaro.connectSeconds, bare.connectSeconds)}  (target <= 2x; a hundred clients at a time)`,
  );
}
